// Scanning many targets: expanding what the user named (files, source trees,
// folders of artifacts, encrypted sample collections) into targets, scanning
// them on N threads, and handing results back strictly in input order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analysis/scanner.h"

namespace pyward {

// One entry of the plan: a path scanned as one target, or a collection
// whose members are each a target.
struct PlannedTarget {
  std::string path;
  bool collection = false;
  uint64_t count = 1;  // targets it yields (members, for collections)
};

struct BatchOptions {
  int jobs = 1;
  std::string zip_password;  // zips with encrypted members become collections
};

// Expands the user's arguments, in order. Folders that are not source trees
// yield their artifact files (recursively, sorted by path); the other files
// there are not scanned and *notes says how many and which. Arguments that
// name nothing readable stay in the plan, so that they get an error result.
std::vector<PlannedTarget> PlanTargets(const std::vector<std::string>& args,
                                       const BatchOptions& opts,
                                       std::vector<std::string>* notes);

// True when `name` looks like a package artifact by its ending.
bool LooksLikeArtifact(const std::string& name);

struct Progress {
  uint64_t done = 0;
  uint64_t total = 0;
  std::string current;  // a target being scanned
};

// Scans the plan. `on_result` is called on the calling thread for each
// result, in plan order; `on_progress` about ten times a second while work
// is pending (may be empty).
void RunBatch(const Scanner& scanner, const std::vector<PlannedTarget>& plan,
              const BatchOptions& opts,
              const std::function<void(ScanResult&&)>& on_result,
              const std::function<void(const Progress&)>& on_progress);

}  // namespace pyward
