#include "analysis/verdict.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/data_files.h"
#include "util/strings.h"

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

bool EvidenceKinds::Load(std::string_view text, std::string* err) {
  std::set<std::string, std::less<>>* list = nullptr;
  bool in_capability = false;
  int n = 0;
  for (std::string_view raw : Split(text, '\n')) {
    ++n;
    std::string_view line = raw.substr(0, raw.find('#'));
    line = Trim(line);
    if (line.empty()) continue;
    if (line.front() == '[') {
      static const std::map<std::string_view, std::set<std::string, std::less<>> EvidenceKinds::*>
          kSections = {{"[name]", &EvidenceKinds::name},
                       {"[concealment]", &EvidenceKinds::concealment},
                       {"[endpoint]", &EvidenceKinds::endpoint},
                       {"[host]", &EvidenceKinds::host},
                       {"[secret]", &EvidenceKinds::secret},
                       {"[dropper]", &EvidenceKinds::dropper},
                       {"[payload]", &EvidenceKinds::payload},
                       {"[persistence]", &EvidenceKinds::persistence},
                       {"[sink]", &EvidenceKinds::sink},
                       {"[hidden-act]", &EvidenceKinds::hidden_act}};
      auto it = kSections.find(line);
      in_capability = line == "[capability]";
      if (it == kSections.end() && !in_capability) {
        *err = "verdict.txt:" + std::to_string(n) + ": unknown section " + std::string(line);
        return false;
      }
      list = in_capability ? nullptr : &(this->*(it->second));
      continue;
    }
    std::vector<std::string> words;
    for (std::string_view w : Split(line, ' '))
      if (!Trim(w).empty()) words.emplace_back(Trim(w));
    if (in_capability) {
      Severity least = Severity::kHigh;
      if (words.size() > 2 || (words.size() == 2 && !ParseSeverity(words[1], &least))) {
        *err = "verdict.txt:" + std::to_string(n) + ": expected 'rule [severity]'";
        return false;
      }
      capability[words[0]] = least;
    } else if (list != nullptr) {
      for (const std::string& w : words) list->insert(w);
    } else {
      *err = "verdict.txt:" + std::to_string(n) + ": entry outside a section";
      return false;
    }
  }
  return true;
}

const EvidenceKinds& EvidenceKinds::Default() {
  static const EvidenceKinds kinds = [] {
    EvidenceKinds k;
    std::string data, err;
    if (!ReadDataFile("rules/verdict.txt", &data, &err) || !k.Load(data, &err)) {
      std::fprintf(stderr, "pyward: %s\n", err.c_str());
      return EvidenceKinds();
    }
    return k;
  }();
  return kinds;
}

