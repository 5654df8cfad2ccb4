// pyward audit: known vulnerabilities, malicious packages, unpinned
// requirements and missing hashes in dependency manifests, offline.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <set>

#include "audit/advisory_db.h"
#include "audit/audit_inputs.h"
#include "audit/audit_report.h"
#include "audit/auditor.h"
#include "audit/pep508.h"
#include "audit/policy.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "names/name_checker.h"
#include "names/name_findings.h"
#include "util/file_util.h"

namespace pyward {

namespace {

std::string ProblemsText(const std::vector<InputProblem>& problems) {
  std::string out;
  size_t shown = 0;
  for (const InputProblem& p : problems) {
    if (shown == 10) {
      out += "; ... (" + std::to_string(problems.size()) + " problems in all)";
      break;
    }
    if (!out.empty()) out += "; ";
    out += p.file;
    if (p.line > 0) out += ":" + std::to_string(p.line);
    out += ": " + p.message + " [" + p.rule + "]";
    ++shown;
  }
  return out;
}

}  // namespace

int RunAudit(int argc, char** argv) {
  CLI::App app{
      "Audit dependency manifests offline: known vulnerabilities (OSV), "
      "known-malicious packages, unpinned requirements and missing hashes.\n"
      "Exit status: 0 clean, 1 findings at or above --fail-on, 2 bad usage "
      "or an input that could not be read, 3 internal error."};
  app.name("pyward audit");
  std::vector<std::string> inputs, envs, extras;
  std::string db_flag, format_name = "text", policy_path, python_version,
              platform, fail_on = "low";
  bool pre = false, no_advisories = false, verbose = false;
  app.add_option("inputs", inputs,
                 "requirements file, pyproject.toml, lockfile or folder "
                 "holding them (example: requirements.txt)");
  AddRepeatable(&app, "--env", &envs,
                "an installed environment or venv to audit, repeatable "
                "(example: --env .venv)");
  app.add_option("--db", db_flag,
                 "advisory database (example: --db advisories.sqlite); "
                 "default $PYWARD_DB, else "
                 "$XDG_CACHE_HOME/pyward/advisories.sqlite");
  app.add_option("--format", format_name,
                 "text, json, sarif or markdown (example: --format json)");
  app.add_option("--policy", policy_path,
                 "TOML policy of ignored advisories with reasons and expiry "
                 "(example: --policy pyward-policy.toml)");
  app.add_option("--python-version", python_version,
                 "target Python for markers (example: --python-version 3.11)");
  app.add_option("--platform", platform,
                 "target platform for markers: linux, win32 or darwin "
                 "(example: --platform linux)");
  AddRepeatable(&app, "--extra", &extras,
                "an extra requested, for `extra ==` markers; repeatable "
                "(example: --extra socks)");
  app.add_flag("--pre", pre,
               "let ranges admit pre-releases when judging their worst case "
               "(example: --pre)");
  app.add_option("--fail-on", fail_on,
                 "lowest finding severity that makes the exit status 1: "
                 "info, low, medium, high, critical (example: --fail-on high)");
  app.add_flag("--no-advisories", no_advisories,
               "skip the advisory database: only pins, hashes and input "
               "errors (example: --no-advisories)");
  bool no_names = false;
  app.add_flag("--no-name-checks", no_names,
               "do not judge dependency names (typosquats of popular projects) "
               "(example: --no-name-checks)");
  app.add_flag("-v,--verbose", verbose,
               "also show info-level findings in text and markdown "
               "(example: -v)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  std::unique_ptr<NameChecker> names;
  if (!no_names) {
    std::string nerr;
    names = NameChecker::LoadDefault(&nerr);
    if (!names) {
      std::fprintf(stderr, "pyward audit: %s\n", nerr.c_str());
      return kExitInternal;
    }
  }
  AuditFormat format;
  if (!ParseAuditFormat(format_name, &format)) {
    std::fprintf(stderr, "pyward audit: unknown format '%s'\n", format_name.c_str());
    return kExitUsage;
  }
  Severity threshold;
  if (!ParseSeverity(fail_on, &threshold)) {
    std::fprintf(stderr, "pyward audit: unknown severity '%s'\n", fail_on.c_str());
    return kExitUsage;
  }
  if (inputs.empty() && envs.empty()) {
    std::fprintf(stderr,
                 "pyward audit: nothing to audit\nexample: pyward audit "
                 "requirements.txt\n");
    return kExitUsage;
  }
  AuditOptions options;
  std::string err;
  if (!MarkerEnvironment::ForTarget(python_version, platform,
                                    &options.environment, &err)) {
    std::fprintf(stderr, "pyward audit: %s\n", err.c_str());
    return kExitUsage;
  }
  for (const std::string& e : extras)
    options.environment.extras.insert(NormalizeName(e));
  options.prereleases = pre;
  Policy policy;
  if (!policy_path.empty()) {
    if (!LoadPolicy("pyward audit", policy_path, &policy)) return kExitUsage;
    options.policy = &policy;
  }
  std::unique_ptr<AdvisoryDb> db;
  if (!no_advisories) {
    db = AdvisoryDb::Open(ResolveDbPath(db_flag), false, &err);
    if (!db || !db->BeginBatch(&err)) {
      std::fprintf(stderr, "pyward audit: %s\n", err.c_str());
      return kExitUsage;
    }
    int64_t age = db->AgeSeconds();
    if (age < 0) {
      std::fprintf(stderr,
                   "pyward audit: warning: the advisory database is empty "
                   "(pyward db import / pyward db update)\n");
    } else if (age > 30 * 86400) {
      std::fprintf(stderr,
                   "pyward audit: warning: the advisory database was last "
                   "updated %lld days ago (pyward db update)\n",
                   static_cast<long long>(age / 86400));
    }
  }
  AdvisoryLookup lookup = [&db](std::string_view pkg,
                                std::vector<StoredAdvisory>* out,
                                std::string* e) {
    out->clear();
    return db ? db->Lookup(pkg, out, e) : true;
  };

  std::vector<TargetReport> reports;
  auto audit_one = [&](const std::string& arg, bool as_env) -> bool {
    std::vector<AuditInput> expanded;
    std::string e;
    if (!ExpandAuditInput(arg, as_env, &expanded, &e)) {
      TargetReport t;
      t.target = arg;
      t.error = e;
      reports.push_back(std::move(t));
      return true;
    }
    for (const AuditInput& in : expanded) {
      TargetReport t;
      t.target = in.target;
      DependencySet set;
      if (!ReadAuditInput(in, &set, &e)) {
        t.error = e;
        reports.push_back(std::move(t));
        continue;
      }
      std::vector<InputProblem> input_problems;
      for (const InputProblem& p : set.problems)
        if (!IsIntegrityProblem(p)) input_problems.push_back(p);
      if (!input_problems.empty()) t.error = ProblemsText(input_problems);
      if (!AuditDependencies(set, lookup, options, &t.dependencies, &e)) {
        std::fprintf(stderr, "pyward audit: advisory database: %s\n", e.c_str());
        return false;
      }
      // Typosquats and the like among the dependency names (known-malicious
      // names come from the advisories above).
      if (names) {
        for (DependencyReport& d : t.dependencies) {
          if (d.dependency.name.empty()) continue;
          std::vector<Finding> nf;
          AppendNameFindings(names->Check(d.dependency.name), &nf);
          for (Finding& f : nf) {
            f.file = d.dependency.file;
            f.line = d.dependency.line;
            d.findings.push_back(std::move(f));
          }
        }
      }
      reports.push_back(std::move(t));
    }
    return true;
  };
  for (const std::string& in : inputs)
    if (!audit_one(in, false)) return kExitInternal;
  for (const std::string& in : envs)
    if (!audit_one(in, true)) return kExitInternal;

  if (db) db->EndBatch();
  std::string out = WriteAuditReport(reports, format, verbose);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);

  bool input_error = false, failing = false;
  for (const TargetReport& t : reports) {
    if (t.error) input_error = true;
    for (const DependencyReport& d : t.dependencies)
      for (const Finding& f : d.findings)
        if (f.severity >= threshold) failing = true;
  }
  if (input_error) return kExitUsage;
  return failing ? kExitFindings : kExitOk;
}

}  // namespace pyward
