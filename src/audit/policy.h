// The audit policy file (TOML): advisories to ignore, each with a reason and
// an optional expiry date, optionally limited to one package.
//
//   [[ignore]]
//   id = "PYSEC-2023-74"          # or any alias (CVE-..., GHSA-...)
//   reason = "we never call the affected API"
//   expires = 2027-01-31          # optional; a TOML date or "YYYY-MM-DD"
//   package = "requests"          # optional
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pyward {

struct PolicyIgnore {
  std::string id;
  std::string reason;
  std::string expires;  // "YYYY-MM-DD" or ""
  std::string package;  // PEP 503 normalised, "" = any
};

class Policy {
 public:
  // Parses the policy text; false (and *err, with the line) when it is not
  // valid TOML or an entry lacks id or reason or has a bad date.
  static bool Parse(std::string_view toml, const std::string& path,
                    Policy* out, std::string* err);

  enum class Match { kNone, kIgnored, kExpired };
  // Whether one of `ids` (an advisory's id and aliases) is ignored for
  // normalised `package` on date `today` ("YYYY-MM-DD"); the matching entry
  // is stored in *entry.
  Match Lookup(const std::vector<std::string>& ids, std::string_view package,
               std::string_view today, const PolicyIgnore** entry) const;

  const std::vector<PolicyIgnore>& ignores() const { return ignores_; }

 private:
  std::vector<PolicyIgnore> ignores_;
};

// Today's date in UTC, "YYYY-MM-DD".
std::string TodayUtc();

}  // namespace pyward