namespace {

bool Early(const Finding& f) {
  return f.weight >= 1.0 && (f.phase == Phase::kInstall || f.phase == Phase::kImport);
}

std::string Where(const Finding& f) {
  if (f.file.empty()) return "";
  return f.file + (f.line > 0 ? ":" + std::to_string(f.line) : "");
}

// Several kinds of concealment in one install- or import-time file, one of
// them medium or more (a PyArmor stub on a very long line): what the code
// does is hidden, which is worth a look even with no capability in sight.
// Linear: per file, the first early finding of each concealment rule.
// With install_only, only install-time files count.
std::string LayeredConcealment(const std::vector<Finding>& findings, const EvidenceKinds& k,
                               bool install_only = false) {
  std::unordered_map<std::string_view, std::vector<const Finding*>> by_file;
  for (const Finding& b : findings) {
    if (!k.concealment.count(b.rule) || b.severity < Severity::kLow || !Early(b)) continue;
    if (install_only && b.phase != Phase::kInstall) continue;
    std::vector<const Finding*>& seen = by_file[b.file];
    if (std::none_of(seen.begin(), seen.end(), [&](const Finding* x) { return x->rule == b.rule; }))
      seen.push_back(&b);  // at most one per concealment rule
  }
  for (const Finding& a : findings) {
    if (!k.concealment.count(a.rule) || a.severity < Severity::kMedium || !Early(a)) continue;
    if (install_only && a.phase != Phase::kInstall) continue;
    for (const Finding* b : by_file[a.file])
      if (b->rule != a.rule)
        return "several kinds of concealment in one file that runs at install or import time: " +
               a.rule + " with " + b->rule + " (" + Where(a) + ")";
  }
  return "";
}

// The combinations of verdict.h, each as a reason naming the findings that
// made it; empty when none holds. Linear in the findings: what the pairs look
// for in "the same file" is indexed per file first (a hostile package can
// carry many thousands of findings).
std::string Combination(const std::vector<Finding>& findings, const EvidenceKinds& k) {
  auto in = [](const auto& set, const Finding& f) { return set.count(f.rule) > 0; };
  auto capability = [&](const Finding& f) {
    auto it = k.capability.find(f.rule);
    return it != k.capability.end() && f.severity >= it->second;
  };
  auto place = [&](const Finding& f) {  // where data goes, medium or more
    return (in(k.endpoint, f) || in(k.host, f)) && f.severity >= Severity::kMedium;
  };
  auto outlet = [&](const Finding& f) {  // a place, or a flow of data out
    return place(f) || (in(k.sink, f) && f.severity >= Severity::kMedium);
  };
  auto evidence = [&](const Finding& f) {  // what backs up a dropper
    return k.capability.count(f.rule) || in(k.endpoint, f) || in(k.host, f) ||
           in(k.concealment, f) || in(k.name, f);
  };
  auto pair = [](const Finding& a, const Finding& b) {
    return a.rule + " (" + Where(a) + ") with " + b.rule + " (" + Where(b) + ")";
  };
  struct InFile {
    const Finding* act_high = nullptr;   // capability, high or more
    const Finding* act = nullptr;        // capability
    const Finding* place = nullptr;      // endpoint or host, medium or more
    const Finding* payload = nullptr;    // a hidden payload decoded (info too)
    const Finding* outlet = nullptr;     // a place, or data seen flowing out
    const Finding* hidden = nullptr;     // something hidden acted on, high or more
    const Finding* hidden_other = nullptr;  // the same, of another rule than `hidden`
  };
  std::vector<const Finding*> full;
  std::unordered_map<std::string_view, InFile> by_file;
  const Finding* backing[2] = {nullptr, nullptr};  // first two, of two rules
  const Finding* backing_medium[2] = {nullptr, nullptr};  // the same, medium or more
  for (const Finding& f : findings) {
    if (f.weight < 1.0) continue;
    if (in(k.payload, f) && !by_file[f.file].payload) by_file[f.file].payload = &f;
    if (f.severity <= Severity::kInfo) continue;
    full.push_back(&f);
    InFile& in_file = by_file[f.file];
    if (capability(f)) {
      if (!in_file.act) in_file.act = &f;
      if (!in_file.act_high && f.severity >= Severity::kHigh) in_file.act_high = &f;
    }
    if (!in_file.place && place(f)) in_file.place = &f;
    if (!in_file.outlet && outlet(f)) in_file.outlet = &f;
    if (in(k.hidden_act, f) && f.severity >= Severity::kHigh) {
      if (!in_file.hidden) in_file.hidden = &f;
      else if (!in_file.hidden_other && f.rule != in_file.hidden->rule) in_file.hidden_other = &f;
    }
    if (evidence(f)) {
      if (!backing[0]) backing[0] = &f;
      else if (!backing[1] && f.rule != backing[0]->rule) backing[1] = &f;
      if (f.severity >= Severity::kMedium) {
        if (!backing_medium[0]) backing_medium[0] = &f;
        else if (!backing_medium[1] && f.rule != backing_medium[0]->rule) backing_medium[1] = &f;
      }
    }
  }
  auto same_file = [&](const Finding& f) -> const InFile& { return by_file[f.file]; };

  for (const Finding* c : full)
    if (in(k.concealment, *c) && Early(*c))
      if (const Finding* x = same_file(*c).act_high)
        return "concealment in code that runs at install or import time, with code that acts in "
               "the same file: " +
               pair(*c, *x);
  for (const Finding* h : full)
    if (in(k.hidden_act, *h) && h->severity >= Severity::kHigh && Early(*h))
      return "something hidden acted on at install or import time: " + h->rule + " (" +
             Where(*h) + ")";
  for (const Finding* e : full)
    if (in(k.endpoint, *e) && e->severity >= Severity::kHigh && Early(*e))
      return "an exfiltration endpoint in code that runs at install or import time: " + e->rule +
             " (" + Where(*e) + ")";
  for (const Finding* p : full)
    if (in(k.persistence, *p) && p->severity >= Severity::kHigh && p->phase == Phase::kInstall)
      return "a place that starts code again with the system, named in code that runs at install "
             "time: " + p->rule + " (" + Where(*p) + ")";
  if (std::string l = LayeredConcealment(findings, k, true); !l.empty())
    return "several kinds of concealment in code that runs at install time (what setup.py does "
           "is hidden): " + l.substr(l.find(": ") + 2);
  for (const Finding* h : full)
    if (in(k.host, *h) && h->severity >= Severity::kMedium && h->phase == Phase::kInstall)
      return "a payload host or raw address in code that runs at install time: " + h->rule +
             " (" + Where(*h) + ")";
  for (const Finding* e : full)
    if (place(*e))
      if (const Finding* x = same_file(*e).act)
        return "an endpoint or payload host used by code that acts in the same file: " +
               pair(*e, *x);
  // Data seen flowing out (any severity) from a file that acts on something
  // hidden (a decoded address, decoded code), wherever the file runs.
  // A rule that is both (hidden-destination) does not pair with itself.
  for (const Finding* s : full)
    if (in(k.sink, *s)) {
      const InFile& f = same_file(*s);
      const Finding* h = f.hidden && f.hidden->rule != s->rule ? f.hidden : f.hidden_other;
      if (h)
        return "data sent out by code that acts on something hidden in the same file: " +
               pair(*s, *h);
    }
  for (const Finding* s : full)
    if (in(k.secret, *s) && s->severity >= Severity::kMedium)
      if (const Finding* e = same_file(*s).outlet)
        return "secret data named next to a place to send it: " + pair(*s, *e);
  // A dropper of high severity with any further evidence (low or more); a
  // weaker one (medium) with further evidence of medium severity or more.
  for (const Finding* d : full) {
    if (!in(k.dropper, *d) || d->severity < Severity::kMedium) continue;
    const Finding* const* b = d->severity >= Severity::kHigh ? backing : backing_medium;
    const Finding* x = b[0] && b[0]->rule != d->rule ? b[0] : b[1];
    if (x) return "a dropper together with further evidence: " + pair(*d, *x);
  }
  for (const Finding* f : full)
    if (!f->chain.empty() && f->severity >= Severity::kHigh &&
        (k.capability.count(f->rule) || in(k.endpoint, *f) || in(k.host, *f)))
      return "a decoded payload that itself acts: " + f->rule + " (" + Where(*f) + ", " +
             f->chain + ")";
  for (const Finding* x : full)
    if (capability(*x) && x->severity >= Severity::kHigh)
      if (const Finding* p = same_file(*x).payload)
        return "code that acts in a file that carries a hidden payload: " + pair(*x, *p);
  return "";
}

}  // namespace

