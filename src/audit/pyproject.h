// pyproject.toml as a dependency manifest: PEP 621 [project] dependencies
// and optional-dependencies (group = the extra), PEP 735
// [dependency-groups] (include-group checked, cycles reported), Poetry
// ([tool.poetry.dependencies], dev-dependencies, group.<g>.dependencies;
// ^ and ~ constraints translated to PEP 440), PDM
// ([tool.pdm.dev-dependencies]) and [build-system] requires (group
// "build-system"). Each declared string or table entry is one dependency.
#pragma once

#include <string>
#include <string_view>

#include "audit/dependency.h"

namespace pyward {

// Reads pyproject.toml text `content` named `path`; dependencies and
// problems are appended to *out.
void ReadPyproject(const std::string& path, std::string_view content,
                   DependencySet* out);

// Translates a Poetry version constraint ("^1.2", "~1.2.3", "1.4",
// ">=1,<2", "*") to a PEP 440 specifier; false for what PEP 440 cannot say
// ("1.0 || 2.0").
bool PoetryToPep440(std::string_view constraint, std::string* out);

}  // namespace pyward
