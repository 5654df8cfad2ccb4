// pyward scan: judge package artifacts before they are installed.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "analysis/batch.h"
#include "analysis/rules.h"
#include "analysis/scanner.h"
#include "analysis/yara_rules.h"
#include "audit/policy.h"
#include "audit/advisory_db.h"
#include "names/name_findings.h"
#include "util/file_util.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "report/report.h"
#include "util/strings.h"

namespace pyward {
namespace {

const char kScanFooter[] = R"(Examples:
  pyward scan dist/mypkg-1.0.tar.gz                   judge one sdist
  pyward scan --format json wheels/ > report.json     every artifact in a folder
  pyward scan --fail-on suspicious ./my-project       a source tree, stricter gate
  pyward scan --zip-password infected samples.zip     each member of an encrypted
                                                      sample collection is a target
  pyward scan --rules my-yara/ --policy policy.toml dist/
                                                      add your YARA rules; allow
                                                      reviewed findings
Exit status: 0 nothing at or above --fail-on, 1 something is, 2 bad usage or a
target that could not be read (takes precedence), 3 internal error.)";

bool AtOrAbove(const ScanResult& r, const std::string& fail_on) {
  if (fail_on == "malicious") return r.verdict == Verdict::kMalicious;
  if (fail_on == "suspicious")
    return r.verdict == Verdict::kMalicious || r.verdict == Verdict::kSuspicious;
  // "any": any verdict but clean, or any finding above info.
  if (r.verdict == Verdict::kMalicious || r.verdict == Verdict::kSuspicious) return true;
  for (const Finding& f : r.findings)
    if (f.severity > Severity::kInfo) return true;
  return false;
}

class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled), start_(Clock::now()) {}
  void Show(const Progress& p) {
    if (!enabled_) return;
    double secs = std::chrono::duration<double>(Clock::now() - start_).count();
    double rate = secs > 0 ? p.done / secs : 0;
    std::string cur = Printable(p.current, 60);
    std::fprintf(stderr, "\r\x1b[K[%llu/%llu] %.1f/s  %s", (unsigned long long)p.done,
                 (unsigned long long)p.total, rate, cur.c_str());
    std::fflush(stderr);
    shown_ = true;
  }
  void Clear() {
    if (shown_) std::fprintf(stderr, "\r\x1b[K");
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  bool shown_ = false;
  Clock::time_point start_;
};

}  // namespace

