#include "analysis/verdict.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace pyward {

static double Points(Severity s) {
  switch (s) {
    case Severity::kCritical: return 80;
    case Severity::kHigh: return 45;
    case Severity::kMedium: return 20;
    case Severity::kLow: return 6;
    case Severity::kInfo: return 0;
  }
  return 0;
}

Judgement Judge(const std::vector<Finding>& findings) {
  std::map<std::string, std::pair<double, double>> per_rule;  // max, sum of others
  for (const Finding& f : findings) {
    double p = Points(f.severity) * f.weight;
    auto& [max, rest] = per_rule[f.rule];
    if (p > max) std::swap(p, max);
    rest += p;
  }
  double total = 0;
  for (const auto& [rule, v] : per_rule) total += v.first + std::min(v.first, v.second / 10);
  Judgement j;
  j.score = static_cast<int>(std::lround(std::min(100.0, total)));
  j.verdict = j.score >= kMaliciousScore    ? Verdict::kMalicious
              : j.score >= kSuspiciousScore ? Verdict::kSuspicious
                                            : Verdict::kClean;
  return j;
}

}  // namespace pyward
