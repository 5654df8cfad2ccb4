// User YARA rules (pyward scan --rules DIR): every *.yar / *.yara file of a
// folder, compiled once with libyara into one frozen ruleset that all
// scanning threads share. A rule that matches a file of a package becomes a
// finding "yara-<rule name>" whose severity comes from the rule's meta
// `severity` (info..critical; medium when absent) and whose message comes
// from its meta `description`.
//
// libyara allows at most 32 concurrent scanners per ruleset: Scan makes
// callers beyond that wait, so any number of threads may call it.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "package/package.h"
#include "report/finding.h"

struct YR_RULES;

namespace pyward {

class YaraRules {
 public:
  YaraRules() = default;
  ~YaraRules();
  YaraRules(const YaraRules&) = delete;
  YaraRules& operator=(const YaraRules&) = delete;

  // Compiles every *.yar and *.yara file of `dir` (sorted by name). False
  // with *err ("path:line: message") on the first compile error, or when
  // the folder cannot be read or holds no rule file.
  bool LoadDir(const std::string& dir, std::string* err);
  // Same, from (file name, rule text) pairs given directly (tests).
  bool LoadFromTexts(const std::vector<std::pair<std::string, std::string>>& files,
                     std::string* err);

  // Appends one finding per rule that matches `bytes`, labelled `file`,
  // with phase `phase`; the line is that of the rule's first string match.
  // Safe to call from many threads at once.
  void Scan(std::string_view bytes, const std::string& file, Phase phase,
            std::vector<Finding>* out) const;

  // Scans every file of `pkg`; findings in tests, docs and examples count
  // kTestWeight, as other rules' do.
  void ScanPackage(const Package& pkg, std::vector<Finding>* out) const;

  bool loaded() const { return rules_ != nullptr; }

 private:
  YR_RULES* rules_ = nullptr;
  static constexpr int kMaxScanners = 32;  // libyara's YR_MAX_THREADS
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  mutable int active_ = 0;
};

}  // namespace pyward
