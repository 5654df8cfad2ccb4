#include "audit/auditor.h"

#include <algorithm>
#include <map>
#include <set>

#include "util/strings.h"

namespace pyward {

namespace {

// A version past every release: stands for "the newest releases" when a
// range has no upper bound.
constexpr const char* kBeyond = "999999999";

int SeverityRank(const std::string& s) {
  if (s == "critical") return 5;
  if (s == "high") return 4;
  if (s == "medium") return 3;
  if (s == "low") return 2;
  if (s == "none") return 1;
  return 0;  // unknown
}

// Finding severity for a set of advisories: the worst known one; advisories
// without a CVSS v3 score count as medium.
Severity FindingSeverity(int rank) {
  switch (rank) {
    case 5: return Severity::kCritical;
    case 4: return Severity::kHigh;
    case 3: return Severity::kMedium;
    case 2: return Severity::kLow;
    case 1: return Severity::kLow;
    default: return Severity::kMedium;
  }
}

// A version with its equality key, computed once for many matches.
struct Probe {
  explicit Probe(const Version& v) : version(v), key(EqualityKey(v)) {}
  Version version;
  std::string key;
};

// An advisory's affected entries prepared for matching.
struct Prepared {
  std::vector<AffectedMatcher> matchers;
  AffectState State(const Probe& p) const {
    AffectState s = AffectState::kNotAffected;
    for (const AffectedMatcher& m : matchers) {
      AffectState x = m.Match(p.version, p.key);
      if (x == AffectState::kAffected) return x;
      if (x == AffectState::kUnknown) s = x;
    }
    return s;
  }
};

std::vector<std::string> FixedVersions(const StoredAdvisory& a) {
  std::vector<std::string> out;
  for (const OsvAffected& af : a.affected)
    for (const OsvRange& r : af.ranges)
      if (r.type == "ECOSYSTEM")
        for (const OsvEvent& e : r.events)
          if (e.kind == OsvEvent::kFixed) out.push_back(e.version);
  return out;
}

void SortVersions(std::vector<std::string>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
  std::vector<std::pair<Version, std::string>> parsed;
  parsed.reserve(v->size());
  for (std::string& s : *v) parsed.emplace_back(Version::Parse(s), std::move(s));
  std::stable_sort(parsed.begin(), parsed.end(), [](const auto& a, const auto& b) {
    return Compare(a.first, b.first) < 0;
  });
  v->clear();
  for (auto& p : parsed) v->push_back(std::move(p.second));
}

std::string JoinIds(const std::vector<std::string>& ids, size_t max) {
  std::string out;
  for (size_t i = 0; i < ids.size() && i < max; ++i) {
    if (i) out += ", ";
    out += ids[i];
  }
  if (ids.size() > max) out += ", ... (" + std::to_string(ids.size()) + " in all)";
  return out;
}

Finding MakeFinding(const DeclaredDependency& d, const char* rule,
                    Severity sev, std::string message, std::string evidence) {
  Finding f;
  f.rule = rule;
  f.severity = sev;
  f.phase = Phase::kNone;
  f.file = d.file;
  f.line = d.line;
  f.message = std::move(message);
  f.evidence = std::move(evidence);
  return f;
}

std::string Requirement(const DeclaredDependency& d) {
  std::string s = d.name;
  if (!d.specifier.empty()) s += " " + d.specifier;
  if (!d.url.empty()) s += " @ " + d.url;
  return s;
}

// Alias groups of the advisories that matched, in id order.
struct Group {
  VulnerabilityReport report;
  int rank = 0;
  std::set<std::string> ids;  // every id and alias, for the policy
};

class DependencyAuditor {
 public:
  DependencyAuditor(const DeclaredDependency& dep,
                    const std::vector<StoredAdvisory>& advisories,
                    const AuditOptions& options, bool uses_hashes,
                    const std::string& today)
      : dep_(dep), advs_(advisories), opt_(options),
        uses_hashes_(uses_hashes), today_(today),
        package_(NormalizeName(dep.name)) {
    for (const StoredAdvisory& a : advs_) {
      Prepared p;
      for (const OsvAffected& af : a.affected) p.matchers.emplace_back(af);
      prepared_.push_back(std::move(p));
    }
  }

