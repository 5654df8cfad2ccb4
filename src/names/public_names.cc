#include "names/public_names.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>

#include "names/name_data.h"
#include "names/name_rules.h"
#include "util/file_util.h"
#include "util/strings.h"

namespace pyward {
namespace {

constexpr uint64_t kMaxListing = uint64_t{1} << 30;

// Calls fn(normalized) for each name of a plain list.
template <typename Fn>
void ForEachPlainName(std::string_view text, size_t* skipped, Fn fn) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || line.front() == '#') continue;
    if (IsValidName(line))
      fn(NormalizeName(line));
    else
      ++*skipped;
  }
}

// Anchor texts of an HTML page: <a ...>name</a>.
template <typename Fn>
void ForEachAnchorText(std::string_view html, size_t* skipped, Fn fn) {
  size_t pos = 0;
  for (;;) {
    size_t a = html.find("<a", pos);
    if (a == std::string_view::npos) return;
    size_t gt = html.find('>', a);
    if (gt == std::string_view::npos) return;
    size_t close = html.find("</a>", gt);
    if (close == std::string_view::npos) return;
    std::string_view text = Trim(html.substr(gt + 1, close - gt - 1));
    if (IsValidName(text))
      fn(NormalizeName(text));
    else
      ++*skipped;
    pos = close + 4;
  }
}

}  // namespace


bool ParseNameListing(std::string_view text, std::vector<std::string>* names,
                      size_t* skipped, std::string* err) {
  size_t dummy = 0;
  if (!skipped) skipped = &dummy;
  auto add = [&](std::string n) { names->push_back(std::move(n)); };
  std::string_view head = Trim(text.substr(0, 512));
  if (!head.empty() && head.front() == '{') {
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("projects") ||
        !doc["projects"].is_array()) {
      *err = "not a PEP 691 project list (expected {\"projects\": [...]})";
      return false;
    }
    for (const auto& p : doc["projects"]) {
      if (p.is_object() && p.contains("name") && p["name"].is_string() &&
          IsValidName(p["name"].get<std::string>()))
        add(NormalizeName(p["name"].get<std::string>()));
      else
        ++*skipped;
    }
  } else if (ToLower(head).find("<a") != std::string::npos ||
             ToLower(head).find("<html") != std::string::npos ||
             ToLower(head).find("<!doctype") != std::string::npos) {
    ForEachAnchorText(text, skipped, add);
  } else {
    ForEachPlainName(text, skipped, add);
  }
  std::sort(names->begin(), names->end());
  names->erase(std::unique(names->begin(), names->end()), names->end());
  return true;
}

bool ReadNameList(const std::string& path,
                  const std::function<bool(std::string_view)>& keep,
                  std::vector<std::string>* kept, std::string* err) {
  std::string raw;
  if (!ReadFile(path, kMaxListing, &raw, err)) {
    *err = path + ": " + *err;
    return false;
  }
  std::string text;
  if (raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0x1f &&
      static_cast<unsigned char>(raw[1]) == 0x8b) {
    if (!Gunzip(raw, kMaxListing, &text, err)) {
      *err = path + ": " + *err;
      return false;
    }
  } else {
    text = std::move(raw);
  }
  size_t skipped = 0;
  std::string_view head = Trim(std::string_view(text).substr(0, 512));
  if (!head.empty() && (head.front() == '{' || head.front() == '<')) {
    std::vector<std::string> all;
    if (!ParseNameListing(text, &all, &skipped, err)) {
      *err = path + ": " + *err;
      return false;
    }
    for (std::string& n : all)
      if (!keep || keep(n)) kept->push_back(std::move(n));
    return true;
  }
  ForEachPlainName(text, &skipped, [&](std::string n) {
    if (!keep || keep(n)) kept->push_back(std::move(n));
  });
  return true;
}

bool WriteNameListGz(const std::string& path,
                     const std::vector<std::string>& names, std::string* err) {
  std::string text;
  for (const std::string& n : names) {
    text.append(n);
    text.push_back('\n');
  }
  std::string gz;
  if (!Gzip(text, &gz, err)) return false;
  std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    *err = tmp + ": cannot open for writing";
    return false;
  }
  bool ok = std::fwrite(gz.data(), 1, gz.size(), f) == gz.size();
  ok = (std::fclose(f) == 0) && ok;
  std::error_code ec;
  if (ok) std::filesystem::rename(tmp, path, ec);
  if (!ok || ec) {
    std::filesystem::remove(tmp, ec);
    *err = path + ": write failed";
    return false;
  }
  return true;
}

std::string DefaultPublicNamesPath() {
  return DefaultNameDataDir() + "/pypi-names.txt.gz";
}

}  // namespace pyward
