// bench/audit: how long importing the OSV snapshot takes, and how long
// auditing a 1,000-package pinned requirements file against it takes
// (read + parse + look up + match), as pyward audit does it. Prints the
// measured times; it is a measurement, not a test.
//
// usage: audit_bench [SHARED_DIR]   (default: the build's ../shared)
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "audit/advisory_db.h"
#include "audit/auditor.h"
#include "audit/osv.h"
#include "audit/requirements_file.h"

using Clock = std::chrono::steady_clock;

static double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// CPU time of this process in ms: steadier than wall time on a busy machine.
static double CpuMs() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char** argv) {
  std::string shared = argc > 1 ? argv[1] : PYWARD_SHARED_DIR;
  std::string zips[] = {shared + "/osv/pypi-advisories.zip",
                        shared + "/osv/pypi-malicious.zip"};
  for (const std::string& z : zips) {
    if (!std::filesystem::exists(z)) {
      std::fprintf(stderr, "audit_bench: %s absent\n", z.c_str());
      return 2;
    }
  }
  std::string dir = std::filesystem::temp_directory_path() /
                    ("pyward-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string db_path = dir + "/advisories.sqlite";
  std::string err;

  // 1. Import the whole snapshot into a database file.
  auto t0 = Clock::now();
  auto db = pyward::AdvisoryDb::Open(db_path, true, &err);
  if (!db) {
    std::fprintf(stderr, "audit_bench: %s\n", err.c_str());
    return 2;
  }
  pyward::ImportStats stats;
  if (!db->Import({zips[0], zips[1]}, &stats, &err)) {
    std::fprintf(stderr, "audit_bench: %s\n", err.c_str());
    return 2;
  }
  auto t1 = Clock::now();
  std::printf("import: %d advisories (%d withdrawn skipped) from the snapshot in %.0f ms\n",
              stats.imported, stats.withdrawn, Ms(t0, t1));

  // 2. A 1,000-line pinned requirements file from the advisory names: each
  // package pinned to a version its advisories list (vulnerable on purpose),
  // preferring vulnerability advisories over malicious-package ones.
  std::map<std::string, std::string> vuln_pkgs, mal_pkgs;
  for (const std::string& z : zips) {
    struct archive* ar = archive_read_new();
    archive_read_support_format_zip(ar);
    archive_read_open_filename(ar, z.c_str(), 1 << 16);
    struct archive_entry* e;
    std::string data;
    char buf[1 << 16];
    while (archive_read_next_header(ar, &e) == ARCHIVE_OK) {
      data.clear();
      la_ssize_t n;
      while ((n = archive_read_data(ar, buf, sizeof buf)) > 0) data.append(buf, n);
      pyward::OsvAdvisory a;
      if (!pyward::ParseOsvJson(data, &a, &err) || a.withdrawn) continue;
      for (const auto& af : a.affected) {
        std::string v = af.versions.empty() ? "1.0" : af.versions[af.versions.size() / 2];
        (a.malicious() ? mal_pkgs : vuln_pkgs).emplace(af.package, v);
      }
    }
    archive_read_free(ar);
  }
  std::vector<std::pair<std::string, std::string>> chosen(vuln_pkgs.begin(), vuln_pkgs.end());
  std::mt19937 rng(1000);
  std::shuffle(chosen.begin(), chosen.end(), rng);
  for (const auto& m : mal_pkgs) {
    if (chosen.size() >= 1000) break;
    chosen.push_back(m);
  }
  chosen.resize(std::min<size_t>(chosen.size(), 1000));
  std::string text;
  for (const auto& [name, version] : chosen) text += name + "==" + version + "\n";

  // 3. Audit it: parse + lookups + matching, as `pyward audit` does.
  pyward::AdvisoryLookup lookup = [&](std::string_view pkg,
                                      std::vector<pyward::StoredAdvisory>* out,
                                      std::string* e) {
    return db->Lookup(pkg, out, e);
  };
  pyward::AuditOptions options;
  std::vector<double> runs, cpu_runs;
  size_t vulnerable = 0, advisories = 0, malicious = 0;
  double parse_ms = 0;
  int n_runs = std::getenv("AUDIT_BENCH_RUNS") ? std::atoi(std::getenv("AUDIT_BENCH_RUNS")) : 7;
  for (int run = 0; run < std::max(n_runs, 1); ++run) {
    double cpu0 = CpuMs();
    auto a = Clock::now();
    if (!db->BeginBatch(&err)) {
      std::fprintf(stderr, "audit_bench: %s\n", err.c_str());
      return 2;
    }
    pyward::DependencySet set;
    pyward::ReadRequirementsFile("bench-requirements.txt", text,
                                 pyward::DiskRequirementsContext(), &set);
    auto b = Clock::now();
    std::vector<pyward::DependencyReport> out;
    if (!pyward::AuditDependencies(set, lookup, options, &out, &err)) {
      std::fprintf(stderr, "audit_bench: %s\n", err.c_str());
      return 2;
    }
    db->EndBatch();
    auto c = Clock::now();
    runs.push_back(Ms(a, c));
    cpu_runs.push_back(CpuMs() - cpu0);
    parse_ms = Ms(a, b);
    vulnerable = advisories = malicious = 0;
    for (const auto& d : out) {
      vulnerable += !d.vulnerabilities.empty();
      advisories += d.vulnerabilities.size();
      malicious += !d.malicious.empty();
    }
  }
  std::sort(runs.begin(), runs.end());
  std::sort(cpu_runs.begin(), cpu_runs.end());
  {
    // The database share: the lookups alone.
    std::vector<pyward::StoredAdvisory> found;
    double cpu0 = CpuMs();
    auto a = Clock::now();
    db->BeginBatch(&err);
    for (const auto& [name, version] : chosen) db->Lookup(name, &found, &err);
    db->EndBatch();
    std::printf("lookups alone: %.1f ms wall, %.1f ms cpu\n", Ms(a, Clock::now()),
                CpuMs() - cpu0);
  }
  std::printf("audit: %zu pinned requirements -> %zu vulnerable (%zu advisories), "
              "%zu malicious\n", chosen.size(), vulnerable, advisories, malicious);
  std::printf("audit time: median %.1f ms, best %.1f ms, worst %.1f ms over %zu runs "
              "(parse %.1f ms); goal < 100 ms: %s (median / goal = %.2f)\n",
              runs[runs.size() / 2], runs.front(), runs.back(), runs.size(), parse_ms,
              runs[runs.size() / 2] < 100 ? "met" : "NOT met",
              runs[runs.size() / 2] / 100.0);
  std::printf("audit cpu time: median %.1f ms, best %.1f ms (cpu median / goal = %.2f)\n",
              cpu_runs[cpu_runs.size() / 2], cpu_runs.front(),
              cpu_runs[cpu_runs.size() / 2] / 100.0);
  db.reset();
  std::filesystem::remove_all(dir);
  return 0;
}
