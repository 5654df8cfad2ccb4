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
};

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