  DependencyReport Run() {
    r_.dependency = dep_;
    r_.version = dep_.version;
    if (dep_.name.empty()) {
      r_.findings.push_back(MakeFinding(
          dep_, "unnamed-requirement", Severity::kLow,
          "cannot tell which package this reference installs, so it was not "
          "audited",
          Printable(dep_.url, 200)));
    } else if (dep_.version) {
      Pinned(Version::Parse(*dep_.version));
    } else {
      Range();
    }
    if (uses_hashes_ && dep_.hashes.empty()) {
      r_.findings.push_back(MakeFinding(
          dep_, "missing-hash", Severity::kMedium,
          "the input pins hashes for other requirements but not for " +
              (dep_.name.empty() ? std::string("this one") : dep_.name) +
              "; pip's hash-checking mode would refuse it, and without a hash "
              "a swapped artifact goes unnoticed",
          Printable(Requirement(dep_), 200)));
    }
    return std::move(r_);
  }

 private:
  // Applies the policy to one matched advisory group; true when ignored.
  bool Ignored(const std::vector<std::string>& ids) {
    if (!opt_.policy) return false;
    const PolicyIgnore* e = nullptr;
    Policy::Match m = opt_.policy->Lookup(ids, package_, today_, &e);
    if (m == Policy::Match::kIgnored) {
      r_.ignored.push_back(ids.front() + ": " + e->reason);
      return true;
    }
    if (m == Policy::Match::kExpired) {
      r_.findings.push_back(MakeFinding(
          dep_, "policy-ignore-expired", Severity::kLow,
          "the policy's ignore of " + e->id + " expired on " + e->expires +
              ", so it is reported again",
          e->reason));
    }
    return false;
  }

  void AddToGroup(std::map<std::string, Group>* groups,
                  const StoredAdvisory& a) {
    Group& g = (*groups)[a.group_id.empty() ? a.id : a.group_id];
    g.ids.insert(a.id);
    for (const std::string& al : a.aliases) g.ids.insert(al);
    int rank = SeverityRank(a.severity);
    if (g.report.id.empty() || rank > g.rank) {
      g.rank = std::max(g.rank, rank);
      g.report.severity = a.severity;
    }
    if (g.report.summary.empty()) g.report.summary = a.summary;
    for (const std::string& f : FixedVersions(a)) g.report.fixed.push_back(f);
    for (const std::string& v : a.vectors) g.report.vectors.push_back(v);
    g.report.id = a.group_id.empty() ? a.id : a.group_id;
  }

  void FinishGroups(std::map<std::string, Group>* groups,
                    std::vector<VulnerabilityReport>* out, int* worst_rank) {
    for (auto& [gid, g] : *groups) {
      std::vector<std::string> ids(g.ids.begin(), g.ids.end());
      std::vector<std::string> ordered = {g.report.id};
      for (const std::string& id : ids)
        if (id != g.report.id) ordered.push_back(id);
      if (Ignored(ordered)) continue;
      g.report.aliases.assign(ordered.begin() + 1, ordered.end());
      SortVersions(&g.report.fixed);
      std::sort(g.report.vectors.begin(), g.report.vectors.end());
      g.report.vectors.erase(
          std::unique(g.report.vectors.begin(), g.report.vectors.end()),
          g.report.vectors.end());
      // An advisory without a CVSS v3 score weighs as medium.
      *worst_rank = std::max(*worst_rank, g.rank == 0 ? 3 : g.rank);
      out->push_back(std::move(g.report));
    }
  }

  void Malicious(const StoredAdvisory& a) {
    std::vector<std::string> ids = {a.id};
    ids.insert(ids.end(), a.aliases.begin(), a.aliases.end());
    if (Ignored(ids)) return;
    r_.malicious.push_back(a.id);
  }

  void FixUnknown(const StoredAdvisory& a) {
    r_.findings.push_back(MakeFinding(
        dep_, "advisory-fix-unknown", Severity::kMedium,
        a.id + " concerns " + dep_.name +
            " but names only source commits, not versions: pyward cannot "
            "tell whether this version is affected (" + a.summary + ")",
        a.id));
  }

  // The smallest version above `floor` (or any, when null) that no
  // vulnerability advisory affects, among the versions the advisories fix.
  std::optional<std::string> CleanUpgrade(const Version* floor) {
    std::vector<std::string> cands;
    for (const StoredAdvisory& a : advs_)
      if (!a.malicious)
        for (const std::string& f : FixedVersions(a)) cands.push_back(f);
    SortVersions(&cands);
    for (const std::string& c : cands) {
      Probe p(Version::Parse(c));
      if (floor && Compare(p.version, *floor) <= 0) continue;
      bool clean = true;
      for (size_t i = 0; i < advs_.size() && clean; ++i)
        if (!advs_[i].malicious &&
            prepared_[i].State(p) == AffectState::kAffected)
          clean = false;
      if (clean) return c;
    }
    return std::nullopt;
  }

