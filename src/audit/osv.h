// OSV advisories (https://ossf.github.io/osv-schema/): parsing one JSON
// entry, and deciding whether a version is affected exactly as the OSV
// schema defines it: the union of the `versions` list and of every
// ECOSYSTEM range (introduced / fixed / last_affected / limit events, sorted
// by version). Affected entries that carry only GIT ranges and no versions
// cannot be decided by version: they answer kUnknown ("fix version
// unknown"), never a guess.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/pep440.h"

namespace pyward {

struct OsvEvent {
  enum Kind { kIntroduced, kFixed, kLastAffected, kLimit };
  Kind kind;
  std::string version;
};

struct OsvRange {
  std::string type;  // "ECOSYSTEM", "SEMVER", "GIT"
  std::vector<OsvEvent> events;
};

// One `affected` entry for one package.
struct OsvAffected {
  std::string package;               // PEP 503 normalised
  std::vector<OsvRange> ranges;
  std::vector<std::string> versions;  // as listed
  // EqualityKey of each of `versions` (filled by PrepareAffected; matching
  // computes them on the fly when absent).
  std::vector<std::string> version_keys;
  // Database rows carry the list packed instead: "\nv1\nv2\n" and the
  // matching keys likewise ("" when `versions` is used).
  std::string packed_versions;
  std::string packed_keys;
};

// The listed versions of `a`, from `versions` or the packed form.
std::vector<std::string> ListedVersions(const OsvAffected& a);

// Fills a.version_keys.
void PrepareAffected(OsvAffected* a);

struct OsvAdvisory {
  std::string id;
  std::vector<std::string> aliases;
  std::string summary;               // summary, else the start of details
  std::string modified, published;
  bool withdrawn = false;
  std::vector<std::string> vectors;  // "CVSS_V3:CVSS:3.1/AV:N/..."
  std::vector<OsvAffected> affected;  // PyPI entries only
  bool malicious() const { return id.rfind("MAL-", 0) == 0; }
};

// Parses one OSV JSON document; false (and *err) when it is not one.
bool ParseOsvJson(std::string_view json, OsvAdvisory* out, std::string* err);

enum class AffectState { kNotAffected, kAffected, kUnknown };

// Whether `v` is affected by `a` (see the file comment).
AffectState Affects(const OsvAffected& a, const Version& v);

// An affected entry prepared for matching many versions: events parsed and
// sorted once. Immutable; Match gives the same answer as Affects. It refers
// to `a`, which must outlive it.
class AffectedMatcher {
 public:
  explicit AffectedMatcher(const OsvAffected& a);
  // `key` must be EqualityKey(v).
  AffectState Match(const Version& v, const std::string& key) const;

 private:
  struct Event {
    OsvEvent::Kind kind;
    bool zero;  // introduced "0": below every version
    Version version;
  };
  struct Range {
    std::vector<Event> events;  // sorted, limits excluded
    std::vector<Version> limits;
    bool limit_star = false;
  };
  const std::vector<std::string>* versions_;  // as listed
  const std::vector<std::string>* keys_;      // their EqualityKey
  std::vector<std::string> own_keys_;  // when `a` had none prepared
  const std::string* packed_versions_;
  const std::string* packed_keys_;
  std::vector<Range> ranges_;          // ECOSYSTEM ranges only
  bool git_only_ = false;
};

// The key two versions share exactly when PEP 440 calls them equal
// ("1.0" and "1.0.0"); legacy versions key on their text.
std::string EqualityKey(const Version& v);

// The CVSS v3.x base score of a vector ("CVSS:3.1/AV:N/AC:L/..."), or -1
// when it is not a complete v3 vector.
double CvssV3BaseScore(std::string_view vector);
// "critical" | "high" | "medium" | "low" | "none" for a CVSS score, and
// "unknown" for a negative one.
std::string SeverityForScore(double score);
// The qualitative severity of an advisory from its vectors ("CVSS_V3:..."
// entries); "unknown" when it has no v3 vector (v4 scores are not computed).
std::string SeverityOfVectors(const std::vector<std::string>& vectors);

}  // namespace pyward
