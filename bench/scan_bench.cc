// Scan throughput over the dev corpus (../shared/corpus), against the cost
// of decompression alone, measured in the same run over the same bytes.
//
//   build/bench/scan_bench [CORPUS_DIR]
//
// Every artifact is first loaded into memory (benign-dev files, and the
// members of malicious-dev.zip decrypted with the collection's password), so
// disk reads are not measured. Then, for 1 and 2 threads:
//   decompress: every member read through libarchive and discarded;
//   scan:       the full pyward scan of each artifact (archive reader with
//               nesting and anomaly checks, package model, rules, verdict).
// It prints artifacts/s, compressed MB/s and the ratio scan/decompress; on
// one thread also the scan without payload unpacking (ScanOptions::unpack
// false) and the ratio scan/scan-no-unpack: what unpacking costs.
//
// One-time loads are done before any timed pass: the rule set (compiled
// indicator patterns), and the data files the scan path reads once per
// process on first use (verdict rules, Unicode tables, unpacking
// indicators, standard-library names), which a warm-up scan of every 100th
// artifact reaches. A long-running scanner pays these once, not per
// artifact; every artifact's own work (reading, parsing, rules) stays in
// the timed passes, which scan every artifact again.
#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "analysis/rules.h"
#include "analysis/scanner.h"
#include "archive/archive_reader.h"
#include "archive/format.h"
#include "util/file_util.h"

namespace fs = std::filesystem;
using pyward::ContainerFormat;

namespace {

struct Artifact {
  std::string name;
  std::string bytes;
};

// Reads every member through libarchive, as the scanner's reader opens it,
// and discards the data. Returns the uncompressed bytes seen.
uint64_t DecompressOnly(const std::string& bytes) {
  ContainerFormat fmt = pyward::DetectFormat(bytes);
  struct archive* a = archive_read_new();
  if (fmt == ContainerFormat::kZip) {
    archive_read_support_format_zip_seekable(a);
  } else {
    archive_read_support_filter_all(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
  }
  uint64_t total = 0;
  if (archive_read_open_memory(a, bytes.data(), bytes.size()) == ARCHIVE_OK) {
    struct archive_entry* e;
    static thread_local char buf[1 << 16];
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
      for (;;) {
        la_ssize_t n = archive_read_data(a, buf, sizeof buf);
        if (n <= 0) break;
        total += static_cast<uint64_t>(n);
      }
    }
  }
  archive_read_free(a);
  return total;
}

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

// Runs fn over every artifact on `threads` threads; returns the wall time
// and sets *cpu to the CPU time the workers used (on a shared machine the
// CPU-time ratios move less than the wall-time ones).
double RunParallel(const std::vector<Artifact>& arts, int threads,
                   const std::function<void(const Artifact&)>& fn, double* cpu) {
  std::atomic<size_t> next{0};
  std::atomic<int64_t> cpu_ns{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      double c0 = ThreadCpuSeconds();
      for (size_t i; (i = next.fetch_add(1)) < arts.size();) fn(arts[i]);
      cpu_ns += static_cast<int64_t>((ThreadCpuSeconds() - c0) * 1e9);
    });
  }
  for (std::thread& t : pool) t.join();
  *cpu = cpu_ns.load() / 1e9;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus = argc > 1 ? argv[1] : std::string(PYWARD_DATA_DIR) + "/../../shared/corpus";
  std::vector<Artifact> arts;
  std::string err;
  std::vector<std::string> files;
  if (!pyward::ListFilesRecursive(corpus + "/benign-dev", &files, nullptr, &err)) {
    std::fprintf(stderr, "scan_bench: %s\n", err.c_str());
    return 2;
  }
  for (const std::string& f : files) {
    Artifact a{f, {}};
    if (!pyward::ReadFile(corpus + "/benign-dev/" + f, 1ull << 32, &a.bytes, &err)) {
      std::fprintf(stderr, "scan_bench: %s\n", err.c_str());
      return 2;
    }
    arts.push_back(std::move(a));
  }
  size_t benign = arts.size();
  std::string coll;
  if (pyward::ReadFile(corpus + "/malicious-dev.zip", 1ull << 32, &coll, &err)) {
    pyward::ArchiveOptions opts;
    opts.passphrase = "infected";
    uint64_t skipped = 0;
    pyward::ForEachArchiveFile(coll, opts, [&](pyward::ArchiveMember& m) {
      arts.push_back({m.path, std::move(m.data)});
      return true;
    }, &skipped, &err);
  }
  uint64_t compressed = 0;
  for (const Artifact& a : arts) compressed += a.bytes.size();
  std::printf("corpus: %zu artifacts (%zu benign, %zu malicious), %.1f MB compressed\n",
              arts.size(), benign, arts.size() - benign, compressed / 1e6);

  pyward::RuleSet rules;
  if (!rules.LoadDefault(&err)) {
    std::fprintf(stderr, "scan_bench: %s\n", err.c_str());
    return 2;
  }
  pyward::Scanner scanner(&rules, {});
  pyward::ScanOptions no_unpack_opts;
  no_unpack_opts.unpack = false;
  pyward::Scanner no_unpack(&rules, no_unpack_opts);
  for (size_t i = 0; i < arts.size(); i += 100) {  // warm-up: one-time loads, untimed
    pyward::ScanResult r = scanner.ScanBytes(arts[i].name, arts[i].name, arts[i].bytes);
    (void)r;
  }
  std::atomic<uint64_t> uncompressed{0};
  std::printf("%-8s %-14s %10s %12s %12s\n", "threads", "pass", "seconds", "artifacts/s", "MB/s");
  for (int threads : {1, 2}) {
    uncompressed = 0;
    double dcpu, scpu;
    double d = RunParallel(arts, threads, [&](const Artifact& a) {
      uncompressed += DecompressOnly(a.bytes);
    }, &dcpu);
    double s = RunParallel(arts, threads, [&](const Artifact& a) {
      pyward::ScanResult r = scanner.ScanBytes(a.name, a.name, a.bytes);
      (void)r;
    }, &scpu);
    std::printf("%-8d %-14s %10.2f %12.0f %12.1f\n", threads, "decompress", d, arts.size() / d,
                compressed / 1e6 / d);
    std::printf("%-8d %-14s %10.2f %12.0f %12.1f\n", threads, "scan", s, arts.size() / s,
                compressed / 1e6 / s);
    std::printf("%-8d ratio scan/decompress = %.2f   (cpu time %.2f s / %.2f s = %.2f; "
                "uncompressed %.1f MB)\n",
                threads, s / d, scpu, dcpu, scpu / dcpu, uncompressed.load() / 1e6);
    if (threads == 1) {
      // What unpacking costs: the same scan with hidden payloads left
      // encoded (ScanOptions::unpack false), in this run.
      double ncpu;
      double n = RunParallel(arts, threads, [&](const Artifact& a) {
        pyward::ScanResult r = no_unpack.ScanBytes(a.name, a.name, a.bytes);
        (void)r;
      }, &ncpu);
      std::printf("%-8d %-14s %10.2f %12.0f %12.1f\n", threads, "scan-no-unpack", n,
                  arts.size() / n, compressed / 1e6 / n);
      std::printf("%-8d ratio scan/scan-no-unpack = %.2f   (cpu time %.2f; unpacking adds "
                  "%.0f%% of cpu time)\n",
                  threads, s / n, scpu / ncpu, 100 * (scpu - ncpu) / ncpu);
    }
  }
  return 0;
}
