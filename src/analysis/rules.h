// The rule set pyward runs over a package model. Built once from data files,
// immutable afterwards, and shared by all scanning threads.
#pragma once

#include <string>
#include <vector>

#include "analysis/behaviour.h"
#include "analysis/indicators.h"
#include "analysis/install_exec_rule.h"
#include "analysis/python_analysis.h"
#include "analysis/shell_text.h"
#include "package/package.h"
#include "report/finding.h"

namespace pyward {

// Findings in tests, docs and examples count for less: that code does not
// run when the package is installed or imported.
constexpr double kTestWeight = 0.3;

class RuleSet {
 public:
  RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  // Loads the rules' data files from DataDir(). False with *err when a data
  // file is missing or malformed.
  bool LoadDefault(std::string* err);
  // Only the install-exec rule, from its data text given directly (tests of
  // the install-time rule alone).
  bool LoadFromData(std::string_view install_exec_data, std::string* err);

  // Loads the indicator files of `dir` (LoadDefault uses data/indicators),
  // reusing a compiled database cached in IndicatorCacheDir().
  bool LoadIndicators(const std::string& dir, std::string* err) {
    return indicators_.Load(dir, err, IndicatorCacheDir());
  }
  // The compiled indicators, for matching decoded layers too.
  const IndicatorSet& indicators() const { return indicators_; }

  // Appends the findings for `pkg` to *out, each weighted by its file's role.
  // Modules that import-time or install-time code imports from the package
  // itself run at that time too, and are judged so.
  // With `unpack` false, hidden payloads are not decoded (PythonEngines::unpack).
  void Scan(const Package& pkg, std::vector<Finding>* out, bool unpack = true) const;

  // The engines Python sources go through (for tests and benchmarks).
  const PythonEngines& python_engines() const { return engines_; }

 private:
  InstallExecRule install_exec_;
  BehaviourRules behaviours_;
  ShellRules shell_;
  IndicatorSet indicators_;
  PythonEngines engines_;
};

}  // namespace pyward
