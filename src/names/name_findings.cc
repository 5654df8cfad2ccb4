#include "names/name_findings.h"

#include <fmt/format.h>

#include <algorithm>

#include "names/name_rules.h"

namespace pyward {

void AppendNameFindings(const NameReport& r, std::vector<Finding>* out) {
  for (const NameMatch& m : r.matches) {
    if (m.score < kNamePairScore) continue;
    Finding f;
    f.phase = Phase::kNone;
    if (m.kind == "known-malicious") {
      f.rule = "known-malicious-name";
      f.severity = Severity::kCritical;
      f.message = fmt::format("'{}' is a known malicious package name: {}",
                              r.normalized, m.detail);
      f.evidence = r.normalized;
    } else if (m.kind == "dependency-confusion") {
      f.rule = "dependency-confusion";
      f.severity = Severity::kHigh;
      f.message = m.detail;
      f.evidence = r.normalized;
    } else if (m.kind == "stdlib-name") {
      f.rule = "stdlib-name";
      f.severity = Severity::kLow;
      f.message = fmt::format("'{}': {}", r.normalized, m.detail);
      f.evidence = r.normalized;
    } else {
      f.rule = "typosquat";
      f.severity = m.score >= 85                     ? Severity::kHigh
                   : m.score >= kNameSuspiciousScore ? Severity::kMedium
                                                     : Severity::kLow;
      f.message = fmt::format(
          "name '{}' imitates '{}'{}: {} (score {})", r.normalized, m.target,
          m.target_rank ? fmt::format(" (download rank {})", m.target_rank)
                        : "",
          m.detail, m.score);
      f.evidence = fmt::format("{} -> {} ({})", r.normalized, m.target, m.kind);
    }
    out->push_back(std::move(f));
  }
}

void MaliciousNameList::Add(std::string_view name, std::string id) {
  entries_.emplace_back(NormalizeName(name), std::move(id));
  frozen_ = false;
}

void MaliciousNameList::Freeze() {
  std::sort(entries_.begin(), entries_.end());
  entries_.erase(std::unique(entries_.begin(), entries_.end()), entries_.end());
  frozen_ = true;
}

std::vector<std::string> MaliciousNameList::MaliciousAdvisories(
    std::string_view normalized) const {
  std::vector<std::string> ids;
  if (!frozen_) return ids;
  auto it = std::lower_bound(entries_.begin(), entries_.end(), normalized,
                             [](const std::pair<std::string, std::string>& e,
                                std::string_view n) { return e.first < n; });
  for (; it != entries_.end() && it->first == normalized; ++it)
    ids.push_back(it->second);
  return ids;
}

}  // namespace pyward
