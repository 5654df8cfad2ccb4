#include "audit/osv.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include <simdjson.h>

#include "audit/pep508.h"
#include "util/strings.h"

namespace pyward {

namespace {

std::string Str(simdjson::dom::element e, const char* key) {
  std::string_view v;
  if (e[key].get_string().get(v) != simdjson::SUCCESS) return "";
  return std::string(v);
}

}  // namespace

bool ParseOsvJson(std::string_view json, OsvAdvisory* out, std::string* err) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto e = parser.parse(json.data(), json.size()).get(doc)) {
    *err = std::string("not JSON: ") + simdjson::error_message(e);
    return false;
  }
  if (!doc.is_object()) {
    *err = "not an OSV entry (not an object)";
    return false;
  }
  OsvAdvisory a;
  a.id = Str(doc, "id");
  if (a.id.empty()) {
    *err = "not an OSV entry (no id)";
    return false;
  }
  a.modified = Str(doc, "modified");
  a.published = Str(doc, "published");
  std::string_view wd;
  a.withdrawn = doc["withdrawn"].get_string().get(wd) == simdjson::SUCCESS &&
                !wd.empty();
  a.summary = Str(doc, "summary");
  if (a.summary.empty()) {
    std::string details = Str(doc, "details");
    std::string_view d = Trim(details);
    size_t nl = d.find('\n');
    a.summary = Printable(d.substr(0, nl), 160);
  }
  simdjson::dom::array arr;
  if (doc["aliases"].get_array().get(arr) == simdjson::SUCCESS) {
    for (simdjson::dom::element x : arr) {
      std::string_view s;
      if (x.get_string().get(s) == simdjson::SUCCESS) a.aliases.emplace_back(s);
    }
  }
  auto add_severity = [&](simdjson::dom::element holder) {
    simdjson::dom::array sev;
    if (holder["severity"].get_array().get(sev) != simdjson::SUCCESS) return;
    for (simdjson::dom::element x : sev) {
      std::string type = Str(x, "type"), score = Str(x, "score");
      if (type.empty() || score.empty()) continue;
      std::string v = type + ":" + score;
      if (std::find(a.vectors.begin(), a.vectors.end(), v) == a.vectors.end())
        a.vectors.push_back(v);
    }
  };
  add_severity(doc);
  if (doc["affected"].get_array().get(arr) == simdjson::SUCCESS) {
    for (simdjson::dom::element aff : arr) {
      simdjson::dom::element pkg;
      if (aff["package"].get(pkg) != simdjson::SUCCESS) continue;
      std::string eco = Str(pkg, "ecosystem");
      if (eco != "PyPI" && eco.rfind("PyPI:", 0) != 0) continue;
      OsvAffected af;
      af.package = NormalizeName(Str(pkg, "name"));
      if (af.package.empty()) continue;
      add_severity(aff);
      simdjson::dom::array ranges, versions;
      if (aff["ranges"].get_array().get(ranges) == simdjson::SUCCESS) {
        for (simdjson::dom::element r : ranges) {
          OsvRange range;
          range.type = Str(r, "type");
          simdjson::dom::array events;
          if (r["events"].get_array().get(events) == simdjson::SUCCESS) {
            for (simdjson::dom::element ev : events) {
              static const std::pair<const char*, OsvEvent::Kind> kKinds[] = {
                  {"introduced", OsvEvent::kIntroduced},
                  {"fixed", OsvEvent::kFixed},
                  {"last_affected", OsvEvent::kLastAffected},
                  {"limit", OsvEvent::kLimit}};
              for (const auto& [key, kind] : kKinds) {
                std::string_view v;
                if (ev[key].get_string().get(v) == simdjson::SUCCESS)
                  range.events.push_back({kind, std::string(v)});
              }
            }
          }
          af.ranges.push_back(std::move(range));
        }
      }
      if (aff["versions"].get_array().get(versions) == simdjson::SUCCESS) {
        for (simdjson::dom::element x : versions) {
          std::string_view s;
          if (x.get_string().get(s) == simdjson::SUCCESS)
            af.versions.emplace_back(s);
        }
      }
      a.affected.push_back(std::move(af));
    }
  }
  *out = std::move(a);
  return true;
}

