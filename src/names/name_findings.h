// Turning a NameReport into scan findings (report/finding.h), so that
// `pyward scan` and `pyward audit` can weigh a package's name together with
// what the package contains.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "names/name_checker.h"
#include "report/finding.h"

namespace pyward {

// Appends one finding per match of `r` worth reporting (score 40 or more):
//   known-malicious      -> rule "known-malicious-name", critical
//   dependency-confusion -> rule "dependency-confusion", high
//   stdlib-name          -> rule "stdlib-name", low
//   other kinds          -> rule "typosquat": high at score >= 85, medium at
//                           >= 65 (kNameSuspiciousScore), low below.
// Phase kNone; file "" (the finding is about the whole package).
void AppendNameFindings(const NameReport& r, std::vector<Finding>* out);

// A MaliciousNameSource over an in-memory list, for the advisory importer to
// fill (or tests): Add() every entry, Freeze() once, then share; lookups on a
// frozen list are thread-safe.
class MaliciousNameList : public MaliciousNameSource {
 public:
  // Records that advisory `id` (e.g. "MAL-2024-1234") reports `name`.
  void Add(std::string_view name, std::string id);
  // Sorts the entries; lookups before Freeze() find nothing.
  void Freeze();
  std::vector<std::string> MaliciousAdvisories(
      std::string_view normalized) const override;
  size_t size() const { return entries_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
  bool frozen_ = false;
};

}  // namespace pyward
