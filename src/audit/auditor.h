// The auditor: DependencySet + advisories + policy -> per-dependency report.
//
// For a pinned or resolved version it reports the advisories that affect it
// (merged by alias group), the MAL- entries naming the package, and the
// smallest upgrade clearing every known advisory. For a range or a bare name
// it judges the range's worst case: every version the advisories and the
// range itself name is tried against the range, and the advisories any
// admitted version suffers are reported as an `unpinned-requirement`
// finding (with the worst version and the lower bound that clears them),
// not as facts about an installed version.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/advisory_db.h"
#include "audit/dependency.h"
#include "audit/pep508.h"
#include "audit/policy.h"
#include "report/finding.h"

namespace pyward {

// Where advisories come from (the database, or a fake in tests): all
// advisories for a PEP 503 name.
using AdvisoryLookup = std::function<bool(
    std::string_view package, std::vector<StoredAdvisory>* out,
    std::string* err)>;

struct AuditOptions {
  // Target environment; a dependency whose marker is certainly false for it
  // is left out.
  MarkerEnvironment environment;
  // Whether ranges admit pre-releases when judging their worst case.
  bool prereleases = false;
  const Policy* policy = nullptr;
  std::string today;  // "YYYY-MM-DD" for policy expiry; "" = TodayUtc()
};

struct VulnerabilityReport {
  std::string id;                    // the alias group's representative
  std::vector<std::string> aliases;  // every other id and alias
  std::string severity;              // critical|high|medium|low|none|unknown
  std::vector<std::string> fixed;    // fixed versions, oldest first
  std::string summary;
  std::vector<std::string> vectors;  // CVSS vectors
};

struct DependencyReport {
  DeclaredDependency dependency;
  std::optional<std::string> version;  // pinned or resolved
  std::vector<VulnerabilityReport> vulnerabilities;
  std::vector<std::string> malicious;  // MAL- ids
  std::vector<Finding> findings;
  std::optional<std::string> upgrade;  // smallest version clearing all
  std::vector<std::string> ignored;    // "ID: reason" suppressed by policy
};

struct TargetReport {
  std::string target;                 // the input as given
  std::optional<std::string> error;   // unreadable input / input problems
  std::vector<DependencyReport> dependencies;
};

// Problems that are findings about installed files (RECORD hash mismatches,
// missing files, paths outside the environment), not input errors.
bool IsIntegrityProblem(const InputProblem& p);
// Attaches integrity problems to the report of the distribution whose
// metadata folder holds the RECORD in question. AuditDependencies calls it.
void AttachIntegrityFindings(const std::vector<InputProblem>& problems,
                             std::vector<DependencyReport>* reports);

// Audits one input's dependencies. Fails (false, *err) only when the
// advisory source fails.
bool AuditDependencies(const DependencySet& set, const AdvisoryLookup& lookup,
                       const AuditOptions& options,
                       std::vector<DependencyReport>* out, std::string* err);

}  // namespace pyward
