// NameChecker: judges a project name by itself - a typosquat of a popular
// project, a known-malicious name, an internal name exposed to dependency
// confusion. Built once from NameData (data/names/), then immutable: one
// instance may be shared read-only by any number of threads.
//
//   std::string err;
//   auto checker = NameChecker::LoadDefault(nullptr, &err);  // data/names
//   NameReport r = checker->Check("reqeusts");
//   // r.verdict == Verdict::kSuspicious, r.matches[0].target == "requests"
//
// The result is a score with reasons, not a boolean: every candidate carries
// its kind (typo, lookalike, decoration...), its target and that target's
// download rank; the score weighs how typo-like the change is, how long and
// distinctive the target is, and how popular it is.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "names/id_index.h"
#include "names/name_data.h"
#include "report/finding.h"

namespace pyward {

// One way a name imitates another project.
struct NameMatch {
  std::string target;  // normalised name imitated
  std::string kind;  // "typo", "typo2", "repeats", "lookalike", "too-similar",
                     // "delimiter", "reorder", "py-affix", "plural",
                     // "spelling", "decoration", "stdlib-name",
                     // "known-malicious", "dependency-confusion"
  int target_rank = 0;  // download rank of target, 0 when unranked
  int score = 0;        // 0-100: the evidence carried by this match alone
  std::string detail;   // e.g. "swapped letters", "decoration token 'dev'"
  std::string advisory;  // known-malicious: the advisory id ("MAL-2024-1")
};

// The answer for one name.
struct NameReport {
  std::string name;        // as given
  std::string normalized;  // PEP 503
  bool valid = true;       // false: not a valid project name (verdict kError)
  Verdict verdict = Verdict::kClean;
  int score = 0;                     // 0-100
  int popular_rank = 0;              // the name's own rank, 0 when unranked
  std::vector<NameMatch> matches;    // best first
  std::vector<std::string> reasons;  // sentences for a person, best first
};

// Hook for known-malicious names (OSV "MAL-" advisories, filled by the
// advisory importer). Implementations must be safe to call from many threads.
class MaliciousNameSource {
 public:
  virtual ~MaliciousNameSource() = default;
  // Ids of advisories reporting `normalized` as malicious; empty when none.
  virtual std::vector<std::string> MaliciousAdvisories(
      std::string_view normalized) const = 0;
};

// Hook for dependency confusion (names/dep_confusion.h implements it).
class PrivateNameSource {
 public:
  virtual ~PrivateNameSource() = default;
  // When `normalized` is a private name that the public index also serves,
  // fills *why and returns true. Must be safe to call from many threads.
  virtual bool ExposedPrivateName(std::string_view normalized,
                                  std::string* why) const = 0;
};

// Score at and above which a name is reported suspicious.
constexpr int kNameSuspiciousScore = 65;
// Score at and above which two popular names count as a near-pair.
constexpr int kNamePairScore = 40;

class NameChecker {
 public:
  // Builds the indexes over `data`. The sources, when given, must outlive
  // the checker.
  explicit NameChecker(const NameData& data,
                       const MaliciousNameSource* malicious = nullptr,
                       const PrivateNameSource* private_names = nullptr);
  NameChecker(const NameChecker&) = delete;
  NameChecker& operator=(const NameChecker&) = delete;

  // Loads data/names (DefaultNameDataDir(), or `dir` when not empty) and
  // builds a checker; nullptr with *err set when the data is unreadable.
  static std::unique_ptr<NameChecker> Load(const std::string& dir,
                                           std::string* err,
                                           const MaliciousNameSource* malicious = nullptr);
  static std::unique_ptr<NameChecker> LoadDefault(std::string* err) {
    return Load("", err);
  }

  // Judges `name` (any spelling; normalised here). Thread-safe.
  NameReport Check(std::string_view name) const;

  // Download rank of `name` in the popular list, 0 when absent.
  int PopularRank(std::string_view name) const;

  // Every pair (less popular, more popular) of popular names that Check()
  // would relate with a score of kNamePairScore or more if the less popular
  // one were unranked, with the best match: the source of
  // data/names/allowlist.tsv.
  std::vector<std::pair<std::string, NameMatch>> PopularNearPairs() const;

  size_t target_count() const { return targets_.size(); }

 private:
  struct Target {
    std::string name;     // normalised
    std::string bare;     // without delimiters
    int rank = 0;         // 0: a standard-library module without a rank
    int ns_bare_len = 0;  // delimiter-free length of its namespace prefix
    int ns_len = 0;       // length of that prefix in `name` (0: none)
    // Set when `name` is a name people type for another popular project
    // (data/names/aliases.tsv): `rank` is then that project's rank.
    std::string alias_of;
  };
  void Candidates(const std::string& norm, const std::string& bare,
                  std::vector<NameMatch>* out) const;
  void AddMatch(uint32_t id, const std::string& norm, const char* kind,
                int base, std::string detail,
                std::vector<NameMatch>* out, int cap = 99) const;
  int Score(const Target& t, const std::string& norm, int base) const;
  // Ids whose key of kind `tag` is `key` (confirmed by recomputing it).
  template <typename Fn>
  void ForKey(char tag, std::string_view key, Fn fn) const;
  std::string KeyOf(char tag, const Target& t) const;
  size_t NamespaceLength(std::string_view norm) const;
  bool Allowed(const std::string& name, const std::string& target) const;

  std::vector<Target> targets_;
  std::unordered_map<std::string, int> rank_;  // popular name -> rank
  std::unordered_set<std::string> stdlib_;
  // One hash index over every key kind (TaggedHash tags): 'B' bare name,
  // 'D' the normalised name and each one-letter deletion of it (symmetric
  // delete for edit distance 1), 'C' repeats collapsed, 'S' the index's
  // too-similar key, 'T' sorted words, 'P' name with py/python removed.
  IdIndex index_;
  std::unordered_set<std::string> allowed_pairs_;  // "a\tb", both orders
  std::unordered_set<std::string> allowed_names_;
  std::vector<std::string> namespaces_;                    // longest first
  std::vector<std::pair<std::string, int>> decorations_;   // token, base
  std::vector<std::pair<std::string, std::string>> lookalikes_;
  std::vector<std::pair<std::string, std::string>> spellings_;
  const MaliciousNameSource* malicious_;
  const PrivateNameSource* private_names_;
};

}  // namespace pyward
