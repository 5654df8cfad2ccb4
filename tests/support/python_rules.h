// The Python pass over synthetic sources, for the analysis tests: pyward's
// shipped rules loaded once, one source analysed, a finding looked up.
#pragma once

#include <string_view>
#include <vector>

#include "analysis/rules.h"
#include "report/finding.h"

namespace pyward::testing {

// The rules under data/ (loaded once; aborts with the error when they do
// not load, as every test depends on them).
const RuleSet& Rules();

// Findings of the whole Python pass on `code`, as pkg/__init__.py at
// `phase`, or as setup.py when `install`.
std::vector<Finding> Analyze(std::string_view code, Phase phase = Phase::kImport,
                             bool install = false);

// The first finding of `rule`, or nullptr.
const Finding* Find(const std::vector<Finding>& fs, std::string_view rule);

// The severity of the first finding of `rule` when `code` is analysed as a
// runtime module, or Severity::kInfo when the rule does not fire.
Severity SeverityOf(std::string_view code, std::string_view rule);

}  // namespace pyward::testing
