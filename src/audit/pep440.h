// PEP 440 versions and version specifiers, with the exact semantics of the
// reference implementation (Python's `packaging` 23: Version, Specifier,
// SpecifierSet), including its pre-release rules.
//
// Legacy (non-PEP 440) versions are kept, never dropped. Ordering rule:
// every legacy version sorts before every PEP 440 version; legacy versions
// sort among themselves by setuptools' historical key (packaging 21's
// LegacyVersion: numeric runs zero-padded, "pre"/"preview"/"rc" -> "c",
// "dev" -> "@", "-" -> "final-"). A legacy version satisfies only the
// arbitrary-equality operator `===` (case-insensitive string equality) and
// `!=` (always); every other operator rejects it.
//
// Numbers have no size limit (they are kept as digit strings), so versions
// like 20240101123456789012 compare correctly.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pyward {

// A parsed version: immutable, cheap to compare.
class Version {
 public:
  // Parses `text`; never fails: text that is not PEP 440 becomes a legacy
  // version (is_legacy()).
  static Version Parse(std::string_view text);
  // True when `text` is a valid PEP 440 version.
  static bool IsValid(std::string_view text);

  Version() = default;

  bool is_legacy() const { return legacy_; }
  // The text as given (surrounding whitespace trimmed).
  const std::string& original() const { return original_; }
  // Normal form (str(Version) in packaging): "1!2.0rc1.post2.dev3+abc.5".
  // Legacy versions return original().
  std::string Normalized() const;
  // Normal form without the local label.
  std::string Public() const;
  // Epoch and release only ("1!2.0").
  std::string BaseVersion() const;

  bool IsPrerelease() const { return pre_kind_ != 0 || dev_.has_value(); }
  bool IsPostrelease() const { return post_.has_value(); }
  bool HasLocal() const { return !local_.empty(); }

  // <0, 0, >0 as a is older, equal to (PEP 440 equality: 1.0 == 1.0.0) or
  // newer than b.
  friend int Compare(const Version& a, const Version& b);
  friend bool operator<(const Version& a, const Version& b) {
    return Compare(a, b) < 0;
  }
  friend bool operator==(const Version& a, const Version& b) {
    return Compare(a, b) == 0;
  }

 private:
  struct LocalPart {
    bool numeric;
    std::string text;  // digits without leading zeros, or lower-case label
  };
  friend class VersionParser;
  std::string original_;
  bool legacy_ = false;
  std::string epoch_ = "0";           // digit strings, no leading zeros
  std::vector<std::string> release_;  // as written (leading zeros removed)
  int pre_kind_ = 0;                  // 0 none, 1 a, 2 b, 3 rc
  std::string pre_num_;
  std::optional<std::string> post_;
  std::optional<std::string> dev_;
  std::vector<LocalPart> local_;
  std::vector<std::string> legacy_key_;  // legacy versions only
};

// Compares two non-negative decimal digit strings without leading zeros.
int CompareDigits(std::string_view a, std::string_view b);

// One clause such as ">=1.2" or "==1.*": immutable after Parse.
class Specifier {
 public:
  // Parses one clause; false (and *err) when packaging would reject it.
  static bool Parse(std::string_view text, Specifier* out, std::string* err);

  const std::string& op() const { return op_; }
  const std::string& version() const { return version_; }
  // Whether this clause on its own admits pre-releases (an inclusive
  // operator naming a pre-release).
  bool AdmitsPrereleases() const;
  // packaging's Specifier.contains(v, prereleases).
  bool Contains(const Version& v, std::optional<bool> prereleases) const;
  // Op and version without inner spaces, e.g. ">=1.2".
  std::string ToString() const { return op_ + version_; }

 private:
  bool Matches(const Version& v) const;  // the operator alone
  std::string op_;
  std::string version_;  // as written, stripped
  Version parsed_;       // of version_ (without ".*")
};

// A comma-separated conjunction of clauses; empty admits every final
// release (and pre-releases only when asked).
class SpecifierSet {
 public:
  // Parses ">=1.0, !=1.3, <2"; false (and *err) on any bad clause.
  static bool Parse(std::string_view text, SpecifierSet* out,
                    std::string* err);

  const std::vector<Specifier>& clauses() const { return clauses_; }
  bool empty() const { return clauses_.empty(); }
  // packaging's SpecifierSet.contains(v, prereleases): with no explicit
  // choice, pre-releases are admitted only when a clause names one.
  bool Contains(const Version& v,
                std::optional<bool> prereleases = std::nullopt) const;
  // The single version an `==V` clause (no wildcard) pins, if any.
  std::optional<std::string> PinnedVersion() const;

 private:
  std::vector<Specifier> clauses_;
};

}  // namespace pyward
