// Combining findings into a score (0-100) and a verdict.
#pragma once

#include <string>
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

// Score: per rule, the strongest finding counts fully (severity points times
// its weight) and each further one adds a tenth, so one rule repeated never
// outweighs several kinds of evidence; the sum is capped at 100.
// malicious >= 70, suspicious >= 35.
// Findings about the package's name (typosquat, dependency-confusion,
// stdlib-name) raise the verdict to malicious only together with content
// evidence (a finding of medium severity or more in install- or import-time
// code, or content alone reaching suspicious): a squatted name alone is at
// most suspicious. A known-malicious name counts on its own.
Judgement Judge(const std::vector<Finding>& findings);

constexpr int kMaliciousScore = 70;
constexpr int kSuspiciousScore = 35;

}  // namespace pyward
