// Indicators as data: domains, URL shapes, file paths, environment variable
// names, API names and command shapes that are suspicious inside a Python
// package. They are read from the files of data/indicators/ (one category
// per file; see data/indicators/README.md for the format) and compiled once
// into one vectorscan (Hyperscan) database.
//
// Like re2::RE2::Set, an IndicatorSet is immutable once loaded and may be
// matched from many threads at once: each call borrows a scratch space from
// a small pool (hs_clone_scratch), so no state is shared between matches.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "package/package.h"
#include "report/finding.h"

namespace pyward {

// One pattern of one indicator file.
struct Indicator {
  std::string category;     // the file's category, e.g. "webhook"
  std::string attack;       // the file's ATT&CK technique, e.g. "T1567.004"
  std::string pattern;      // as written, without its "lit:"/"re:" prefix
  bool regex = false;       // a regular expression, else a literal
  bool caseless = true;     // "lit:"/"re:" ignore case, "LIT:"/"RE:" do not
  Severity severity = Severity::kMedium;
  std::string description;  // what it is, for a person
  std::string source;       // "file.txt:LINE" where it was written
};

class IndicatorSet {
 public:
  IndicatorSet();
  ~IndicatorSet();
  IndicatorSet(const IndicatorSet&) = delete;
  IndicatorSet& operator=(const IndicatorSet&) = delete;

  // Loads and compiles every *.txt file of `dir` (sorted by name). False
  // with *err ("file:line: problem") when a file is unreadable or malformed
  // or a pattern does not compile. Call once, before any Match. With a
  // `cache_dir`, the compiled database is kept there (named by a digest of
  // the files' text and the vectorscan version) and reused by later runs,
  // which saves the compile (a few hundred ms); a cache that cannot be read
  // or written is ignored.
  bool Load(const std::string& dir, std::string* err, const std::string& cache_dir = {});
  // Same, from (file name, text) pairs given directly (tests).
  bool LoadFromTexts(const std::vector<std::pair<std::string, std::string>>& files,
                     std::string* err, const std::string& cache_dir = {});

  // True when the last load reused a cached database.
  bool from_cache() const { return from_cache_; }

  // Calls `fn` once for each indicator that occurs in `bytes`, with the end
  // offset of its first occurrence; calls come in order of offset. Safe to
  // call from many threads at once. Does nothing when nothing is loaded.
  using MatchFn = std::function<void(const Indicator&, size_t end_offset)>;
  void Match(std::string_view bytes, const MatchFn& fn) const;

  const std::vector<Indicator>& indicators() const { return indicators_; }
  bool empty() const { return indicators_.empty(); }

 private:
  struct Engine;  // the vectorscan database and its scratch pool
  std::vector<Indicator> indicators_;
  std::unique_ptr<Engine> engine_;
  bool from_cache_ = false;
};

// The folder where pyward keeps compiled indicators: $XDG_CACHE_HOME/pyward,
// else ~/.cache/pyward; "" when neither is known.
std::string IndicatorCacheDir();

// Parses one indicator file's text into *out (appending). `name` is used in
// messages. False with *err ("name:line: problem") when malformed.
bool ParseIndicatorFile(std::string_view name, std::string_view text,
                        std::vector<Indicator>* out, std::string* err);

// Matches `text` (the bytes of one file, or a layer decoded from it) and
// appends one finding per indicator found: rule "indicator-<category>", the
// line of the first occurrence, evidence = the match within its line, cut to
// a readable length. `file` labels the findings; `phase` is their phase.
// Weighting by the file's role is the caller's business.
void AppendIndicatorFindings(const IndicatorSet& set, std::string_view text,
                             const std::string& file, Phase phase,
                             std::vector<Finding>* out);

// Matches every file of `pkg` (text and binary alike) and appends the
// findings, weighted by role as the other rules are: matches in tests, docs
// and examples count kTestWeight, and so do those in files that installing
// or importing the package does not run (prose, CI configuration, shell
// scripts, developer task files): only Python code, bytecode, .pth files and
// bundled native programs count fully.
void AppendPackageIndicatorFindings(const IndicatorSet& set, const Package& pkg,
                                    std::vector<Finding>* out);

}  // namespace pyward
