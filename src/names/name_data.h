// The data behind name checks, read from data/names/ at run time: popular
// projects with their download rank, allowlisted near-pairs, plugin
// namespaces, decoration tokens, look-alike sequences, spelling pairs and
// standard-library module names. Every list is a plain text file a user can
// read and extend; '#' starts a comment line.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pyward {

struct PopularName {
  std::string name;  // PEP 503 normalised
  int rank = 0;      // 1 = most downloaded
};

struct NameData {
  std::vector<PopularName> popular;  // names/popular.tsv: rank<TAB>name
  // names/allowlist.tsv: "a<TAB>b" (a is never a squat of b, nor b of a) or
  // a single name (never reported as a squat). Normalised.
  std::vector<std::pair<std::string, std::string>> allowed_pairs;
  std::vector<std::string> allowed_names;
  std::vector<std::string> namespaces;  // names/namespaces.txt ("pytest-")
  // names/decorations.txt: (token, kind), kind "release" or "addon".
  std::vector<std::pair<std::string, std::string>> decorations;
  // names/lookalikes.tsv: (seen, intended), e.g. ("rn", "m").
  std::vector<std::pair<std::string, std::string>> lookalikes;
  // names/spelling.tsv: (american, british), e.g. ("color", "colour").
  std::vector<std::pair<std::string, std::string>> spellings;
  std::vector<std::string> stdlib;  // names/stdlib.txt, top-level modules
  // names/aliases.tsv: (alias, project): a name people type for a popular
  // project (its import name, "sklearn" for "scikit-learn"). Optional file.
  std::vector<std::pair<std::string, std::string>> aliases;
};

// Parsers of each file's text (fail on a malformed line, naming it in *err).
bool ParsePopularList(std::string_view text, std::vector<PopularName>* out,
                      std::string* err);
bool ParseAllowlist(std::string_view text, NameData* out, std::string* err);
// One item per line (namespaces, decorations, stdlib); normalised when
// `normalize` is set.
bool ParseWordList(std::string_view text, bool normalize,
                   std::vector<std::string>* out, std::string* err);
// Two tab-separated columns per line; a first line equal to `header` (e.g.
// "seen\tintended") is skipped.
bool ParsePairList(std::string_view text, std::string_view header,
                   std::vector<std::pair<std::string, std::string>>* out,
                   std::string* err);

// Reads every list from `dir` (a data/names folder). allowlist.tsv and
// aliases.tsv may be absent; the others must exist.
bool LoadNameData(const std::string& dir, NameData* out, std::string* err);

// The data/names folder of this installation (DataDir() + "/names").
std::string DefaultNameDataDir();

}  // namespace pyward