  void Pinned(const Version& v) {
    std::map<std::string, Group> groups;
    Probe probe(v);
    for (size_t i = 0; i < advs_.size(); ++i) {
      const StoredAdvisory& a = advs_[i];
      AffectState s = prepared_[i].State(probe);
      if (s == AffectState::kUnknown) {
        FixUnknown(a);
      } else if (s == AffectState::kAffected) {
        if (a.malicious) Malicious(a);
        else AddToGroup(&groups, a);
      }
    }
    int worst = 0;
    FinishGroups(&groups, &r_.vulnerabilities, &worst);
    if (!r_.vulnerabilities.empty()) {
      r_.upgrade = CleanUpgrade(&v);
      std::vector<std::string> ids;
      for (const auto& x : r_.vulnerabilities) ids.push_back(x.id);
      std::string msg = dep_.name + " " + *dep_.version + " has " +
                        std::to_string(ids.size()) + " known " +
                        (ids.size() == 1 ? "vulnerability" : "vulnerabilities") +
                        " (" + JoinIds(ids, 8) + "); ";
      msg += r_.upgrade ? "upgrading to " + *r_.upgrade + " clears every known advisory"
                        : "no release is known to clear them all";
      r_.findings.push_back(MakeFinding(
          dep_, "vulnerable-dependency", FindingSeverity(worst), msg,
          r_.upgrade ? dep_.name + "==" + *r_.upgrade : Requirement(dep_)));
    }
    MaliciousFinding();
  }

  void MaliciousFinding() {
    if (r_.malicious.empty()) return;
    r_.findings.push_back(MakeFinding(
        dep_, "malicious-package", Severity::kCritical,
        dep_.name + " is a known-malicious package (" +
            JoinIds(r_.malicious, 5) + "): remove it and treat any machine "
            "that installed it as compromised",
        Requirement(dep_)));
  }

  void Range() {
    std::string spec_text =
        dep_.pep440_specifier.empty() ? dep_.specifier : dep_.pep440_specifier;
    SpecifierSet spec;
    std::string err;
    bool parsed = SpecifierSet::Parse(spec_text, &spec, &err);
    // Candidate versions: every version the advisories and the range name,
    // and one beyond every release.
    std::vector<std::string> cands = {kBeyond};
    for (const StoredAdvisory& a : advs_) {
      for (const OsvAffected& af : a.affected) {
        std::vector<std::string> listed = ListedVersions(af);
        cands.insert(cands.end(), listed.begin(), listed.end());
        for (const OsvRange& r : af.ranges)
          if (r.type == "ECOSYSTEM")
            for (const OsvEvent& e : r.events)
              if (e.version != "0" && e.version != "*") cands.push_back(e.version);
      }
    }
    if (parsed)
      for (const Specifier& s : spec.clauses())
        if (s.op() != "===" && s.version().find('*') == std::string::npos)
          cands.push_back(s.version());
    SortVersions(&cands);
    std::vector<Probe> admitted;
    std::vector<std::string> admitted_text;
    for (const std::string& c : cands) {
      Version v = Version::Parse(c);
      if (v.is_legacy()) continue;
      if (parsed ? spec.Contains(v, opt_.prereleases)
                 : (!v.IsPrerelease() || opt_.prereleases)) {
        admitted.emplace_back(v);
        admitted_text.push_back(c);
      }
    }
    std::map<std::string, Group> groups;
    std::vector<int> hits(admitted.size(), 0);
    std::set<std::string> unknown_done;
    for (size_t k = 0; k < advs_.size(); ++k) {
      const StoredAdvisory& a = advs_[k];
      bool any = false;
      for (size_t i = 0; i < admitted.size(); ++i) {
        AffectState s = prepared_[k].State(admitted[i]);
        if (s == AffectState::kAffected) {
          any = true;
          if (!a.malicious) ++hits[i];
        } else if (s == AffectState::kUnknown && unknown_done.insert(a.id).second) {
          FixUnknown(a);
        }
      }
      if (!any) continue;
      if (a.malicious) Malicious(a);
      else AddToGroup(&groups, a);
    }
    std::vector<VulnerabilityReport> possible;
    int worst_rank = 0;
    FinishGroups(&groups, &possible, &worst_rank);
    std::string shown = dep_.specifier.empty() ? "any version" : "'" + dep_.specifier + "'";
    if (!parsed && !dep_.specifier.empty()) shown += " (not understood as PEP 440: " + err + ")";
    if (possible.empty()) {
      r_.findings.push_back(MakeFinding(
          dep_, "unpinned-requirement", Severity::kInfo,
          dep_.name + " is not pinned (" + shown +
              "); no version it admits has a known vulnerability",
          Printable(Requirement(dep_), 200)));
    } else {
      size_t worst = 0;
      for (size_t i = 0; i < hits.size(); ++i)
        if (hits[i] >= hits[worst]) worst = i;
      std::string worst_name = admitted_text[worst] == kBeyond
                                   ? "the newest releases"
                                   : admitted_text[worst];
      std::vector<std::string> ids;
      for (const auto& x : possible) ids.push_back(x.id);
      // The lowest admitted version from which every admitted version up is
      // clean.
      std::optional<std::string> bound;
      for (size_t i = admitted.size(); i-- > 0;) {
        if (hits[i] > 0) break;
        if (admitted_text[i] != kBeyond) bound = admitted_text[i];
      }
      std::string msg = dep_.name + " is not pinned (" + shown +
                        ") and its worst case, " + worst_name + ", has " +
                        std::to_string(hits[worst]) + " known " +
                        (hits[worst] == 1 ? "vulnerability" : "vulnerabilities") +
                        "; versions it admits are affected by " +
                        JoinIds(ids, 8) + ". ";
      msg += bound ? "Requiring >=" + *bound + " excludes every affected version"
                   : "No admitted release is known to be clear of them";
      r_.upgrade = bound;
      r_.findings.push_back(MakeFinding(dep_, "unpinned-requirement",
                                        FindingSeverity(worst_rank), msg,
                                        Printable(Requirement(dep_), 200)));
    }
    MaliciousFinding();
  }

