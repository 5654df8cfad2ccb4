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

static bool IsNameRule(const std::string& rule) {
  return rule == "typosquat" || rule == "dependency-confusion" || rule == "stdlib-name";
}

Judgement Judge(const std::vector<Finding>& findings) {
  std::map<std::string, std::pair<double, double>> per_rule;  // max, sum of others
  std::map<std::string, const Finding*> strongest;
  bool code_evidence = false;
  for (const Finding& f : findings) {
    double p = Points(f.severity) * f.weight;
    auto& [max, rest] = per_rule[f.rule];
    if (p > max || !strongest.count(f.rule)) strongest[f.rule] = &f;
    if (p > max) std::swap(p, max);
    rest += p;
    if (!IsNameRule(f.rule) && f.severity >= Severity::kMedium && f.weight >= 1.0 &&
        (f.phase == Phase::kInstall || f.phase == Phase::kImport))
      code_evidence = true;
  }
  double content = 0, name = 0;
  for (const auto& [rule, v] : per_rule)
    (IsNameRule(rule) ? name : content) += v.first + std::min(v.first, v.second / 10);
  code_evidence |= content >= kSuspiciousScore;
  double total = content + name;
  if (!code_evidence) total = std::min(total, std::max(content, kMaliciousScore - 1.0));
  // An imitated name with code that runs on install or import: malicious.
  else if (name >= Points(Severity::kMedium)) total = std::max<double>(total, kMaliciousScore);
  Judgement j;
  std::vector<std::pair<double, std::string>> parts;
  for (const auto& [rule, v] : per_rule) {
    double pts = v.first + std::min(v.first, v.second / 10);
    if (pts < 0.5) continue;
    const Finding* f = strongest[rule];
    std::string where = f->file.empty() ? "" : ", " + f->file +
                        (f->line > 0 ? ":" + std::to_string(f->line) : "");
    parts.push_back({pts, rule + ": " + std::string(SeverityName(f->severity)) + ", " +
                              std::string(PhaseName(f->phase)) + where + ", " +
                              std::to_string(std::lround(pts)) + " points" +
                              (f->weight < 1.0 ? " (test/doc code counts less)" : "")});
  }
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& p : parts) j.reasons.push_back(std::move(p.second));
  if (!code_evidence && name > 0 && content + name >= kMaliciousScore)
    j.reasons.push_back("the name alone cannot make a package malicious: capped below " +
                        std::to_string(kMaliciousScore));
  else if (code_evidence && name >= Points(Severity::kMedium))
    j.reasons.push_back("an imitated name together with code that runs on install or import");
  j.score = static_cast<int>(std::lround(std::min(100.0, total)));
  j.verdict = j.score >= kMaliciousScore    ? Verdict::kMalicious
              : j.score >= kSuspiciousScore ? Verdict::kSuspicious
                                            : Verdict::kClean;
  return j;
}

}  // namespace pyward
