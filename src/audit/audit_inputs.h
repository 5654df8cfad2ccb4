// What `pyward audit` reads: classifying each input (requirements file,
// pyproject.toml, lockfile, installed environment), expanding folders to the
// manifests they hold, and dispatching to the reader of each kind.
//
// Lockfiles are read by ReadLockfile (audit/lockfiles.h) and installed
// environments by ReadEnvironment (audit/environment.h), whose RECORD hash
// checks become findings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/dependency.h"

namespace pyward {

enum class InputKind { kRequirements, kPyproject, kLockfile, kEnvironment };

// The kind of a file input, from its base name: pyproject.toml; poetry.lock,
// Pipfile.lock, uv.lock, pdm.lock, pylock.toml, pylock.*.toml; anything
// else is read as a requirements file.
InputKind ClassifyInputFile(std::string_view path);

struct AuditInput {
  std::string target;  // as the user gave it, or dir/file for expansions
  std::string path;    // what to read
  InputKind kind;
};

// Turns one command-line input into the inputs to read: a file is itself;
// a folder holding pyvenv.cfg or *.dist-info is an environment; another
// folder expands to its requirements*.txt, pyproject.toml and lockfiles
// (none found: false and *err). `as_environment` (--env) forces an
// environment.
bool ExpandAuditInput(const std::string& arg, bool as_environment,
                      std::vector<AuditInput>* out, std::string* err);

// Reads one input into *set (problems included); false and *err only when
// it cannot be read at all.
bool ReadAuditInput(const AuditInput& in, DependencySet* set,
                    std::string* err);

// Reads a lockfile (audit/lockfiles.h).
bool ReadLockfileInput(const std::string& path, std::string_view content,
                       DependencySet* out, std::string* err);
// Reads an installed environment (audit/environment.h).
bool ReadEnvironmentInput(const std::string& dir, DependencySet* out,
                          std::string* err);

}  // namespace pyward
