// pip requirements files, with the whole of pip's line grammar: -r/-c
// includes (relative to the including file; cycles detected), --hash,
// --index-url/--extra-index-url, markers, extras, `name @ url`, bare URLs
// and paths, VCS and -e lines, backslash continuations, comments and
// ${VAR} expansion (upper-case names only, as pip does).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "audit/dependency.h"
#include "audit/pep508.h"

namespace pyward {

// How the reader reaches included files and environment variables; tests
// pass in-memory fakes.
struct RequirementsContext {
  // Reads the file at `path` (as composed from the including file's folder).
  std::function<bool(const std::string& path, std::string* content,
                     std::string* err)>
      read_file;
  // The value of environment variable `name`, if set.
  std::function<std::optional<std::string>(const std::string& name)> getenv;
};

// A context reading the real disk and process environment.
RequirementsContext DiskRequirementsContext();

// Reads requirements file `path` whose bytes are `content`, following its
// includes through `ctx`. Dependencies (in file order, includes expanded in
// place) and problems (unreadable includes, cycles, lines pip would reject)
// are appended to *out. Constraint files (-c) only supply pinned versions to
// requirements that do not pin one themselves.
void ReadRequirementsFile(const std::string& path, std::string_view content,
                          const RequirementsContext& ctx, DependencySet* out);

// Name and version from a wheel or sdist file name or an `#egg=` fragment
// of a URL or path; false when none can be told.
bool NameFromUrl(std::string_view url, std::string* name,
                 std::optional<std::string>* version);

// Copies a parsed PEP 508 requirement's name, specifier, extras, marker, URL
// and pinned version (if `==` pins one) into `d`.
void FillFromRequirement(const Requirement& r, DeclaredDependency* d);

}  // namespace pyward
