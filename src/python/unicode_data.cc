#include "python/unicode_data.h"

#include "util/gzip.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "util/data_files.h"

namespace pyward {
namespace python {

namespace {

// Reads and inflates one of data/python's gzip files.
bool LoadLines(const char* file, std::string* text) {
  std::string gz, err;
  if (!ReadDataFile(file, &gz, &err)) return false;
  return Gunzip(gz, 64u << 20, text, &err);  // no data file of ours is this large
}

uint32_t ParseHex(std::string_view s, bool* ok) {
  uint32_t v = 0;
  *ok = !s.empty() && s.size() <= 8;
  for (char c : s) {
    v <<= 4;
    if (c >= '0' && c <= '9') v |= c - '0';
    else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
    else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
    else *ok = false;
  }
  return v;
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> f;
  size_t p = 0;
  for (;;) {
    size_t t = line.find('\t', p);
    f.push_back(line.substr(p, t == std::string_view::npos ? t : t - p));
    if (t == std::string_view::npos) break;
    p = t + 1;
  }
  return f;
}

template <typename Fn>
void ForEachLine(const std::string& text, Fn fn) {
  size_t p = 0;
  while (p < text.size()) {
    size_t e = text.find('\n', p);
    if (e == std::string::npos) e = text.size();
    std::string_view line(text.data() + p, e - p);
    if (!line.empty() && line[0] != '#') fn(line);
    p = e + 1;
  }
}

struct Range {
  std::string prefix;
  uint32_t first, last;
};

struct NameTable {
  std::unordered_map<std::string, uint32_t> names;
  std::vector<Range> ranges;
  NameTable() {
    std::string text;
    if (!LoadLines("python/unicode_names.txt.gz", &text)) return;
    names.reserve(50000);
    ForEachLine(text, [&](std::string_view line) {
      auto f = Fields(line);
      bool ok;
      if (f.size() == 4 && f[0] == "RANGE") {
        bool ok2;
        Range r{std::string(f[1]), ParseHex(f[2], &ok), ParseHex(f[3], &ok2)};
        if (ok && ok2) ranges.push_back(std::move(r));
      } else if (f.size() == 2) {
        uint32_t cp = ParseHex(f[0], &ok);
        if (ok) names.emplace(std::string(f[1]), cp);
      }
    });
  }
};

struct NfkcTable {
  std::unordered_map<uint32_t, std::u32string> map;
  NfkcTable() {
    std::string text;
    if (!LoadLines("python/identifier_nfkc.txt.gz", &text)) return;
    ForEachLine(text, [&](std::string_view line) {
      auto f = Fields(line);
      if (f.size() != 2) return;
      bool ok;
      uint32_t cp = ParseHex(f[0], &ok);
      if (!ok) return;
      std::u32string to;
      size_t p = 0;
      while (p < f[1].size()) {
        size_t sp = f[1].find(' ', p);
        if (sp == std::string_view::npos) sp = f[1].size();
        uint32_t c = ParseHex(f[1].substr(p, sp - p), &ok);
        if (!ok) return;
        to.push_back(c);
        p = sp + 1;
      }
      map.emplace(cp, std::move(to));
    });
  }
};

const NameTable& Names() {
  static const NameTable* t = new NameTable();
  return *t;
}

const NfkcTable& Nfkc() {
  static const NfkcTable* t = new NfkcTable();
  return *t;
}

// Decodes one UTF-8 sequence at s[*i]; invalid bytes decode as themselves
// with *valid false.
}  // namespace

char32_t DecodeUtf8(std::string_view s, size_t* i, bool* valid) {
  unsigned char c = s[*i];
  *valid = true;
  if (c < 0x80) {
    ++*i;
    return c;
  }
  int n = (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
  if (n < 0 || *i + n >= s.size()) {
    *valid = false;
    ++*i;
    return c;
  }
  uint32_t cp = c & (0x3F >> n);
  for (int k = 1; k <= n; ++k) {
    unsigned char d = s[*i + k];
    if ((d & 0xC0) != 0x80) {
      *valid = false;
      ++*i;
      return c;
    }
    cp = (cp << 6) | (d & 0x3F);
  }
  *i += n + 1;
  return cp;
}

namespace {

struct IdRange {
  uint32_t first, last;
  bool start;
};

struct IdTable {
  std::vector<IdRange> ranges;  // sorted, disjoint
  bool loaded = false;
  IdTable() {
    std::string text;
    if (!LoadLines("python/identifier_chars.txt.gz", &text)) return;
    ForEachLine(text, [&](std::string_view line) {
      auto f = Fields(line);
      bool ok1, ok2;
      if (f.size() != 3) return;
      IdRange r{ParseHex(f[0], &ok1), ParseHex(f[1], &ok2), f[2] == "S"};
      if (ok1 && ok2) ranges.push_back(r);
    });
    loaded = !ranges.empty();
  }
};

const IdTable& Ids() {
  static const IdTable* t = new IdTable();
  return *t;
}

}  // namespace

bool IsIdentifierChar(char32_t cp, bool start) {
  const IdTable& t = Ids();
  if (!t.loaded) return true;
  size_t lo = 0, hi = t.ranges.size();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (t.ranges[mid].last < cp) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == t.ranges.size() || t.ranges[lo].first > cp) return false;
  return start ? t.ranges[lo].start : true;
}


bool LookupUnicodeName(std::string_view name, char32_t* cp) {
  if (name.empty() || name.size() > 128) return false;
  std::string up(name);
  for (char& c : up)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  const NameTable& t = Names();
  auto it = t.names.find(up);
  if (it != t.names.end()) {
    *cp = it->second;
    return true;
  }
  size_t dash = up.rfind('-');
  if (dash == std::string::npos) return false;
  bool ok;
  uint32_t v = ParseHex(std::string_view(up).substr(dash + 1), &ok);
  if (!ok || up.size() - dash - 1 < 4) return false;
  std::string_view prefix = std::string_view(up).substr(0, dash);
  for (const Range& r : t.ranges) {
    if (r.prefix == prefix && v >= r.first && v <= r.last) {
      *cp = v;
      return true;
    }
  }
  return false;
}

std::string NormalizeIdentifier(std::string_view id) {
  bool ascii = true;
  for (char c : id) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return std::string(id);
  const NfkcTable& t = Nfkc();
  std::string out;
  out.reserve(id.size());
  size_t i = 0;
  while (i < id.size()) {
    size_t start = i;
    bool valid;
    uint32_t cp = DecodeUtf8(id, &i, &valid);
    if (!valid) {
      out.push_back(id[start]);
      continue;
    }
    auto it = t.map.find(cp);
    if (it == t.map.end()) {
      out.append(id.substr(start, i - start));
    } else {
      for (char32_t c : it->second) AppendUtf8(c, &out);
    }
  }
  return out;
}

}  // namespace python
}  // namespace pyward
