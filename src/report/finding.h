// What a scan reports: findings and the per-target result (the JSON contract
// of DESIGN.md is written from these types by report/json_report.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pyward {

enum class Severity { kInfo = 0, kLow, kMedium, kHigh, kCritical };
// When the code behind a finding runs: at install, at import, at run time,
// or never (metadata, archive structure).
enum class Phase { kInstall, kImport, kRuntime, kNone };
enum class Verdict { kClean, kSuspicious, kMalicious, kError };

std::string_view SeverityName(Severity s);
std::string_view PhaseName(Phase p);
std::string_view VerdictName(Verdict v);
// Parses "info".."critical"; false when unknown.
bool ParseSeverity(std::string_view s, Severity* out);

// One reason to distrust a package.
struct Finding {
  std::string rule;      // stable id, e.g. "install-exec"
  Severity severity = Severity::kInfo;
  Phase phase = Phase::kNone;
  std::string file;      // member path inside the artifact ("" for the whole)
  int line = 0;          // 1-based, 0 when not about a line
  std::string message;   // one sentence for a person
  std::string evidence;  // the offending text, cut to a readable length
  // How much the finding counts toward the verdict: lower for tests, docs
  // and examples (not part of the output contract).
  double weight = 1.0;
  // For findings in decoded payloads: how the payload was reached
  // ("base64 -> zlib -> exec") and the start of its decoded text. Shown by
  // --explain; not part of the JSON contract otherwise.
  std::string chain;
  std::string decoded;
};

// Marks `f` as found in a decoded layer reached by `chain` (nothing when
// `chain` is empty): the message says so and f->chain keeps it.
void SetLayerChain(Finding* f, const std::string& chain);

// The outcome of scanning one target artifact.
struct ScanResult {
  std::string target;   // the path as given (or "zip!member" for collections)
  std::string sha256;   // of the artifact's bytes; "" when unreadable
  std::string package_name;
  std::string package_version;
  Verdict verdict = Verdict::kClean;
  int score = 0;        // 0-100
  std::optional<std::string> error;
  std::vector<Finding> findings;
  // What carried the verdict, strongest first (for --explain).
  std::vector<std::string> reasons;
};

}  // namespace pyward