std::string EqualityKey(const Version& v) {
  if (v.is_legacy()) return "~" + v.original();
  std::string base = v.BaseVersion();
  size_t bang = base.find('!');
  size_t start = bang == std::string::npos ? 0 : bang + 1;
  while (base.size() >= start + 3 &&
         base.compare(base.size() - 2, 2, ".0") == 0)
    base.resize(base.size() - 2);
  return base + v.Normalized().substr(v.BaseVersion().size());
}

void PrepareAffected(OsvAffected* a) {
  a->version_keys.clear();
  for (const std::string& v : a->versions)
    a->version_keys.push_back(EqualityKey(Version::Parse(v)));
}

std::vector<std::string> ListedVersions(const OsvAffected& a) {
  if (!a.versions.empty() || a.packed_versions.size() < 2) return a.versions;
  std::vector<std::string> out;
  std::string_view p(a.packed_versions);
  p = p.substr(1, p.size() - 2);
  for (std::string_view v : Split(p, '\n')) out.emplace_back(v);
  return out;
}

namespace {

// Whether "\n" + item + "\n" occurs in `packed` ("\na\nb\n").
bool PackedHas(const std::string& packed, std::string_view item) {
  if (packed.size() < item.size() + 2) return false;
  char buf[128];
  if (item.size() + 2 > sizeof buf) {
    std::string needle = "\n" + std::string(item) + "\n";
    return memmem(packed.data(), packed.size(), needle.data(), needle.size()) !=
           nullptr;
  }
  buf[0] = '\n';
  std::memcpy(buf + 1, item.data(), item.size());
  buf[item.size() + 1] = '\n';
  return memmem(packed.data(), packed.size(), buf, item.size() + 2) != nullptr;
}

}  // namespace

AffectedMatcher::AffectedMatcher(const OsvAffected& a)
    : versions_(&a.versions), keys_(&a.version_keys),
      packed_versions_(&a.packed_versions), packed_keys_(&a.packed_keys) {
  if (a.version_keys.size() != a.versions.size()) {
    for (const std::string& v : a.versions)
      own_keys_.push_back(EqualityKey(Version::Parse(v)));
    keys_ = &own_keys_;
  }
  bool any_ecosystem = false, any_git = false;
  for (const OsvRange& r : a.ranges) {
    if (r.type == "GIT") any_git = true;
    if (r.type != "ECOSYSTEM") continue;
    any_ecosystem = true;
    Range range;
    for (const OsvEvent& e : r.events) {
      if (e.kind == OsvEvent::kLimit) {
        if (e.version == "*") range.limit_star = true;
        else range.limits.push_back(Version::Parse(e.version));
        continue;
      }
      bool zero = e.kind == OsvEvent::kIntroduced && e.version == "0";
      range.events.push_back({e.kind, zero, Version::Parse(e.version)});
    }
    std::stable_sort(range.events.begin(), range.events.end(),
                     [](const Event& x, const Event& y) {
                       if (x.zero != y.zero) return x.zero;
                       if (x.zero) return false;
                       return Compare(x.version, y.version) < 0;
                     });
    ranges_.push_back(std::move(range));
  }
  git_only_ = any_git && !any_ecosystem && a.versions.empty() &&
              a.packed_versions.empty();
}

