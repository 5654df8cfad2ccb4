#include "report/finding.h"

namespace pyward {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kLow: return "low";
    case Severity::kMedium: return "medium";
    case Severity::kHigh: return "high";
    case Severity::kCritical: return "critical";
  }
  return "info";
}

std::string_view PhaseName(Phase p) {
  switch (p) {
    case Phase::kInstall: return "install";
    case Phase::kImport: return "import";
    case Phase::kRuntime: return "runtime";
    case Phase::kNone: return "none";
  }
  return "none";
}

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kClean: return "clean";
    case Verdict::kSuspicious: return "suspicious";
    case Verdict::kMalicious: return "malicious";
    case Verdict::kError: return "error";
  }
  return "error";
}

bool ParseSeverity(std::string_view s, Severity* out) {
  for (Severity v : {Severity::kInfo, Severity::kLow, Severity::kMedium,
                     Severity::kHigh, Severity::kCritical}) {
    if (SeverityName(v) == s) {
      *out = v;
      return true;
    }
  }
  return false;
}

void SetLayerChain(Finding* f, const std::string& chain) {
  if (chain.empty()) return;
  f->message += " [in code hidden by " + chain + "]";
  f->chain = chain;
}

}  // namespace pyward
