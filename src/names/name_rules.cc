#include "names/name_rules.h"

namespace pyward {
namespace {

bool IsDelimiter(char c) { return c == '-' || c == '_' || c == '.'; }
bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}
char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::string NormalizeName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool in_delims = false;
  for (char c : name) {
    if (IsDelimiter(c)) {
      if (!in_delims) out.push_back('-');
      in_delims = true;
    } else {
      out.push_back(Lower(c));
      in_delims = false;
    }
  }
  return out;
}

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  if (!IsAlnum(name.front()) || !IsAlnum(name.back())) return false;
  for (char c : name)
    if (!IsAlnum(c) && !IsDelimiter(c)) return false;
  return true;
}

std::string TooSimilarKey(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (IsDelimiter(c)) continue;
    c = Lower(c);
    if (c == 'l' || c == 'i') c = '1';
    if (c == 'o') c = '0';
    out.push_back(c);
  }
  return out;
}

std::string WithoutDelimiters(std::string_view normalized) {
  std::string out;
  out.reserve(normalized.size());
  for (char c : normalized)
    if (c != '-') out.push_back(c);
  return out;
}

std::string CollapseRepeats(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (out.empty() || out.back() != c) out.push_back(c);
  return out;
}

}  // namespace pyward
