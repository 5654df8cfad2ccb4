#include "support/python_rules.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "analysis/python_analysis.h"

namespace pyward::testing {

const RuleSet& Rules() {
  static RuleSet* rules = [] {
    auto* r = new RuleSet;
    std::string err;
    if (!r->LoadDefault(&err)) {
      std::fprintf(stderr, "test rules: %s\n", err.c_str());
      std::abort();
    }
    return r;
  }();
  return *rules;
}

std::vector<Finding> Analyze(std::string_view code, Phase phase, bool install) {
  PythonSource src;
  src.path = install ? "setup.py" : "pkg/__init__.py";
  src.text = code;
  src.phase = phase;
  src.install_file = install;
  std::vector<Finding> out;
  AnalyzePython(Rules().python_engines(), src, &out);
  return out;
}

const Finding* Find(const std::vector<Finding>& fs, std::string_view rule) {
  for (const Finding& f : fs)
    if (f.rule == rule) return &f;
  return nullptr;
}

Severity SeverityOf(std::string_view code, std::string_view rule) {
  std::vector<Finding> fs = Analyze(code, Phase::kRuntime);
  const Finding* f = Find(fs, rule);
  return f ? f->severity : Severity::kInfo;
}

}  // namespace pyward::testing
