#include "names/name_data.h"

#include <charconv>

#include "names/name_rules.h"
#include "util/data_files.h"
#include "util/file_util.h"
#include "util/strings.h"

namespace pyward {
namespace {

constexpr uint64_t kMaxListBytes = uint64_t{64} << 20;

// Calls fn(line, line_number) for each non-empty, non-comment line.
template <typename Fn>
bool ForEachLine(std::string_view text, Fn fn) {
  int number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = Trim(text.substr(pos, end - pos));
    ++number;
    pos = end + 1;
    if (line.empty() || line.front() == '#') continue;
    if (!fn(line, number)) return false;
  }
  return true;
}

std::string LineError(int number, std::string_view why) {
  return "line " + std::to_string(number) + ": " + std::string(why);
}

bool ReadList(const std::string& dir, const char* file, std::string* text,
              std::string* err) {
  std::string path = dir + "/" + file;
  if (!ReadFile(path, kMaxListBytes, text, err)) {
    *err = path + ": " + *err;
    return false;
  }
  return true;
}

}  // namespace

bool ParsePopularList(std::string_view text, std::vector<PopularName>* out,
                      std::string* err) {
  return ForEachLine(text, [&](std::string_view line, int number) {
    std::vector<std::string_view> f = Split(line, '\t');
    if (f.size() != 2) {
      *err = LineError(number, "expected rank<TAB>name");
      return false;
    }
    if (f[0] == "rank") return true;  // header
    int rank = 0;
    auto [p, ec] =
        std::from_chars(f[0].data(), f[0].data() + f[0].size(), rank);
    if (ec != std::errc() || p != f[0].data() + f[0].size() || rank <= 0) {
      *err = LineError(number, "rank is not a positive number");
      return false;
    }
    std::string_view name = Trim(f[1]);
    if (!IsValidName(name)) {
      *err = LineError(number, "invalid project name");
      return false;
    }
    out->push_back({NormalizeName(name), rank});
    return true;
  });
}

bool ParseAllowlist(std::string_view text, NameData* out, std::string* err) {
  return ForEachLine(text, [&](std::string_view line, int number) {
    std::vector<std::string_view> f = Split(line, '\t');
    if (f.size() > 2 || !IsValidName(Trim(f[0])) ||
        (f.size() == 2 && !IsValidName(Trim(f[1])))) {
      *err = LineError(number, "expected name or name<TAB>name");
      return false;
    }
    if (f.size() == 1)
      out->allowed_names.push_back(NormalizeName(Trim(f[0])));
    else
      out->allowed_pairs.emplace_back(NormalizeName(Trim(f[0])),
                                      NormalizeName(Trim(f[1])));
    return true;
  });
}

bool ParseWordList(std::string_view text, bool normalize,
                   std::vector<std::string>* out, std::string* err) {
  return ForEachLine(text, [&](std::string_view line, int number) {
    if (line.find_first_of(" \t") != std::string_view::npos) {
      *err = LineError(number, "expected one word");
      return false;
    }
    out->push_back(normalize ? NormalizeName(line) : ToLower(line));
    return true;
  });
}

bool ParsePairList(std::string_view text, std::string_view header,
                   std::vector<std::pair<std::string, std::string>>* out,
                   std::string* err) {
  bool first = true;
  return ForEachLine(text, [&](std::string_view line, int number) {
    bool was_first = first;
    first = false;
    if (was_first && line == header) return true;
    std::vector<std::string_view> f = Split(line, '\t');
    if (f.size() != 2 || Trim(f[0]).empty() || Trim(f[1]).empty()) {
      *err = LineError(number, "expected two tab-separated columns");
      return false;
    }
    out->emplace_back(ToLower(Trim(f[0])), ToLower(Trim(f[1])));
    return true;
  });
}

bool LoadNameData(const std::string& dir, NameData* out, std::string* err) {
  std::string text, why;
  auto fail = [&](const char* file) {
    *err = dir + "/" + file + ": " + why;
    return false;
  };
  if (!ReadList(dir, "popular.tsv", &text, err)) return false;
  if (!ParsePopularList(text, &out->popular, &why)) return fail("popular.tsv");
  if (GetPathKind(dir + "/allowlist.tsv") == PathKind::kFile) {
    if (!ReadList(dir, "allowlist.tsv", &text, err)) return false;
    if (!ParseAllowlist(text, out, &why)) return fail("allowlist.tsv");
  }
  if (!ReadList(dir, "namespaces.txt", &text, err)) return false;
  if (!ParseWordList(text, true, &out->namespaces, &why))
    return fail("namespaces.txt");
  if (!ReadList(dir, "decorations.txt", &text, err)) return false;
  if (!ParsePairList(text, "token\tkind", &out->decorations, &why))
    return fail("decorations.txt");
  for (const auto& [token, kind] : out->decorations) {
    if (kind != "release" && kind != "addon" && kind != "installer") {
      why = "kind of '" + token + "' must be release, addon or installer";
      return fail("decorations.txt");
    }
  }
  if (!ReadList(dir, "stdlib.txt", &text, err)) return false;
  if (!ParseWordList(text, true, &out->stdlib, &why)) return fail("stdlib.txt");
  if (!ReadList(dir, "lookalikes.tsv", &text, err)) return false;
  if (!ParsePairList(text, "seen\tintended", &out->lookalikes, &why))
    return fail("lookalikes.tsv");
  if (!ReadList(dir, "spelling.tsv", &text, err)) return false;
  if (!ParsePairList(text, "american\tbritish", &out->spellings, &why))
    return fail("spelling.tsv");
  if (GetPathKind(dir + "/aliases.tsv") == PathKind::kFile) {
    if (!ReadList(dir, "aliases.tsv", &text, err)) return false;
    if (!ParsePairList(text, "alias\tproject", &out->aliases, &why))
      return fail("aliases.tsv");
    for (auto& [alias, project] : out->aliases) {
      if (!IsValidName(alias) || !IsValidName(project)) {
        why = "invalid project name in '" + alias + "\t" + project + "'";
        return fail("aliases.tsv");
      }
      alias = NormalizeName(alias);
      project = NormalizeName(project);
    }
  }
  return true;
}

std::string DefaultNameDataDir() { return DataDir() + "/names"; }

}  // namespace pyward
