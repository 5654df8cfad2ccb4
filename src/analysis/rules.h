// The rule set pyward runs over a package model. Built once from data files,
// immutable afterwards, and shared by all scanning threads.
#pragma once

#include <string>
#include <vector>

#include "analysis/indicators.h"
#include "analysis/install_exec_rule.h"
#include "package/package.h"
#include "report/finding.h"

namespace pyward {

// Findings in tests, docs and examples count for less: that code does not
// run when the package is installed or imported.
constexpr double kTestWeight = 0.3;

class RuleSet {
 public:
  // Loads the rules' data files from DataDir(). False with *err when a data
  // file is missing or malformed.
  bool LoadDefault(std::string* err);
  // Same, from the install-exec data text given directly (tests).
  bool LoadFromData(std::string_view install_exec_data, std::string* err);

  // Loads the indicator files of `dir` (LoadDefault uses data/indicators),
  // reusing a compiled database cached in IndicatorCacheDir().
  bool LoadIndicators(const std::string& dir, std::string* err) {
    return indicators_.Load(dir, err, IndicatorCacheDir());
  }
  // The compiled indicators, for matching decoded layers too.
  const IndicatorSet& indicators() const { return indicators_; }

  // Appends the findings for `pkg` to *out, each weighted by its file's role.
  void Scan(const Package& pkg, std::vector<Finding>* out) const;

 private:
  InstallExecRule install_exec_;
  IndicatorSet indicators_;
};

}  // namespace pyward