AffectState AffectedMatcher::Match(const Version& v,
                                   const std::string& key) const {
  const std::vector<std::string>& versions = *versions_;
  const std::vector<std::string>& keys = *keys_;
  for (size_t i = 0; i < versions.size(); ++i)
    if (keys[i] == key || versions[i] == v.original())
      return AffectState::kAffected;
  if (versions.empty() && !packed_keys_->empty() &&
      (PackedHas(*packed_keys_, key) ||
       (!v.original().empty() && PackedHas(*packed_versions_, v.original()))))
    return AffectState::kAffected;
  for (const Range& r : ranges_) {
    if (!r.limits.empty() || r.limit_star) {
      bool below = r.limit_star;
      for (const Version& l : r.limits)
        if (!below && Compare(v, l) < 0) below = true;
      if (!below) continue;
    }
    bool affected = false;
    for (const Event& e : r.events) {
      int c = e.zero ? 1 : Compare(v, e.version);
      if (e.kind == OsvEvent::kIntroduced && c >= 0) affected = true;
      else if (e.kind == OsvEvent::kFixed && c >= 0) affected = false;
      else if (e.kind == OsvEvent::kLastAffected && c > 0) affected = false;
    }
    if (affected) return AffectState::kAffected;
  }
  return git_only_ ? AffectState::kUnknown : AffectState::kNotAffected;
}

AffectState Affects(const OsvAffected& a, const Version& v) {
  return AffectedMatcher(a).Match(v, EqualityKey(v));
}

double CvssV3BaseScore(std::string_view vector) {
  if (vector.rfind("CVSS:3.", 0) != 0) return -1;
  std::map<std::string, std::string> m;
  for (std::string_view part : Split(vector, '/')) {
    size_t colon = part.find(':');
    if (colon == std::string_view::npos) return -1;
    m[std::string(part.substr(0, colon))] = std::string(part.substr(colon + 1));
  }
  auto get = [&](const char* k) -> std::string {
    auto it = m.find(k);
    return it == m.end() ? "" : it->second;
  };
  std::string av = get("AV"), ac = get("AC"), pr = get("PR"), ui = get("UI"),
              s = get("S"), c = get("C"), i = get("I"), a = get("A");
  auto cia = [](const std::string& x) {
    return x == "H" ? 0.56 : x == "L" ? 0.22 : x == "N" ? 0.0 : -1.0;
  };
  double AV = av == "N" ? 0.85 : av == "A" ? 0.62 : av == "L" ? 0.55 : av == "P" ? 0.2 : -1;
  double AC = ac == "L" ? 0.77 : ac == "H" ? 0.44 : -1;
  bool changed = s == "C";
  if (s != "C" && s != "U") return -1;
  double PR = pr == "N" ? 0.85 : pr == "L" ? (changed ? 0.68 : 0.62)
              : pr == "H" ? (changed ? 0.5 : 0.27) : -1;
  double UI = ui == "N" ? 0.85 : ui == "R" ? 0.62 : -1;
  double C = cia(c), I = cia(i), A = cia(a);
  if (AV < 0 || AC < 0 || PR < 0 || UI < 0 || C < 0 || I < 0 || A < 0) return -1;
  double iss = 1 - (1 - C) * (1 - I) * (1 - A);
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15)
                          : 6.42 * iss;
  double expl = 8.22 * AV * AC * PR * UI;
  if (impact <= 0) return 0;
  double raw = changed ? std::min(1.08 * (impact + expl), 10.0)
                       : std::min(impact + expl, 10.0);
  // CVSS 3.1 Roundup.
  long long n = std::llround(raw * 100000);
  if (n % 10000 == 0) return n / 100000.0;
  return (std::floor(n / 10000.0) + 1) / 10.0;
}

std::string SeverityForScore(double score) {
  if (score < 0) return "unknown";
  if (score == 0) return "none";
  if (score < 4.0) return "low";
  if (score < 7.0) return "medium";
  if (score < 9.0) return "high";
  return "critical";
}

std::string SeverityOfVectors(const std::vector<std::string>& vectors) {
  double best = -1;
  for (const std::string& v : vectors) {
    if (v.rfind("CVSS_V3:", 0) != 0) continue;
    best = std::max(best, CvssV3BaseScore(std::string_view(v).substr(8)));
  }
  return SeverityForScore(best);
}

}  // namespace pyward
