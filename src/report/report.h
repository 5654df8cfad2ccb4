// Writing scan results in the formats every command offers: the JSON
// contract of DESIGN.md, SARIF 2.1.0, and text for a person.
#pragma once

#include <string>
#include <vector>

#include "report/finding.h"

namespace pyward {

enum class ReportFormat { kText, kJson, kSarif };
// Parses "text", "json" or "sarif"; false when unknown.
bool ParseReportFormat(const std::string& s, ReportFormat* out);

struct TextOptions {
  bool color = false;         // ANSI colours (terminals only)
  size_t evidence_chars = 200;
  bool explain = false;       // decoded payloads, their chains, the verdict's reasons
  size_t explain_chars = 600;
};

// {"tool": {...}, "results": [...]} exactly as DESIGN.md specifies. With
// `explain`, findings from decoded payloads also carry "chain" and
// "decoded", and each result "reasons" (extra keys; the contract's keys are
// unchanged).
std::string ScanJson(const std::vector<ScanResult>& results, bool explain = false);
// A SARIF 2.1.0 log with one run; targets that could not be scanned become
// tool execution notifications.
std::string ScanSarif(const std::vector<ScanResult>& results);
// One block per target: verdict line, then `file:line  severity  rule
// message` and the offending text.
std::string ScanText(const std::vector<ScanResult>& results, const TextOptions& opts);
// The text block of a single result (used for streaming output).
std::string ScanTextOne(const ScanResult& r, const TextOptions& opts);

}  // namespace pyward
