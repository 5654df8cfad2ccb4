// Dependency confusion: a team's private packages (named in a TOML config)
// that the public index also serves, or that a requirements file lets pip
// resolve from the public index. Reads the offline public name list
// (public_names.h); no network.
//
// Config (TOML, e.g. pyward-names.toml):
//   [private]
//   index-url = "https://pypi.acme.internal/simple/"
//   packages  = ["acme-billing", "acme_auth"]
//   prefixes  = ["acme-", "acmecorp"]
//   [allow]                      # additions to data/names/allowlist.tsv
//   names = ["reqeusts-mock"]    # never reported as squats
//   pairs = [["fooo", "foo"]]    # these two are unrelated projects
//   [public]
//   names = "/path/to/pypi-names.txt.gz"   # default: data/names/
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "names/name_checker.h"

namespace pyward {

struct NamesConfig {
  std::string private_index;          // URL of the private index, "" if none
  std::vector<std::string> packages;  // normalised private names
  std::vector<std::string> prefixes;  // normalised private prefixes
  std::vector<std::string> allow_names;
  std::vector<std::pair<std::string, std::string>> allow_pairs;
  std::string public_names;  // path of the public name list, "" = default
};

// Parses the config text; `origin` names it in errors.
bool ParseNamesConfig(std::string_view toml_text, const std::string& origin,
                      NamesConfig* out, std::string* err);
bool LoadNamesConfig(const std::string& path, NamesConfig* out,
                     std::string* err);

// The indexes a requirements file lets pip resolve from.
struct IndexSetup {
  std::string index_url;  // --index-url / -i, "" = the public index
  std::vector<std::string> extra_index_urls;
  bool no_index = false;  // --no-index
};

// One requirement line, as far as confusion is concerned.
struct RequirementName {
  std::string name;        // as written
  int line = 0;            // 1-based
  std::string direct_url;  // "name @ URL", "" when none
  bool hashed = false;     // carries --hash=
};

// Reads the index options and requirement names of a requirements file
// (-r/-c includes are listed in *includes, not followed).
void ParseRequirementIndexes(std::string_view text, IndexSetup* setup,
                             std::vector<RequirementName>* reqs,
                             std::vector<std::string>* includes);

// True when `url` points at the public index (pypi.org and its aliases).
bool IsPublicIndexUrl(std::string_view url);

class DependencyConfusion : public PrivateNameSource {
 public:
  // Reads the public name list (config.public_names, else
  // DefaultPublicNamesPath()), keeping only the names that are private by
  // the config.
  bool Init(const NamesConfig& config, std::string* err);

  // True when the config makes `name` private (listed or prefixed).
  bool IsPrivate(std::string_view name) const;
  // True when the public index serves a project called `name` (only known
  // for private names).
  bool OnPublicIndex(std::string_view name) const;

  // PrivateNameSource: a private name the public index also serves.
  bool ExposedPrivateName(std::string_view normalized,
                          std::string* why) const override;

  // A private requirement that `setup` lets resolve from an index other
  // than the private one: fills *why.
  bool RequirementAtRisk(const RequirementName& req, const IndexSetup& setup,
                         std::string* why) const;

 private:
  bool IsPrivateNormalized(std::string_view n) const;

  NamesConfig config_;
  std::unordered_set<std::string> packages_;        // config_.packages
  std::unordered_set<std::string> public_private_;  // private names on PyPI
};

}  // namespace pyward
