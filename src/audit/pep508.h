// PEP 508 dependency specifications ("name[extra]>=1.0; python_version<'3.9'")
// and environment markers, evaluated against a chosen target environment.
// Project names compare after PEP 503 normalisation.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "audit/pep440.h"
#include "names/name_rules.h"  // NormalizeName (PEP 503)

namespace pyward {

// A valid PEP 508 project name: [A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?.
bool IsValidProjectName(std::string_view name);

// The environment markers are evaluated against. A variable without a value
// is unknown: comparisons on it are unknown, and unknown propagates through
// `and`/`or` (Kleene logic), so a dependency is dropped only when its marker
// is certainly false for the target.
struct MarkerEnvironment {
  // Canonical variable name (python_version, sys_platform, ...) -> value.
  std::map<std::string, std::string> values;
  // Extras requested (PEP 503 normalised); `extra == "x"` is true iff x is
  // among them. Always known (empty: no extra requested).
  std::set<std::string> extras;

  // A target: python version "3.11" (python_full_version "3.11.0" unless
  // given in full) and platform "linux" | "win32" | "darwin" (sets
  // sys_platform, platform_system, os_name); "" leaves a part unknown.
  // False (and *err) on an unknown platform or a bad version.
  static bool ForTarget(std::string_view python_version,
                        std::string_view platform, MarkerEnvironment* out,
                        std::string* err);
};

enum class Tri { kFalse, kTrue, kUnknown };

// A parsed marker expression; immutable, shareable.
class Marker {
 public:
  Marker();
  ~Marker();
  Marker(const Marker&);
  Marker& operator=(const Marker&);
  // Parses a marker ("python_version >= '3.8' and sys_platform != 'win32'").
  static bool Parse(std::string_view text, Marker* out, std::string* err);
  // True when no marker was given (always applies).
  bool empty() const { return root_ == nullptr; }
  Tri Evaluate(const MarkerEnvironment& env) const;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
};

// One PEP 508 requirement.
struct Requirement {
  std::string name;                  // as written
  std::vector<std::string> extras;   // as written
  std::string specifier;             // as written, without parentheses
  SpecifierSet specifiers;           // parsed `specifier`
  std::string url;                   // after '@', if any
  std::string marker_text;           // after ';', trimmed
  Marker marker;
};

// Parses a whole PEP 508 requirement string; false (and *err) when invalid.
bool ParseRequirement(std::string_view text, Requirement* out,
                      std::string* err);

}  // namespace pyward
