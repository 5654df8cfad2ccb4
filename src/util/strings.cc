#include "util/strings.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace pyward {

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n'))
    ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' ||
                   s[e - 1] == '\n'))
    --e;
  return s.substr(b, e - b);
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t p = s.find(sep, start);
    if (p == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, p - start));
    start = p + 1;
  }
}

bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  if (suffix.size() > s.size()) return false;
  // ASCII case folding, as ToLower does, byte by byte (no copies).
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  std::string_view tail = s.substr(s.size() - suffix.size());
  for (size_t i = 0; i < suffix.size(); ++i)
    if (lower(tail[i]) != lower(suffix[i])) return false;
  return true;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid.
static size_t Utf8SeqLen(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) n = 3;
  else if (c >= 0xF0 && c <= 0xF4) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
  if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
  if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
  if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
  if (c == 0xF4 && c1 >= 0x90) return 0;  // > U+10FFFF
  return n;
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t n = Utf8SeqLen(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string Printable(std::string_view s, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (chars >= max_chars) {
      out += "...";
      return out;
    }
    size_t n = Utf8SeqLen(s, i);
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (n == 1 && (c >= 0x20 && c != 0x7F)) {
      out.push_back(static_cast<char>(c));
    } else if (n == 1 && c == '\t') {
      out.push_back(' ');
    } else if (n > 1) {
      out.append(s.substr(i, n));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
      n = 1;
    }
    i += n;
    ++chars;
  }
  return out;
}

int LineOfOffset(std::string_view text, size_t off) {
  off = std::min(off, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + off, '\n'));
}

std::string_view LineAt(std::string_view text, size_t off) {
  off = std::min(off, text.size());
  size_t b = text.rfind('\n', off == 0 ? 0 : off - 1);
  b = (b == std::string_view::npos || (off == 0)) ? 0 : b + 1;
  if (off > 0 && text[off - 1] == '\n') b = off;
  size_t e = text.find('\n', off);
  if (e == std::string_view::npos) e = text.size();
  std::string_view line = text.substr(b, e - b);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | ((cp >> 18) & 0x07)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {

// Bytes in rough order of how common they are in source text and prose,
// most common first; bytes not listed are rarer than any listed.
constexpr std::string_view kCommonBytes =
    " \n\tetaoinsr_.(),'\"=:lhdcumfpgwybvkxjqz";

}  // namespace

bool Contains(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > hay.size()) return false;
  // memchr to each occurrence of the needle's least common byte (among its
  // first 32: choosing costs nothing on a long needle), then one memcmp: a
  // fast pass whatever byte the needle starts with.
  size_t k = 0, k_rank = 0;
  for (size_t i = 0; i < std::min<size_t>(needle.size(), 32); ++i) {
    size_t at = kCommonBytes.find(needle[i]);
    size_t rank = at == std::string_view::npos ? kCommonBytes.size() : at;
    if (i == 0 || rank > k_rank) {
      k = i;
      k_rank = rank;
    }
  }
  const char* base = hay.data();
  size_t last_start = hay.size() - needle.size();  // candidates start in [0, last_start]
  for (size_t from = k; from <= last_start + k;) {
    const void* p = std::memchr(base + from, needle[k], last_start + k + 1 - from);
    if (!p) return false;
    size_t at = static_cast<size_t>(static_cast<const char*>(p) - base);
    if (std::memcmp(base + at - k, needle.data(), needle.size()) == 0) return true;
    from = at + 1;
  }
  return false;
}

}  // namespace pyward