  const DeclaredDependency& dep_;
  const std::vector<StoredAdvisory>& advs_;
  const AuditOptions& opt_;
  bool uses_hashes_;
  std::string today_;
  std::string package_;
  DependencyReport r_;
  std::vector<Prepared> prepared_;  // parallel to advs_
};

}  // namespace

bool AuditDependencies(const DependencySet& set, const AdvisoryLookup& lookup,
                       const AuditOptions& options,
                       std::vector<DependencyReport>* out, std::string* err) {
  std::string today = options.today.empty() ? TodayUtc() : options.today;
  std::vector<StoredAdvisory> advs;
  for (const DeclaredDependency& dep : set.dependencies) {
    if (!dep.marker.empty()) {
      Marker m;
      std::string merr;
      if (Marker::Parse(dep.marker, &m, &merr) &&
          m.Evaluate(options.environment) == Tri::kFalse)
        continue;
    }
    advs.clear();
    if (!dep.name.empty() && !lookup(NormalizeName(dep.name), &advs, err))
      return false;
    DependencyAuditor auditor(dep, advs, options, set.uses_hashes, today);
    out->push_back(auditor.Run());
  }
  AttachIntegrityFindings(set.problems, out);
  return true;
}

bool IsIntegrityProblem(const InputProblem& p) {
  return p.rule == "record-hash-mismatch" || p.rule == "record-file-missing" ||
         p.rule == "record-path-outside-root";
}

void AttachIntegrityFindings(const std::vector<InputProblem>& problems,
                             std::vector<DependencyReport>* reports) {
  auto folder = [](std::string_view path) {
    size_t slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? std::string_view() : path.substr(0, slash));
  };
  for (const InputProblem& p : problems) {
    if (!IsIntegrityProblem(p)) continue;
    Finding f;
    f.rule = p.rule;
    f.severity = p.rule == "record-file-missing" ? Severity::kMedium : Severity::kHigh;
    f.phase = Phase::kNone;
    f.file = p.file;
    f.line = p.line;
    f.message = p.rule == "record-hash-mismatch"
                    ? "an installed file differs from the hash its RECORD lists: it was changed "
                      "after installation"
                    : p.rule == "record-file-missing"
                          ? "a file listed in RECORD is missing from the environment"
                          : "RECORD lists a path outside the environment";
    f.evidence = p.message;
    // The distribution whose metadata folder holds this RECORD.
    std::string dist = folder(p.file);
    DependencyReport* owner = nullptr;
    for (DependencyReport& r : *reports)
      if (folder(r.dependency.file) == dist) owner = &r;
    if (owner) owner->findings.push_back(std::move(f));
  }
}

}  // namespace pyward
