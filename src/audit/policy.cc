#include "audit/policy.h"

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

}  // namespace pyward
