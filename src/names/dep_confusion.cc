#include "names/dep_confusion.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cctype>

#include "names/name_rules.h"
#include "names/public_names.h"
#include "util/file_util.h"
#include "util/strings.h"

namespace pyward {
namespace {

bool ReadStringArray(const toml::node_view<const toml::node>& node,
                     const char* what, bool names,
                     std::vector<std::string>* out, std::string* err) {
  if (!node) return true;
  const toml::array* arr = node.as_array();
  if (!arr) {
    *err = fmt::format("{} must be an array of strings", what);
    return false;
  }
  for (const toml::node& el : *arr) {
    std::optional<std::string> s = el.value<std::string>();
    if (!s || (names && !IsValidName(*s) && !IsValidName(*s + "x"))) {
      *err = fmt::format("{}: every entry must be a project name string", what);
      return false;
    }
    out->push_back(names ? NormalizeName(*s) : *s);
  }
  return true;
}

// Lower case, no trailing '/', for comparing index URLs.
std::string CanonicalUrl(std::string_view url) {
  std::string u = ToLower(Trim(url));
  while (!u.empty() && u.back() == '/') u.pop_back();
  return u;
}

}  // namespace

bool ParseNamesConfig(std::string_view toml_text, const std::string& origin,
                      NamesConfig* out, std::string* err) {
  toml::table parsed;
  try {
    parsed = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    *err = fmt::format("{}:{}: {}", origin, e.source().begin.line,
                       std::string(e.description()));
    return false;
  }
  const toml::table& t = parsed;
  std::string why;
  auto fail = [&]() {
    *err = origin + ": " + why;
    return false;
  };
  if (auto idx = t["private"]["index-url"]) {
    if (!idx.is_string()) {
      why = "private.index-url must be a string";
      return fail();
    }
    out->private_index = *idx.value<std::string>();
  }
  if (!ReadStringArray(t["private"]["packages"], "private.packages", true,
                       &out->packages, &why) ||
      !ReadStringArray(t["private"]["prefixes"], "private.prefixes", true,
                       &out->prefixes, &why) ||
      !ReadStringArray(t["allow"]["names"], "allow.names", true,
                       &out->allow_names, &why))
    return fail();
  if (auto pairs = t["allow"]["pairs"]) {
    const toml::array* arr = pairs.as_array();
    if (!arr) {
      why = "allow.pairs must be an array of [name, name] pairs";
      return fail();
    }
    for (const toml::node& el : *arr) {
      std::vector<std::string> pair;
      if (!ReadStringArray(toml::node_view<const toml::node>(&el),
                           "allow.pairs", true, &pair, &why) ||
          pair.size() != 2) {
        why = "allow.pairs must be an array of [name, name] pairs";
        return fail();
      }
      out->allow_pairs.emplace_back(pair[0], pair[1]);
    }
  }
  if (auto pub = t["public"]["names"]) {
    if (!pub.is_string()) {
      why = "public.names must be a path string";
      return fail();
    }
    out->public_names = *pub.value<std::string>();
  }
  return true;
}

bool LoadNamesConfig(const std::string& path, NamesConfig* out,
                     std::string* err) {
  std::string text;
  if (!ReadFile(path, uint64_t{1} << 24, &text, err)) {
    *err = path + ": " + *err;
    return false;
  }
  return ParseNamesConfig(text, path, out, err);
}

void ParseRequirementIndexes(std::string_view text, IndexSetup* setup,
                             std::vector<RequirementName>* reqs,
                             std::vector<std::string>* includes) {
  // Join continuation lines, remembering where each logical line starts.
  std::vector<std::pair<std::string, int>> lines;
  std::string cur;
  int start = 0, number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    ++number;
    pos = end + 1;
    if (cur.empty()) start = number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.back() == '\\') {
      cur.append(line.substr(0, line.size() - 1));
      cur.push_back(' ');
      continue;
    }
    cur.append(line);
    lines.emplace_back(std::move(cur), start);
    cur.clear();
  }
  for (auto& [raw, line_no] : lines) {
    // A comment starts at '#' at the line start or after whitespace.
    std::string_view line = raw;
    for (size_t i = 0; i < line.size(); ++i)
      if (line[i] == '#' &&
          (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
        line = line.substr(0, i);
        break;
      }
    line = Trim(line);
    if (line.empty()) continue;
    std::vector<std::string_view> words;
    for (std::string_view w : Split(line, ' '))
      if (!Trim(w).empty()) words.push_back(Trim(w));
    auto option_value = [&](size_t i, std::string_view opt) -> std::string {
      std::string_view w = words[i];
      if (w.size() > opt.size() && w.substr(0, opt.size()) == opt &&
          w[opt.size()] == '=')
        return std::string(w.substr(opt.size() + 1));
      if (w == opt && i + 1 < words.size()) return std::string(words[i + 1]);
      return "";
    };
    std::string_view first = words[0];
    if (first.front() == '-') {
      for (const char* opt : {"--index-url", "-i"})
        if (std::string v = option_value(0, opt); !v.empty())
          setup->index_url = v;
      if (std::string v = option_value(0, "--extra-index-url"); !v.empty())
        setup->extra_index_urls.push_back(v);
      if (first == "--no-index") setup->no_index = true;
      for (const char* opt : {"-r", "--requirement", "-c", "--constraint"})
        if (std::string v = option_value(0, opt); !v.empty())
          includes->push_back(v);
      continue;
    }
    RequirementName r;
    size_t n = 0;
    while (n < first.size() &&
           (std::isalnum(static_cast<unsigned char>(first[n])) ||
            first[n] == '.' || first[n] == '_' || first[n] == '-'))
      ++n;
    if (n == 0) continue;  // a path or URL: no name to judge
    r.name = std::string(first.substr(0, n));
    while (!r.name.empty() &&
           !std::isalnum(static_cast<unsigned char>(r.name.back())))
      r.name.pop_back();
    if (!IsValidName(r.name)) continue;
    r.line = line_no;
    size_t at = line.find('@');
    if (at != std::string_view::npos) {
      std::string_view rest = Trim(line.substr(at + 1));
      r.direct_url = std::string(rest.substr(0, rest.find_first_of(" ;")));
    }
    r.hashed = line.find("--hash") != std::string_view::npos;
    reqs->push_back(std::move(r));
  }
}