int RunScan(int argc, char** argv) {
  CLI::App app{"Judge Python package artifacts (sdist, wheel, egg, zip, source tree or single "
               "file) as malicious, suspicious or clean, and say why. Nothing is installed, "
               "extracted to disk or run.",
               "pyward scan"};
  app.footer(kScanFooter);
  std::vector<std::string> targets;
  std::string format = "text", fail_on = "malicious", output, zip_password, db_flag;
  std::string rules_dir, policy_path;
  int jobs = 0;
  bool quiet = false, no_names = false, explain = false;
  ScanOptions so;
  ArchiveLimits& lim = so.archive.limits;
  app.add_option("targets", targets,
                 "artifacts, source trees, or folders of artifacts (each artifact in a folder "
                 "is its own target), e.g. dist/pkg-1.0.tar.gz")
      ->required();
  app.add_option("--format,-f", format, "output format: text, json or sarif (e.g. --format json)")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  app.add_option("--fail-on", fail_on,
                 "exit 1 when a target is at or above this: malicious, suspicious or any "
                 "(any finding above info) (e.g. --fail-on suspicious)")
      ->check(CLI::IsMember({"malicious", "suspicious", "any"}));
  app.add_option("--output,-o", output, "write the report to this file instead of stdout "
                                        "(e.g. -o report.sarif)");
  app.add_option("--jobs,-j", jobs, "targets scanned in parallel; 0 = all cores (e.g. -j 2)")
      ->check(CLI::Range(0, 1024));
  app.add_option("--zip-password", zip_password,
                 "treat zips with encrypted members as sample collections, each member one "
                 "target, decrypted in memory with this password (e.g. --zip-password infected)");
  app.add_flag("--quiet,-q", quiet, "no progress line on stderr");
  app.add_flag("--explain", explain,
               "show what hidden payloads decode to, the chain of encodings that hid them, "
               "and the findings that carried each verdict (e.g. scan --explain pkg.tar.gz)");
  app.add_option("--db", db_flag,
                 "advisory database whose malicious-package (MAL-) entries mark known-malicious "
                 "names; default $PYWARD_DB, else $XDG_CACHE_HOME/pyward/advisories.sqlite "
                 "(e.g. --db advisories.sqlite; fill it with 'pyward db import')");
  app.add_flag("--no-name-checks", no_names,
               "do not judge package names (typosquats of popular packages); "
               "e.g. --no-name-checks for internal packages");
  app.add_option("--rules", rules_dir,
                 "also match every *.yar/*.yara file of this folder (YARA rules; meta "
                 "'severity' and 'description' shape the finding yara-<rule>) "
                 "(e.g. --rules data/yara)");
  app.add_option("--policy", policy_path,
                 "TOML policy whose [[allow]] entries suppress findings by rule, package, "
                 "version range or artifact sha256, each with a reason and optional expiry "
                 "(e.g. --policy pyward-policy.toml; see docs/scan-rules.md)");
  app.add_option("--max-bytes", lim.max_total_bytes,
                 "uncompressed bytes allowed per target, nested archives included "
                 "(e.g. --max-bytes 2147483648)")
      ->capture_default_str();
  app.add_option("--max-member-bytes", lim.max_member_bytes,
                 "bytes allowed for one member (e.g. --max-member-bytes 536870912)")
      ->capture_default_str();
  app.add_option("--max-members", lim.max_members, "members allowed per target (e.g. --max-members 200000)")
      ->capture_default_str();
  app.add_option("--max-ratio", lim.max_ratio,
                 "uncompressed/compressed ratio allowed once a target expands past 32 MiB "
                 "(e.g. --max-ratio 500)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--max-depth", lim.max_depth,
                 "how deep nested archives are opened; 0 = not at all (e.g. --max-depth 3)")
      ->capture_default_str()
      ->check(CLI::Range(0, 16));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }

  RuleSet rules;
  std::string err;
  if (!rules.LoadDefault(&err)) {
    std::fprintf(stderr, "pyward scan: %s\n", err.c_str());
    return kExitInternal;
  }
  YaraRules yara;
  if (!rules_dir.empty()) {
    if (!yara.LoadDir(rules_dir, &err)) {
      std::fprintf(stderr, "pyward scan: %s\n", err.c_str());
      return kExitUsage;
    }
    so.yara = &yara;
  }
  Policy policy;
  if (!policy_path.empty()) {
    if (!LoadPolicy("pyward scan", policy_path, &policy)) return kExitUsage;
    so.policy = &policy;
    so.today = TodayUtc();
  }
  std::unique_ptr<NameChecker> names;
  MaliciousNameList malicious_names;
  if (!no_names) {
    std::string db_path = ResolveDbPath(db_flag);
    if (GetPathKind(db_path) == PathKind::kFile) {
      std::vector<std::pair<std::string, std::string>> pkgs;
      std::unique_ptr<AdvisoryDb> db = AdvisoryDb::Open(db_path, false, &err);
      if (!db || !db->MaliciousPackages(&pkgs, &err)) {
        std::fprintf(stderr, "pyward scan: advisory database %s: %s\n", db_path.c_str(),
                     err.c_str());
        return kExitUsage;
      }
      for (auto& [name, id] : pkgs) malicious_names.Add(name, std::move(id));
    } else if (!db_flag.empty()) {
      std::fprintf(stderr, "pyward scan: no advisory database at %s\n", db_path.c_str());
      return kExitUsage;
    } else if (!quiet) {
      std::fprintf(stderr,
                   "pyward scan: note: no advisory database at %s: known-malicious package "
                   "names are not checked (load one with 'pyward db import' or 'pyward db "
                   "update')\n",
                   db_path.c_str());
    }
    malicious_names.Freeze();
    names = NameChecker::Load("", &err, &malicious_names);
    if (!names) {
      std::fprintf(stderr, "pyward scan: %s\n", err.c_str());
      return kExitInternal;
    }
  }
  Scanner scanner(&rules, so, names.get());
  BatchOptions bo;
  bo.jobs = jobs > 0 ? jobs : std::max(1u, std::thread::hardware_concurrency());
  bo.zip_password = zip_password;

  std::ofstream file_out;
  if (!output.empty()) {
    file_out.open(output, std::ios::binary | std::ios::trunc);
    if (!file_out) {
      std::fprintf(stderr, "pyward scan: cannot write %s\n", output.c_str());
      return kExitUsage;
    }
  }
  std::ostream& out = output.empty() ? std::cout : file_out;

  std::vector<std::string> notes;
  std::vector<PlannedTarget> plan = PlanTargets(targets, bo, &notes);
  for (const std::string& n : notes) std::fprintf(stderr, "pyward scan: note: %s\n", n.c_str());

  ReportFormat fmt;
  ParseReportFormat(format, &fmt);
  TextOptions text_opts;
  text_opts.explain = explain;
  text_opts.color = fmt == ReportFormat::kText && output.empty() && isatty(STDOUT_FILENO) &&
                    !std::getenv("NO_COLOR");
  ProgressLine progress(!quiet && isatty(STDERR_FILENO));
  std::vector<ScanResult> results;
  bool any_error = false, any_fail = false;
  int counts[4] = {0, 0, 0, 0};
  RunBatch(
      scanner, plan, bo,
      [&](ScanResult&& r) {
        any_error |= r.verdict == Verdict::kError;
        for (const Finding& f : r.findings)
          if (f.rule == "policy-expired")
            std::fprintf(stderr, "pyward scan: note: %s: %s\n", r.target.c_str(),
                         f.message.c_str());
        any_fail |= AtOrAbove(r, fail_on);
        ++counts[int(r.verdict)];
        if (fmt == ReportFormat::kText) {
          progress.Clear();
          out << ScanTextOne(r, text_opts);
          out.flush();
        } else {
          results.push_back(std::move(r));
        }
      },
      [&](const Progress& p) { progress.Show(p); });
  progress.Clear();

  if (fmt == ReportFormat::kJson) out << ScanJson(results, explain);
  else if (fmt == ReportFormat::kSarif) out << ScanSarif(results);
  else {
    uint64_t n = counts[0] + counts[1] + counts[2] + counts[3];
    out << "\n" << n << " target(s): " << counts[int(Verdict::kMalicious)] << " malicious, "
        << counts[int(Verdict::kSuspicious)] << " suspicious, " << counts[int(Verdict::kClean)]
        << " clean, " << counts[int(Verdict::kError)] << " error\n";
  }
  out.flush();
  if (!out) {
    std::fprintf(stderr, "pyward scan: writing the report failed\n");
    return kExitInternal;
  }
  if (any_error) return kExitUsage;
  return any_fail ? kExitFindings : kExitOk;
}

}  // namespace pyward
