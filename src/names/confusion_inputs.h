// Dependency confusion over every input `pyward audit` reads (dispatched by
// ClassifyInputFile, audit/audit_inputs.h):
//   - requirements files, following their -r/-c includes (relative to the
//     including file; at most kMaxConfusionIncludeDepth deep and
//     kMaxConfusionFiles files; each file once, so cycles end); the index
//     options of every file read apply to all of them, as in pip;
//   - pyproject.toml: its dependencies (audit/pyproject.h) judged against the
//     indexes it configures: [[tool.uv.index]] (default = true replaces the
//     public index) with [tool.uv.sources] pins, [[tool.poetry.source]]
//     (priority primary/default replaces it) with per-dependency `source`,
//     [[tool.pdm.source]] (added to the public index, or replacing it when
//     named "pypi");
//   - lockfiles: the index each private package was resolved from.
// A private name (by the config) is reported when it can resolve from an
// index other than the private one, or when a lockfile resolved it from one
// (at_risk); else when the public index also serves that name (exposed).
#pragma once

#include <string>
#include <vector>

#include "names/dep_confusion.h"

namespace pyward {

constexpr int kMaxConfusionIncludeDepth = 8;
constexpr size_t kMaxConfusionFiles = 64;

struct ConfusionFinding {
  std::string file;  // the file declaring the dependency
  int line = 0;      // 1-based, 0 when unknown
  std::string name;  // as written
  std::string message;
  // True: it can resolve from an index other than the private one (severity
  // high). False: it resolves from the private index only, but the public
  // index serves the same name (severity medium).
  bool at_risk = true;
};

struct ConfusionResult {
  std::vector<ConfusionFinding> findings;
  // What was not followed or read (an include given as a URL, an
  // unreadable include, a cycle, the bounds above): a person should check it.
  std::vector<std::string> notes;
};

// Judges the input at `path`; false with *err only when `path` itself cannot
// be read or is not valid for its kind.
bool FindConfusion(const DependencyConfusion& dc, const std::string& path,
                   ConfusionResult* out, std::string* err);

}  // namespace pyward
