// A package whose only code is protected (PyArmor): nothing in it can be
// reviewed, and the protected code runs as soon as the package is imported.
// Reported once per package as `opaque-package`, a hidden act (see
// data/rules/verdict.txt); protected modules next to real, readable code
// (a commercial library with a protected core) are left to the stub rule.
#pragma once

#include <string_view>
#include <vector>

#include "package/package.h"
#include "report/finding.h"

namespace pyward {

// One Python file of a package as the check sees it.
struct CodeFile {
  std::string_view path;  // as findings name it
  FileRole role;          // effective role (after following imports)
  std::string_view text;
};

// True when `text` holds no statement beyond imports, docstrings, comments
// and dunder metadata (`__version__ = ...`): a re-exporting __init__.py.
bool OnlyImportsAndMetadata(std::string_view text);

// Appends `opaque-package` (high, import phase, at the first import-time
// stub) when `findings` hold a pyarmor-stub in an import-time file of
// `files` and every other non-test, non-install Python file is a stub, the
// protector's runtime (pytransform, pyarmor_runtime*) or holds only imports
// and metadata. Linear in the files' sizes and the findings.
void AppendOpaquePackageFinding(const std::vector<CodeFile>& files, std::vector<Finding>* findings);

}  // namespace pyward
