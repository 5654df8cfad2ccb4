// Writers for `pyward audit` results: JSON (the audit contract of
// DESIGN.md, exactly), SARIF 2.1.0, text (file:line per finding) and
// markdown (for a pull-request comment).
#pragma once

#include <string>
#include <vector>

#include "audit/auditor.h"

namespace pyward {

enum class AuditFormat { kText, kJson, kSarif, kMarkdown };

// Parses "text" | "json" | "sarif" | "markdown" (also "md").
bool ParseAuditFormat(const std::string& name, AuditFormat* out);

// The whole report in `format`. Text and markdown leave out info-level
// findings unless `verbose`; JSON and SARIF carry everything.
std::string WriteAuditReport(const std::vector<TargetReport>& targets,
                             AuditFormat format, bool verbose);

std::string AuditJson(const std::vector<TargetReport>& targets);
std::string AuditSarif(const std::vector<TargetReport>& targets);
std::string AuditText(const std::vector<TargetReport>& targets, bool verbose);
std::string AuditMarkdown(const std::vector<TargetReport>& targets,
                          bool verbose);

}  // namespace pyward
