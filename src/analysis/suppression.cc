#include "analysis/suppression.h"

#include <set>
#include <string>

#include "audit/pep508.h"

namespace pyward {

void ApplyPolicy(const Policy& policy, std::string_view today, ScanResult* r) {
  if (policy.allows().empty()) return;
  std::string package = NormalizeName(r->package_name);
  std::vector<Finding> kept;
  std::set<const PolicyAllow*> expired;
  for (Finding& f : r->findings) {
    const PolicyAllow* entry = nullptr;
    Policy::Match m = policy.LookupAllow(f.rule, package, r->package_version, r->sha256, today,
                                         &entry);
    if (m == Policy::Match::kIgnored) continue;
    if (m == Policy::Match::kExpired) expired.insert(entry);
    kept.push_back(std::move(f));
  }
  for (const PolicyAllow* e : expired) {
    Finding f;
    f.rule = "policy-expired";
    f.severity = Severity::kInfo;
    f.message = "policy entry at line " + std::to_string(e->line) + " expired on " + e->expires +
                " and no longer allows " + (e->rule.empty() ? "these findings" : e->rule) +
                " (reason was: " + e->reason + ")";
    kept.push_back(std::move(f));
  }
  r->findings = std::move(kept);
}

}  // namespace pyward
