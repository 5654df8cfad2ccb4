#include "analysis/sys_path.h"

#include <algorithm>
#include <set>

#include "util/strings.h"

namespace pyward {
namespace {

bool IdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IdentChar(char c) { return IdentStart(c) || (c >= '0' && c <= '9'); }

// The argument text of the call whose '(' ends at `open` in `text` (up to
// the matching ')', at most 512 bytes), or false when it does not close.
bool CallArguments(std::string_view text, size_t open, std::string_view* args) {
  int depth = 1;
  char quote = 0;
  for (size_t i = open; i < text.size() && i < open + 512; ++i) {
    char c = text[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
      else if (c == '\n')
        return false;
      continue;
    }
    if (c == '\'' || c == '"')
      quote = c;
    else if (c == '(' || c == '[')
      ++depth;
    else if ((c == ')' || c == ']') && --depth == 0) {
      *args = text.substr(open, i - open);
      return true;
    }
  }
  return false;
}

// The folder `arg` (one argument expression) names, below the root; false
// when it is not built from literals, __file__ and path calls only.
bool FolderOf(std::string_view arg, std::string_view module_dir, std::string* out) {
  static const std::set<std::string_view> kAllowed = {
      "os",      "path",   "join",    "abspath",  "realpath", "normpath", "dirname", "str", "Path",
      "pathlib", "parent", "resolve", "absolute", "__file__", "getcwd",   "fspath",  "r",   "R"};
  std::vector<std::string_view> literals;
  bool from_file = false;
  int ups = 0;  // dirname() calls and .parent steps
  for (size_t i = 0; i < arg.size();) {
    char c = arg[i];
    if (c == '\'' || c == '"') {
      size_t end = i + 1;
      while (end < arg.size() && arg[end] != c && arg[end] != '\\') ++end;
      if (end >= arg.size() || arg[end] != c) return false;  // escapes: not read
      literals.push_back(arg.substr(i + 1, end - i - 1));
      i = end + 1;
    } else if (IdentStart(c)) {
      size_t end = i;
      while (end < arg.size() && IdentChar(arg[end])) ++end;
      std::string_view id = arg.substr(i, end - i);
      if (!kAllowed.count(id)) return false;
      if (id == "__file__") from_file = true;
      if (id == "dirname" || id == "parent") ++ups;
      i = end;
    } else if (std::string_view(" \t.,()/+").find(c) != std::string_view::npos) {
      ++i;
    } else {
      return false;
    }
  }
  std::vector<std::string> parts;
  if (from_file) {
    if (ups == 0) return false;  // the module file itself
    for (std::string_view seg : Split(module_dir, '/'))
      if (!seg.empty()) parts.emplace_back(seg);
    for (int up = 1; up < ups; ++up) {
      if (parts.empty()) return false;
      parts.pop_back();
    }
  } else if (!literals.empty() && !literals[0].empty() &&
             (literals[0][0] == '/' || literals[0][0] == '~' ||
              (literals[0].size() >= 2 && literals[0][1] == ':'))) {
    return false;  // an absolute folder: not in the archive
  }
  for (std::string_view lit : literals) {
    for (std::string_view seg : Split(lit, '/')) {
      if (seg.empty() || seg == ".") continue;
      if (seg != "..") {
        parts.emplace_back(seg);
      } else if (parts.empty()) {
        return false;
      } else {
        parts.pop_back();
      }
    }
  }
  out->clear();
  for (const std::string& p : parts) {
    if (!out->empty()) *out += '/';
    *out += p;
  }
  return true;
}

}  // namespace

std::vector<std::string> SysPathDirs(std::string_view text, std::string_view module_dir) {
  std::vector<std::string> out;
  constexpr std::string_view kSysPath = "sys.path.";
  for (size_t at = text.find(kSysPath); at != std::string_view::npos && out.size() < 64;
       at = text.find(kSysPath, at + 1)) {
    std::string_view rest = text.substr(at + kSysPath.size());
    bool insert = rest.substr(0, 7) == "insert(";
    if (!insert && rest.substr(0, 7) != "append(") continue;
    std::string_view args;
    if (!CallArguments(text, at + kSysPath.size() + 7, &args)) continue;
    if (insert) {
      // The index comes first: the folder after the first comma.
      size_t comma = args.find(',');
      if (comma == std::string_view::npos) continue;
      args = args.substr(comma + 1);
    }
    std::string dir;
    if (FolderOf(Trim(args), module_dir, &dir) &&
        std::find(out.begin(), out.end(), dir) == out.end())
      out.push_back(std::move(dir));
  }
  return out;
}

}  // namespace pyward