bool IsPublicIndexUrl(std::string_view url) {
  std::string u = CanonicalUrl(url);
  for (const char* host :
       {"://pypi.org", "://pypi.python.org", "://www.pypi.org",
        "://upload.pypi.org", "://files.pythonhosted.org"}) {
    size_t p = u.find(host);
    if (p != std::string::npos && p < 8) return true;
  }
  return false;
}

bool DependencyConfusion::Init(const NamesConfig& config, std::string* err) {
  config_ = config;
  packages_.clear();
  packages_.insert(config_.packages.begin(), config_.packages.end());
  public_private_.clear();
  if (config_.packages.empty() && config_.prefixes.empty()) return true;
  std::string path = config_.public_names.empty() ? DefaultPublicNamesPath()
                                                  : config_.public_names;
  std::vector<std::string> kept;
  if (!ReadNameList(
          path, [this](std::string_view n) { return IsPrivateNormalized(n); },
          &kept, err))
    return false;
  public_private_.insert(kept.begin(), kept.end());
  return true;
}

bool DependencyConfusion::IsPrivate(std::string_view name) const {
  return IsPrivateNormalized(NormalizeName(name));
}

bool DependencyConfusion::IsPrivateNormalized(std::string_view n) const {
  if (packages_.count(std::string(n))) return true;
  for (const std::string& p : config_.prefixes)
    if (n.size() >= p.size() && n.substr(0, p.size()) == p) return true;
  return false;
}

bool DependencyConfusion::OnPublicIndex(std::string_view name) const {
  return public_private_.count(NormalizeName(name)) > 0;
}

bool DependencyConfusion::ExposedPrivateName(std::string_view normalized,
                                             std::string* why) const {
  if (!IsPrivate(normalized) || !OnPublicIndex(normalized)) return false;
  *why = fmt::format(
      "'{}' is a private package (names config) but the public index also has "
      "a project of that name: an installer that sees both may take the "
      "public one",
      normalized);
  return true;
}

bool DependencyConfusion::RequirementAtRisk(const RequirementName& req,
                                            const IndexSetup& setup,
                                            std::string* why) const {
  if (!IsPrivate(req.name)) return false;
  const std::string priv = CanonicalUrl(config_.private_index);
  // A direct reference ("name @ URL") names one file: pip asks no index.
  if (!req.direct_url.empty()) return false;
  if (setup.no_index) return false;  // only local files
  std::vector<std::string> indexes;
  indexes.push_back(setup.index_url.empty() ? "https://pypi.org/simple"
                                            : setup.index_url);
  for (const std::string& e : setup.extra_index_urls) indexes.push_back(e);
  bool has_private = false;
  std::vector<std::string> others;
  for (const std::string& i : indexes) {
    if (!priv.empty() && CanonicalUrl(i) == priv)
      has_private = true;
    else
      others.push_back(i);
  }
  if (others.empty()) return false;
  std::string pub = OnPublicIndex(req.name)
                        ? "the public index already has a project of that name"
                        : "the name is free on the public index, so anyone can "
                          "register it";
  if (!has_private)
    *why = fmt::format(
        "private package '{}' resolves without the private index (from {}); {}",
        req.name, others.front(), pub);
  else
    *why = fmt::format(
        "private package '{}' is not pinned to the private index: pip also "
        "asks {} and installs the highest version found anywhere; {}",
        req.name, others.front(), pub);
  if (req.hashed) *why += " (its --hash pins limit the damage)";
  return true;
}

}  // namespace pyward
