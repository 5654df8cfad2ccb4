#include "audit/policy.h"

#include <cctype>
#include <ctime>

#include "audit/pep508.h"
#include "audit/toml_util.h"

namespace pyward {

namespace {

bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// Reads an optional `expires` field of `t` into *out.
bool ReadExpires(const toml::table& t, const std::string& where, std::string* out,
                 std::string* err) {
  const toml::node* x = t.get("expires");
  if (!x) return true;
  if (auto d = x->as_date()) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d->get().year),
                  static_cast<int>(d->get().month), static_cast<int>(d->get().day));
    *out = buf;
  } else if (auto s = x->as_string()) {
    *out = s->get();
  }
  if (!IsDate(*out)) {
    *err = where + ": expires must be a date YYYY-MM-DD";
    return false;
  }
  return true;
}

bool ParseAllows(const toml::table& tbl, const std::string& path,
                 std::vector<PolicyAllow>* out, std::string* err) {
  const toml::node* allow = tbl.get("allow");
  if (!allow) return true;
  if (!allow->is_array_of_tables()) {
    *err = path + ": 'allow' must be an array of tables ([[allow]])";
    return false;
  }
  int n = 0;
  for (const toml::node& node : *allow->as_array()) {
    ++n;
    const toml::table& t = *node.as_table();
    PolicyAllow e;
    e.line = static_cast<int>(t.source().begin.line);
    std::string where = path + ":" + std::to_string(e.line) + ": [[allow]] entry " +
                        std::to_string(n);
    for (const auto& [key, value] : t) {
      std::string_view k = key.str();
      if (k != "rule" && k != "package" && k != "version" && k != "sha256" && k != "reason" &&
          k != "expires") {
        *err = where + ": unknown key '" + std::string(k) +
               "' (rule, package, version, sha256, reason, expires)";
        return false;
      }
      if (k != "expires" && !value.is_string()) {
        *err = where + ": '" + std::string(k) + "' must be a string";
        return false;
      }
    }
    e.rule = t["rule"].value_or(std::string());
    e.package = NormalizeName(t["package"].value_or(std::string()));
    e.version = t["version"].value_or(std::string());
    e.sha256 = t["sha256"].value_or(std::string());
    e.reason = t["reason"].value_or(std::string());
    for (char& c : e.sha256) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (e.reason.empty()) {
      *err = where + " has no reason";
      return false;
    }
    if (e.rule.empty() && e.package.empty() && e.sha256.empty()) {
      *err = where + " names none of rule, package and sha256 (it would allow everything)";
      return false;
    }
    if (!e.version.empty()) {
      if (e.package.empty()) {
        *err = where + ": version needs a package";
        return false;
      }
      std::string perr;
      if (!SpecifierSet::Parse(e.version, &e.versions, &perr)) {
        *err = where + ": version '" + e.version + "' is not a PEP 440 specifier: " + perr;
        return false;
      }
    }
    if (!e.sha256.empty() &&
        (e.sha256.size() != 64 ||
         e.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)) {
      *err = where + ": sha256 must be 64 hex digits";
      return false;
    }
    if (!ReadExpires(t, where, &e.expires, err)) return false;
    out->push_back(std::move(e));
  }
  return true;
}

}  // namespace

std::string TodayUtc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

bool Policy::Parse(std::string_view text, const std::string& path,
                   Policy* out, std::string* err) {
  toml::table tbl;
  if (!ParseTomlTable(text, path, &tbl, err)) return false;
  Policy p;
  const toml::node* ignore = tbl.get("ignore");
  if (ignore && !ignore->is_array_of_tables()) {
    *err = path + ": 'ignore' must be an array of tables ([[ignore]])";
    return false;
  }
  if (ignore) {
    int n = 0;
    for (const toml::node& node : *ignore->as_array()) {
      ++n;
      const toml::table& t = *node.as_table();
      std::string where = path + ":" +
                          std::to_string(t.source().begin.line) +
                          ": [[ignore]] entry " + std::to_string(n);
      PolicyIgnore e;
      e.id = t["id"].value_or(std::string());
      e.reason = t["reason"].value_or(std::string());
      e.package = NormalizeName(t["package"].value_or(std::string()));
      if (e.id.empty()) {
        *err = where + " has no id";
        return false;
      }
      if (e.reason.empty()) {
        *err = where + " (" + e.id + ") has no reason";
        return false;
      }
      if (const toml::node* x = t.get("expires")) {
        if (auto d = x->as_date()) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "%04d-%02d-%02d",
                        static_cast<int>(d->get().year),
                        static_cast<int>(d->get().month),
                        static_cast<int>(d->get().day));
          e.expires = buf;
        } else if (auto s = x->as_string()) {
          e.expires = s->get();
        }
        if (!IsDate(e.expires)) {
          *err = where + " (" + e.id + "): expires must be a date YYYY-MM-DD";
          return false;
        }
      }
      p.ignores_.push_back(std::move(e));
    }
  }
  if (!ParseAllows(tbl, path, &p.allows_, err)) return false;
  *out = std::move(p);
  return true;
}

Policy::Match Policy::Lookup(const std::vector<std::string>& ids,
                             std::string_view package, std::string_view today,
                             const PolicyIgnore** entry) const {
  Match best = Match::kNone;
  for (const PolicyIgnore& e : ignores_) {
    if (!e.package.empty() && e.package != package) continue;
    bool hit = false;
    for (const std::string& id : ids) hit = hit || id == e.id;
    if (!hit) continue;
    bool expired = !e.expires.empty() && std::string(today) > e.expires;
    if (!expired) {
      *entry = &e;
      return Match::kIgnored;
    }
    *entry = &e;
    best = Match::kExpired;
  }
  return best;
}

Policy::Match Policy::LookupAllow(std::string_view rule, std::string_view package,
                                 std::string_view version, std::string_view sha256,
                                 std::string_view today, const PolicyAllow** entry) const {
  Match best = Match::kNone;
  for (const PolicyAllow& e : allows_) {
    if (!e.rule.empty() && e.rule != rule) continue;
    if (!e.package.empty() && e.package != package) continue;
    if (!e.sha256.empty() && e.sha256 != sha256) continue;
    // A version range admits pre-releases too: a suppression is about the
    // artifact in hand, not about what a resolver would choose.
    if (!e.version.empty() && (version.empty() || !e.versions.Contains(Version::Parse(version), true)))
      continue;
    *entry = &e;
    if (e.expires.empty() || std::string(today) <= e.expires) return Match::kIgnored;
    best = Match::kExpired;
  }
  return best;
}

}  // namespace pyward