Judgement Judge(const std::vector<Finding>& findings, const EvidenceKinds& kinds) {
  auto is_name = [&](const std::string& rule) { return kinds.name.count(rule) > 0; };
  std::map<std::string, std::pair<double, double>> per_rule;  // max, sum of others
  std::map<std::string, const Finding*> strongest;
  bool code_evidence = false;  // a content finding at install or import
  bool hook_evidence = false;  // medium or more, or concealment: not routine
  for (const Finding& f : findings) {
    double p = Points(f.severity) * f.weight;
    auto& [max, rest] = per_rule[f.rule];
    if (p > max || !strongest.count(f.rule)) strongest[f.rule] = &f;
    if (p > max) std::swap(p, max);
    rest += p;
    if (!is_name(f.rule) && f.severity >= Severity::kLow && Early(f)) {
      code_evidence = true;
      hook_evidence |= f.severity >= Severity::kMedium || kinds.concealment.count(f.rule) > 0;
    }
  }
  double content = 0, name = 0;
  for (const auto& [rule, v] : per_rule)
    (is_name(rule) ? name : content) += v.first + std::min(v.first, v.second / 10);
  code_evidence |= content >= kSuspiciousScore;
  hook_evidence |= content >= kSuspiciousScore;
  double total = content + name;
  if (!code_evidence) total = std::min(total, std::max(content, kMaliciousScore - 1.0));
  // An imitated name with an install hook or import-time code that is more
  // than routine (not a setup.py reading its version): malicious.
  else if (hook_evidence && name >= Points(Severity::kMedium)) total = std::max<double>(total, kMaliciousScore);
  std::string combination;
  if (total < kMaliciousScore) {
    combination = Combination(findings, kinds);
    if (!combination.empty()) total = kMaliciousScore;
  }
  std::string layered;
  if (total < kSuspiciousScore) {
    layered = LayeredConcealment(findings, kinds);
    if (!layered.empty()) total = kSuspiciousScore;
  }
  Judgement j;
  std::vector<std::pair<double, std::string>> parts;
  for (const auto& [rule, v] : per_rule) {
    double pts = v.first + std::min(v.first, v.second / 10);
    if (pts < 0.5) continue;
    const Finding* f = strongest[rule];
    std::string where = f->file.empty() ? "" : ", " + Where(*f);
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
  else if (hook_evidence && name >= Points(Severity::kMedium))
    j.reasons.push_back("an imitated name together with code that runs on install or import");
  if (!combination.empty())
    j.reasons.push_back(combination + ": raised to " + std::to_string(kMaliciousScore));
  if (!layered.empty())
    j.reasons.push_back(layered + ": raised to " + std::to_string(kSuspiciousScore));
  j.score = static_cast<int>(std::lround(std::min(100.0, total)));
  j.verdict = j.score >= kMaliciousScore    ? Verdict::kMalicious
              : j.score >= kSuspiciousScore ? Verdict::kSuspicious
                                            : Verdict::kClean;
  return j;
}

}  // namespace pyward
