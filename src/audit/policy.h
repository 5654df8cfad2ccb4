// The policy file (TOML) of `pyward audit` and `pyward scan`: advisories to
// ignore (audit) and scan findings to allow (scan), each with a reason and an
// optional expiry date.
//
//   [[ignore]]                    # pyward audit
//   id = "PYSEC-2023-74"          # or any alias (CVE-..., GHSA-...)
//   reason = "we never call the affected API"
//   expires = 2027-01-31          # optional; a TOML date or "YYYY-MM-DD"
//   package = "requests"          # optional
//
//   [[allow]]                     # pyward scan: findings to suppress
//   rule = "indicator-tunnel"     # a finding's rule id
//   package = "our-tools"         # PEP 503 normalised when compared
//   version = ">=1.2,<2"          # PEP 440 specifier (needs package)
//   sha256 = "9f86d0..."          # the artifact's digest
//   reason = "ships our own ngrok helper"   # required
//   expires = 2027-01-31          # optional
//
// An [[allow]] entry needs at least one of rule, package and sha256; a
// finding is allowed when every field the entry gives matches.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/pep440.h"

namespace pyward {

struct PolicyIgnore {
  std::string id;
  std::string reason;
  std::string expires;  // "YYYY-MM-DD" or ""
  std::string package;  // PEP 503 normalised, "" = any
};

struct PolicyAllow {
  std::string rule;     // "" = any rule
  std::string package;  // PEP 503 normalised, "" = any
  std::string version;  // specifier as written, "" = any
  SpecifierSet versions;
  std::string sha256;   // lower-case hex, "" = any
  std::string reason;
  std::string expires;  // "YYYY-MM-DD" or ""
  int line = 0;         // where the entry starts in the policy file
};

class Policy {
 public:
  // Parses the policy text; false (and *err, with the line) when it is not
  // valid TOML, an [[ignore]] entry lacks id or reason, an [[allow]] entry
  // lacks reason or all of rule/package/sha256 or has a bad specifier or
  // digest, or a date is malformed.
  static bool Parse(std::string_view toml, const std::string& path,
                    Policy* out, std::string* err);

  enum class Match { kNone, kIgnored, kExpired };
  // Whether one of `ids` (an advisory's id and aliases) is ignored for
  // normalised `package` on date `today` ("YYYY-MM-DD"); the matching entry
  // is stored in *entry.
  Match Lookup(const std::vector<std::string>& ids, std::string_view package,
               std::string_view today, const PolicyIgnore** entry) const;

  // Whether a scan finding of rule `rule` in the artifact with digest
  // `sha256` holding normalised `package` at `version` is allowed on
  // `today`: kIgnored (allowed), kExpired (only an expired entry matches),
  // kNone. The matching entry is stored in *entry.
  Match LookupAllow(std::string_view rule, std::string_view package,
                    std::string_view version, std::string_view sha256,
                    std::string_view today, const PolicyAllow** entry) const;

  const std::vector<PolicyIgnore>& ignores() const { return ignores_; }
  const std::vector<PolicyAllow>& allows() const { return allows_; }

 private:
  std::vector<PolicyIgnore> ignores_;
  std::vector<PolicyAllow> allows_;
};

// Today's date in UTC, "YYYY-MM-DD".
std::string TodayUtc();

}  // namespace pyward
