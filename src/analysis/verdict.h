// Combining findings into a score (0-100) and a verdict.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "report/finding.h"

namespace pyward {

struct Judgement {
  int score = 0;
  Verdict verdict = Verdict::kClean;
  // What carried the score, strongest first, for a person ("download-exec:
  // critical, install time, 80 points"), and what capped or raised it.
  std::vector<std::string> reasons;
};

// What findings mean for the verdict: which rules are about the name, which
// are concealment, capabilities, endpoints... (data/rules/verdict.txt).
struct EvidenceKinds {
  std::set<std::string, std::less<>> name, concealment, endpoint, host, secret, dropper;
  // Rules that report a hidden payload decoded from the file (any severity,
  // info included) and rules that mean something hidden is acted on in one
  // step (decoded code run, a decoded network address used).
  std::set<std::string, std::less<>> payload, hidden_act;
  // Places that make code start again with the system (startup folders, Run
  // keys, cron) named as text.
  std::set<std::string, std::less<>> persistence;
  // Rules that follow data out to the network or a process (a flow).
  std::set<std::string, std::less<>> sink;
  // Capability rules with the least severity at which they count.
  std::map<std::string, Severity, std::less<>> capability;

  // Parses the text of data/rules/verdict.txt; false (and *err) on an
  // unknown section, an entry outside a section or a bad severity.
  bool Load(std::string_view text, std::string* err);
  // The kinds read once from data/rules/verdict.txt (empty lists, and a
  // message on stderr, when the file cannot be read).
  static const EvidenceKinds& Default();
};

// Score: per rule, the strongest finding counts fully (severity points times
// its weight) and each further one adds a tenth, so one rule repeated never
// outweighs several kinds of evidence; the sum is capped at 100.
// malicious >= 70, suspicious >= 35.
// Findings about the package's name (typosquat, dependency-confusion,
// stdlib-name) add to the score only together with content evidence (any
// finding of low severity or more in install- or import-time code, or
// content alone reaching suspicious), and make a package malicious on their
// own only with an install hook or import-time code beyond the routine
// (medium or more, or concealment): a squatted name alone is at most
// suspicious. A known-malicious name counts on its own.
// Combinations of evidence that ordinary packages do not show raise the
// score to at least 70, each with a reason (findings in tests and docs take
// no part); "early" below means install- or import-time code:
//   - concealment in an early file and a capability (high or more) in the
//     same file, early or in its functions;
//   - an endpoint of high severity in early code, a host (medium or more)
//     or a persistence place (high) in install-time code;
//   - several kinds of concealment in one install-time file (one medium or
//     more): what setup.py does is hidden;
//   - an endpoint or host (medium or more) and a capability in one file;
//   - secret data named (medium or more) and an endpoint, a host or a flow
//     of data out (a sink rule; medium or more) in one file;
//   - a dropper (high or more) and a second kind of evidence (capability,
//     endpoint, host, concealment or name; low or more), or a dropper of
//     medium severity and such evidence of medium or more;
//   - a capability or endpoint of high severity inside a decoded payload;
//   - something hidden acted on (a hidden-act rule, high or more: decoded
//     code run, a decoded network address used) in early code;
//   - a flow of data out (a sink rule, any severity) in a file that acts on
//     something hidden (a hidden-act rule, high or more), wherever it runs;
//   - a capability (high or more) in a file that carries a hidden payload
//     pyward decoded (a payload rule, info included), wherever it runs.
// Several kinds of concealment in one import-time file (one medium or more)
// raise the score to at least 35 (suspicious); in an install-time file, to 70
// (above).
// A capability counts at its least severity from EvidenceKinds (high unless
// the data says otherwise).
Judgement Judge(const std::vector<Finding>& findings,
                const EvidenceKinds& kinds = EvidenceKinds::Default());

constexpr int kMaliciousScore = 70;
constexpr int kSuspiciousScore = 35;

}  // namespace pyward
