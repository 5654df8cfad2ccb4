// names_bench: how well and how fast NameChecker separates names reported
// malicious from ordinary ones (issue 6, item 7). Not a test: it prints
//   - the share of ../shared/names/malicious-names-dev.txt flagged
//     (verdict suspicious or worse),
//   - the share flagged of a fixed random sample (seed below) of 20,000
//     names from ../shared/names/pypi-all-names.txt.gz that are not in the
//     popular list,
//   - the implied precision when 1.3% of the names checked are malicious,
//   - the time to load data/names and build the indexes, and the time of
//     one Check() (CPU time, so that other load on the machine does not
//     inflate it; wall-clock median and 99th percentile too),
//   - examples of flagged names on each side.
// usage: names_bench [--shared DIR] [--examples N] [--sample N] [--seed S]
//                    [--dump FILE]   (every checked name with its best match,
//                                     empty fields when none)
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "names/name_checker.h"
#include "names/public_names.h"
#include "util/file_util.h"
#include "util/strings.h"

using namespace pyward;
using Clock = std::chrono::steady_clock;

namespace {

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// CPU time of this thread in milliseconds: unlike wall time, not inflated
// when other processes share the machine.
double ThreadCpuMs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct SideResult {
  size_t total = 0, flagged = 0;
  std::map<std::string, size_t> kinds;  // flagged names by best match kind
  std::vector<NameReport> examples;
  std::vector<double> micros;  // per Check()
};

SideResult Run(const NameChecker& checker,
               const std::vector<std::string>& names, size_t want_examples) {
  SideResult r;
  r.total = names.size();
  r.micros.reserve(names.size());
  // Flagged names spread over the whole list, not just its start.
  std::vector<NameReport> flagged;
  for (const std::string& n : names) {
    auto t0 = Clock::now();
    NameReport rep = checker.Check(n);
    auto t1 = Clock::now();
    r.micros.push_back(
        std::chrono::duration<double, std::micro>(t1 - t0).count());
    if (rep.verdict == Verdict::kSuspicious ||
        rep.verdict == Verdict::kMalicious) {
      ++r.flagged;
      ++r.kinds[rep.matches.front().kind];
      flagged.push_back(std::move(rep));
    }
  }
  for (size_t i = 0; i < want_examples && i < flagged.size(); ++i)
    r.examples.push_back(
        flagged[i * flagged.size() / std::min(want_examples, flagged.size())]);
  return r;
}

void PrintExamples(const char* side, const SideResult& r) {
  std::printf("\n%s: %zu examples of flagged names\n", side, r.examples.size());
  for (const NameReport& rep : r.examples) {
    const NameMatch& m = rep.matches.front();
    std::printf("  %-32s score %2d  %-11s -> %s (rank %d): %s\n",
                rep.normalized.c_str(), rep.score, m.kind.c_str(),
                m.target.c_str(), m.target_rank, m.detail.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string shared = PYWARD_SHARED_DIR;
  size_t examples = 20, sample_size = 20000;
  uint64_t seed = 20261122;
  std::string dump;  // file to list every flagged name in (side, name, match)
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--shared"))
      shared = argv[i + 1];
    else if (!std::strcmp(argv[i], "--examples"))
      examples = std::stoul(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--sample"))
      sample_size = std::stoul(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seed"))
      seed = std::stoull(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--dump"))
      dump = argv[i + 1];
    else {
      std::fprintf(stderr,
                   "usage: names_bench [--shared DIR] [--examples N] "
                   "[--sample N] [--seed S] [--dump FILE]\n");
      return 2;
    }
  }
  std::string err;

  // Load time: data files read and indexes built, best and worst of 5.
  std::unique_ptr<NameChecker> checker;
  double load_best = 1e9, load_worst = 0, load_cpu_best = 1e9;
  for (int i = 0; i < 5; ++i) {
    auto t0 = Clock::now();
    double c0 = ThreadCpuMs();
    checker = NameChecker::LoadDefault(&err);
    load_cpu_best = std::min(load_cpu_best, ThreadCpuMs() - c0);
    double ms = Ms(Clock::now() - t0);
    if (!checker) {
      std::fprintf(stderr, "names_bench: %s\n", err.c_str());
      return 1;
    }
    load_best = std::min(load_best, ms);
    load_worst = std::max(load_worst, ms);
  }

  std::string text;
  if (!ReadFile(shared + "/names/malicious-names-dev.txt", 1 << 26, &text,
                &err)) {
    std::fprintf(stderr, "names_bench: %s\n", err.c_str());
    return 1;
  }
  std::vector<std::string> malicious;
  for (std::string_view l : Split(text, '\n'))
    if (!Trim(l).empty()) malicious.emplace_back(Trim(l));

  std::vector<std::string> unranked;
  if (!ReadNameList(
          shared + "/names/pypi-all-names.txt.gz",
          [&](std::string_view n) { return checker->PopularRank(n) == 0; },
          &unranked, &err)) {
    std::fprintf(stderr, "names_bench: %s\n", err.c_str());
    return 1;
  }
  std::sort(unranked.begin(), unranked.end());
  // Fixed sample: partial Fisher-Yates driven by mt19937_64 (portable).
  std::mt19937_64 rng(seed);
  sample_size = std::min(sample_size, unranked.size());
  for (size_t i = 0; i < sample_size; ++i)
    std::swap(unranked[i], unranked[i + rng() % (unranked.size() - i)]);
  unranked.resize(sample_size);

  SideResult mal = Run(*checker, malicious, examples);
  SideResult ord = Run(*checker, unranked, examples);
  // Mean CPU time per Check() over both lists, 3 passes, best pass.
  double cpu_per_check = 1e9;
  for (int pass = 0; pass < 3; ++pass) {
    double c0 = ThreadCpuMs();
    size_t sink = 0;
    for (const std::string& n : malicious) sink += checker->Check(n).score;
    for (const std::string& n : unranked) sink += checker->Check(n).score;
    double us =
        (ThreadCpuMs() - c0) * 1e3 / (malicious.size() + unranked.size());
    if (sink != size_t(-1)) cpu_per_check = std::min(cpu_per_check, us);
  }

  double tpr = double(mal.flagged) / mal.total,
         fpr = double(ord.flagged) / ord.total;
  const double base = 0.013;
  double precision = tpr * base / (tpr * base + fpr * (1 - base));
  std::vector<double> all = mal.micros;
  all.insert(all.end(), ord.micros.begin(), ord.micros.end());
  std::sort(all.begin(), all.end());
  double mean = 0;
  for (double v : all) mean += v;
  mean /= all.size();

  std::printf("names_bench: %zu popular targets (data: %s)\n",
              checker->target_count(), DefaultNameDataDir().c_str());
  std::printf("malicious names flagged: %zu / %zu = %.2f%%   (goal >= 12%%)\n",
              mal.flagged, mal.total, 100 * tpr);
  std::printf(
      "ordinary sample flagged: %zu / %zu = %.3f%%  (goal <= 0.3%%; seed %llu,"
      " unranked names)\n",
      ord.flagged, ord.total, 100 * fpr, static_cast<unsigned long long>(seed));
  std::printf("implied precision at a 1.3%% base rate: %.1f%%\n",
              100 * precision);
  std::printf(
      "load data/names + build indexes: %.1f ms CPU (best of 5); wall best "
      "%.1f ms, worst %.1f ms   (goal < 100 ms)\n",
      load_cpu_best, load_best, load_worst);
  std::printf(
      "one Check(): %.2f us CPU on average (best of 3 passes over %zu names)"
      "   (goal < 20 us)\n",
      cpu_per_check, all.size());
  std::printf("  wall per call: mean %.2f us, median %.2f us, p99 %.2f us\n",
              mean, all[all.size() / 2], all[all.size() * 99 / 100]);
  if (!dump.empty()) {
    if (FILE* f = std::fopen(dump.c_str(), "w")) {
      auto list = [&](const char* side, const std::vector<std::string>& names) {
        for (const std::string& n : names) {
          NameReport rep = checker->Check(n);
          if (rep.matches.empty()) {
            std::fprintf(f, "%s\t%s\t0\t\t\t0\t\n", side,
                         rep.normalized.c_str());
            continue;
          }
          const NameMatch& m = rep.matches.front();
          std::fprintf(f, "%s\t%s\t%d\t%s\t%s\t%d\t%s\n", side,
                       rep.normalized.c_str(), rep.score, m.kind.c_str(),
                       m.target.c_str(), m.target_rank, m.detail.c_str());
        }
      };
      list("mal", malicious);
      list("ord", unranked);
      std::fclose(f);
    }
  }
  std::printf("\nflagged names by the kind of their best match (malicious / "
              "ordinary):\n");
  std::map<std::string, std::pair<size_t, size_t>> kinds;
  for (const auto& [k, n] : mal.kinds) kinds[k].first = n;
  for (const auto& [k, n] : ord.kinds) kinds[k].second = n;
  for (const auto& [k, n] : kinds)
    std::printf("  %-22s %5zu / %zu\n", k.c_str(), n.first, n.second);
  PrintExamples("malicious list", mal);
  PrintExamples("ordinary sample", ord);
  return 0;
}
