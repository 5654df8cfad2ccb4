// A dependency as a manifest, lockfile or installed environment declares it:
// the common currency between the input readers (requirements files,
// pyproject.toml, lockfiles, environments) and the auditor.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pyward {

struct DeclaredDependency {
  std::string name;                    // as written
  std::string specifier;               // as written (">=1.0,<2"), "" when none
  std::optional<std::string> version;  // pinned (==X) or resolved (lockfile)
  std::vector<std::string> extras;
  std::string marker;                  // PEP 508 marker text, "" when none
  std::vector<std::string> hashes;     // "sha256:<hex>", as declared
  std::string url;                     // direct reference or VCS URL, if any
  bool editable = false;
  std::string index_url;               // index the file points this at, if any
  std::string file;                    // the file that declares it
  int line = 0;                        // 1-based line there, 0 when unknown
  std::string group;                   // "", "dev", an extra or a group name
  // Added for Poetry-style manifests: `specifier` translated to PEP 440
  // ("^1.2" -> ">=1.2,<2.0"); "" when `specifier` already is PEP 440.
  std::string pep440_specifier;
};

// Something in an input that is not a dependency but must be reported
// (an unreadable include, a RECORD hash mismatch, a line pip would reject).
struct InputProblem {
  std::string file;
  int line = 0;
  std::string rule;     // e.g. "record-hash-mismatch", "requirements-syntax"
  std::string message;
};

struct DependencySet {
  std::vector<DeclaredDependency> dependencies;
  std::vector<InputProblem> problems;
  bool uses_hashes = false;  // the input pins hashes for at least one entry
};

}  // namespace pyward
