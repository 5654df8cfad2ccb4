#include "analysis/unpack/unwrap.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cctype>
#include <cstdio>
#include <optional>

#include "analysis/unpack/marshal.h"
#include "util/data_files.h"
#include "util/strings.h"

namespace pyward {
namespace {

// Shortest text blob tried as a base-N encoding.
constexpr size_t kMinBlob = 16;
// Bytes at the start of a layer that Classify looks at.
constexpr size_t kClassifyWindow = 256 << 10;
// Largest text probed for reversal/ROT13, and the part of it probed.
constexpr size_t kProbeMax = 1 << 20;
constexpr size_t kProbeWindow = 64 << 10;

bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

// Printable ASCII, whitespace, or a valid UTF-8 sequence; returns the ratio
// of such bytes in `d`.
// Stops early (returning a ratio below `floor`) once that is certain.
double PrintableRatio(std::string_view d, double floor) {
  if (d.empty()) return 0;
  size_t good = 0;
  const size_t max_bad = static_cast<size_t>((1 - floor) * d.size());
  for (size_t i = 0; i < d.size();) {
    if (i - std::min(i, good) > max_bad) return 0;
    unsigned char c = static_cast<unsigned char>(d[i]);
    if (c < 0x80) {
      if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t' ||
          c == '\f') {
        ++good;
      }
      ++i;
      continue;
    }
    int n = c >= 0xc2 && c < 0xe0   ? 1
            : c >= 0xe0 && c < 0xf0 ? 2
            : c >= 0xf0 && c < 0xf5 ? 3
                                    : -1;
    bool ok = n > 0 && i + n < d.size();
    for (int k = 1; ok && k <= n; ++k) {
      if (i + k >= d.size() ||
          (static_cast<unsigned char>(d[i + k]) & 0xc0) != 0x80) {
        ok = false;
      }
    }
    if (ok) {
      good += n + 1;
      i += n + 1;
    } else {
      ++i;
    }
  }
  return static_cast<double>(good) / d.size();
}

bool LooksLikeMarshalCode(std::string_view d) {
  size_t off = PycHeaderSize(d);
  if (d.size() < off + 21) return false;
  unsigned char t = static_cast<unsigned char>(d[off]);
  if (t != 0xe3 && t != 0x63) return false;
  // argcount (all layouts start with it) is small.
  uint32_t argc = 0;
  for (int i = 0; i < 4; ++i)
    argc |= static_cast<uint32_t>(static_cast<unsigned char>(d[off + 1 + i]))
            << (8 * i);
  return argc < 256;
}

bool HasExecutableMagic(std::string_view d) {
  static constexpr std::string_view kMagics[] = {
      "MZ", "\x7f" "ELF", "PK\x03\x04", "\xcf\xfa\xed\xfe", "\xce\xfa\xed\xfe",
      "\xfe\xed\xfa\xce", "\xfe\xed\xfa\xcf", "\xca\xfe\xba\xbe", "%PDF"};
  for (std::string_view m : kMagics)
    if (d.starts_with(m)) return true;
  return false;
}

char LowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// The substrings of data/unpack/content-indicators.txt, by family.
struct Indicators {
  std::vector<std::string> python, shell, powershell;  // powershell: lower

  // Every needle once, indexed by its first byte (ASCII-lowered for the
  // PowerShell ones, which match case-insensitively), for one pass over a
  // text instead of one search per needle.
  struct Needle {
    std::string text;
    int family;  // 0 python, 1 powershell, 2 shell
  };
  std::vector<Needle> needles;
  std::array<std::vector<uint16_t>, 256> exact_by_first, folded_by_first;
  // The byte pairs a needle starts with (first << 8 | second; a one-byte
  // needle sets every second byte), exact and ASCII-lowered: most positions
  // of a text are passed on one lookup.
  std::bitset<65536> exact_pairs, folded_pairs;

  void Index() {
    needles.clear();
    for (auto& b : exact_by_first) b.clear();
    for (auto& b : folded_by_first) b.clear();
    exact_pairs.reset();
    folded_pairs.reset();
    const std::vector<std::string>* lists[] = {&python, &powershell, &shell};
    for (int fam = 0; fam < 3; ++fam) {
      for (const std::string& n : *lists[fam]) {
        uint16_t id = static_cast<uint16_t>(needles.size());
        needles.push_back({n, fam});
        if (n.empty()) continue;  // matches everywhere: counted up front
        unsigned char first = static_cast<unsigned char>(n[0]);
        (fam == 1 ? folded_by_first : exact_by_first)[first].push_back(id);
        std::bitset<65536>& pairs = fam == 1 ? folded_pairs : exact_pairs;
        if (n.size() >= 2) {
          pairs.set(first << 8 | static_cast<unsigned char>(n[1]));
        } else {
          for (unsigned second = 0; second < 256; ++second) pairs.set(first << 8 | second);
        }
      }
    }
  }

  // How many needles of each family occur in `hay` (the PowerShell ones
  // compared with `hay` ASCII-lowered); the same counts as one find() per
  // needle.
  void Count(std::string_view hay, int hits[3]) const {
    hits[0] = hits[1] = hits[2] = 0;
    char small[256] = {};
    std::vector<char> big(needles.size() > sizeof small ? needles.size() : 0);
    char* found = big.empty() ? small : big.data();
    size_t left = needles.size();
    for (size_t id = 0; id < needles.size(); ++id) {
      if (needles[id].text.empty()) {
        found[id] = true;
        ++hits[needles[id].family];
        --left;
      }
    }
    for (size_t i = 0; i < hay.size() && left > 0; ++i) {
      unsigned char b = static_cast<unsigned char>(hay[i]);
      unsigned b2 = i + 1 < hay.size() ? static_cast<unsigned char>(hay[i + 1]) : 0u;
      if (!exact_pairs[b << 8 | b2] &&
          !folded_pairs[static_cast<unsigned char>(LowerAscii(static_cast<char>(b))) << 8 |
                        static_cast<unsigned char>(LowerAscii(static_cast<char>(b2)))])
        continue;
      for (uint16_t id : exact_by_first[b]) {
        if (found[id]) continue;
        const std::string& n = needles[id].text;
        if (hay.size() - i >= n.size() && hay.compare(i, n.size(), n) == 0) {
          found[id] = true;
          ++hits[needles[id].family];
          --left;
        }
      }
      for (uint16_t id : folded_by_first[static_cast<unsigned char>(LowerAscii(hay[i]))]) {
        if (found[id]) continue;
        const std::string& n = needles[id].text;
        if (hay.size() - i < n.size()) continue;
        size_t k = 1;
        while (k < n.size() && LowerAscii(hay[i + k]) == n[k]) ++k;
        if (k == n.size()) {
          found[id] = true;
          ++hits[needles[id].family];
          --left;
        }
      }
    }
  }
};

// Parses the indicator file once; a missing file leaves the lists empty
// (every printable layer is then plain text) and says so on stderr.
const Indicators& LoadIndicators() {
  static const Indicators ind = [] {
    Indicators r;
    std::string data, err;
    if (!ReadDataFile("unpack/content-indicators.txt", &data, &err)) {
      std::fprintf(stderr, "pyward: %s\n", err.c_str());
      return r;
    }
    std::vector<std::string>* list = nullptr;
    for (std::string_view line : Split(data, '\n')) {
      line = Trim(line);
      if (line.empty() || line[0] == '#') continue;
      if (line == "[python]") list = &r.python;
      else if (line == "[shell]") list = &r.shell;
      else if (line == "[powershell]") list = &r.powershell;
      else if (list != nullptr) {
        std::string s;
        for (size_t i = 0; i < line.size(); ++i) {
          if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == 's') {
            s += ' ';
            ++i;
          } else {
            s += line[i];
          }
        }
        if (list == &r.powershell) s = ToLower(s);
        list->push_back(std::move(s));
      }
    }
    r.Index();
    return r;
  }();
  return ind;
}

// Code has at least one space, newline or tab per 20 bytes.
bool SpacedLikeCode(std::string_view text) {
  size_t spaces = 0;
  for (char ch : text) spaces += ch == ' ' || ch == '\n' || ch == '\t';
  return spaces * 20 >= text.size();
}

bool IsCode(Content c) {
  return c == Content::kPython || c == Content::kShell ||
         c == Content::kPowerShell;
}

// ---- candidate encodings ----------------------------------------------------

bool IsB64(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '+' || c == '/';
}

bool IsB85(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
         (c >= 'a' && c <= 'z') ||
         std::string_view("!#$%&()*+-;<=>?@^_`{|}~").find(static_cast<char>(c)) !=
             std::string_view::npos;
}

bool LooksUtf16le(std::string_view d) {
  if (d.size() < 8 || d.size() % 2) return false;
  if (static_cast<unsigned char>(d[0]) == 0xff &&
      static_cast<unsigned char>(d[1]) == 0xfe) {
    return true;
  }
  size_t n = std::min<size_t>(d.size(), 1024), zeros = 0, ascii = 0;
  for (size_t i = 0; i + 1 < n; i += 2) {
    if (d[i + 1] == 0) ++zeros;
    unsigned char c = static_cast<unsigned char>(d[i]);
    if (d[i + 1] == 0 && ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' ||
                          c == '\t')) {
      ++ascii;
    }
  }
  return ascii * 10 >= (n / 2) * 9;
}

// The encodings worth trying on `d`, in order of preference; `last` is the
// previous step of the chain (to avoid undoing it).
// *magic is set when `d` starts like a compressed stream or marshal code.
std::vector<Encoding> Candidates(std::string_view d, const Encoding* last,
                                 bool* magic, std::optional<Content>* classified) {
  std::vector<Encoding> c;
  *magic = false;
  auto u = [&](size_t i) { return static_cast<unsigned char>(d[i]); };
  if (d.size() >= 2 && u(0) == 0x1f && u(1) == 0x8b) c.push_back(Encoding::kGzip);
  // zlib: a 32 KiB window (what zlib.compress writes: 78 01/5e/9c/da), no
  // preset dictionary. Smaller windows would let text such as "HK" pass.
  if (d.size() >= 2 && u(0) == 0x78 && (u(0) << 8 | u(1)) % 31 == 0 &&
      !(u(1) & 0x20)) {
    c.push_back(Encoding::kZlib);
  }
  // bzip2: "BZh", the block size, then a block or end-of-stream magic.
  if (d.size() >= 10 && d.starts_with("BZh") && u(3) >= '1' && u(3) <= '9' &&
      (d.substr(4, 6) == "1AY&SY" || d.substr(4, 6) == "\x17rE8P\x90")) {
    c.push_back(Encoding::kBz2);
  }
  if (d.starts_with(std::string_view("\xfd" "7zXZ\0", 6)) ||
      (d.size() >= 13 && u(0) == 0x5d && u(1) == 0 && u(2) == 0)) {
    c.push_back(Encoding::kLzma);
  }
  if (LooksLikeMarshalCode(d)) c.push_back(Encoding::kMarshal);
  *magic = !c.empty();
  if (LooksUtf16le(d)) c.push_back(Encoding::kUtf16le);
  if (!c.empty()) return c;

  std::string_view s = Trim(d);
  if (s.size() >= kMinBlob) {
    // Which alphabets every character fits, by a bit per alphabet.
    enum : uint8_t { kHex = 1, kB32 = 2, kB64 = 4, kUrl = 8, kB85 = 16, kA85 = 32 };
    static const std::array<uint8_t, 256> kClass = [] {
      std::array<uint8_t, 256> t{};
      for (int ch = 0; ch < 256; ++ch) {
        uint8_t m = 0;
        if (std::isxdigit(ch)) m |= kHex;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= '2' && ch <= '7')) m |= kB32;
        if (IsB64(ch)) m |= kB64;
        if (IsB64(ch) || ch == '-' || ch == '_') m |= kUrl;
        if (IsB85(ch)) m |= kB85;
        if ((ch >= '!' && ch <= 'u') || ch == 'z') m |= kA85;
        t[ch] = m;
      }
      return t;
    }();
    uint8_t fit = kHex | kB32 | kB64 | kUrl | kB85 | kA85;
    bool url = false;
    size_t data = 0, pads = 0;
    for (size_t i = 0; i < s.size() && fit; ++i) {
      unsigned char ch = static_cast<unsigned char>(s[i]);
      if (ch == ' ') {  // only hex is written with spaces (bytes.fromhex)
        fit &= kHex;
        continue;
      }
      if (IsSpace(ch)) continue;
      if (ch == '=') {
        ++pads;
        fit &= ~kHex;
        continue;
      }
      if (pads) fit &= ~(kB32 | kB64 | kUrl);  // data after padding
      ++data;
      if (ch == '-' || ch == '_') url = true;
      fit &= kClass[ch];
    }
    bool hex = fit & kHex, b32 = fit & kB32, b64 = fit & kUrl, b85 = fit & kB85,
         a85 = fit & kA85;
    size_t hexdigits = data;
    if (hex && hexdigits % 2 == 0) c.push_back(Encoding::kBase16);
    if (b32 && data % 8 != 1 && data % 8 != 3 && data % 8 != 6)
      c.push_back(Encoding::kBase32);
    if (b64 && data % 4 != 1)
      c.push_back(url ? Encoding::kBase64Url : Encoding::kBase64);
    if (s.starts_with("<~")) {
      c.push_back(Encoding::kAscii85);
    } else if (!b64 && pads == 0 && b85) {
      c.push_back(Encoding::kBase85);
    } else if (!b64 && a85) {
      c.push_back(Encoding::kAscii85);
    }
    // Reversed base64 begins with its padding.
    bool rev_ok = last == nullptr || *last != Encoding::kReverse;
    size_t lead = s.find_first_not_of('=');
    if (rev_ok && lead > 0 && lead <= 6 && lead != std::string_view::npos) {
      uint8_t rest = kUrl | kB32;
      for (size_t i = lead; i < s.size() && rest; ++i) {
        unsigned char ch = static_cast<unsigned char>(s[i]);
        if (ch != '\n' && ch != '\r') rest &= kClass[ch];
      }
      if (rest) c.push_back(Encoding::kReverse);
    }
  }
  // Reversed or ROT13 code keeps its spaces and brackets: probed only when
  // no base-N alphabet fits, on the first kProbeWindow bytes of the result.
  bool strict_fit = false;
  for (Encoding e : c) {
    strict_fit = strict_fit || e == Encoding::kBase16 || e == Encoding::kBase32 ||
                 e == Encoding::kBase64 || e == Encoding::kBase64Url;
  }
  if (!strict_fit && d.size() <= kProbeMax && !d.empty()) {
    Content here = Classify(d);
    *classified = here;
    if (here == Content::kText) {
      // Reversal and ROT13 keep the spacing LooksLikeCode asks for: text
      // too dense to be code is not turned around or rotated to find out.
      std::string_view tail = d.substr(d.size() - std::min(d.size(), kProbeWindow));
      bool rev_ok = last == nullptr || *last != Encoding::kReverse;
      if (rev_ok && SpacedLikeCode(tail) &&
          std::find(c.begin(), c.end(), Encoding::kReverse) == c.end()) {
        std::string r(tail.rbegin(), tail.rend());
        if (LooksLikeCode(r)) c.push_back(Encoding::kReverse);
      }
      bool rot_ok = last == nullptr || *last != Encoding::kRot13;
      std::string_view head = d.substr(0, kProbeWindow);
      DecodeLimits lim;
      std::string rot, err;
      if (rot_ok && SpacedLikeCode(head) && Decode(Encoding::kRot13, head, lim, &rot, &err) &&
          LooksLikeCode(rot)) {
        c.push_back(Encoding::kRot13);
      }
    } else if (here == Content::kBinary && !HasExecutableMagic(d)) {
      c.push_back(Encoding::kXor);
    }
  }
  return c;
}

// ---- the walk ---------------------------------------------------------------

enum class Emit { kMeaningful, kCodeOnly };

class Unwrapper {
 public:
  explicit Unwrapper(const DecodeLimits& lim) : lim_(lim) {}

  // Decodes `data` further; returns whether anything was emitted from it.
  bool Walk(std::string_view data, int depth, Emit emit) {
    std::optional<Content> classified;  // Classify(data), when Candidates made it
    if (depth < lim_.max_layers) {
      const Encoding* last = chain_.empty() ? nullptr : &chain_.back();
      bool magic = false;
      std::vector<Encoding> cands = Candidates(data, last, &magic, &classified);
      for (Encoding e : cands) {
        std::string child;
        if (!Step(e, data, &child)) continue;
        chain_.push_back(e);
        bool got = e == Encoding::kMarshal ? WalkMarshal(data, child, depth)
                                           : Walk(child, depth + 1,
                                                  Emit::kMeaningful);
        chain_.pop_back();
        if (got) return true;
      }
      // A compressed stream that does not decode (truncated, corrupt, a
      // bomb cut at the limit) is no result, whatever its bytes look like.
      if (magic) return false;
    }
    if (depth == 0) return false;
    Content c = classified ? *classified : Classify(data);
    bool keep = emit == Emit::kCodeOnly
                    ? IsCode(c)
                    : c != Content::kBinary || HasExecutableMagic(data);
    if (!keep) return false;
    out_.push_back(Layer{chain_, std::string(data), c});
    if (c == Content::kShell || c == Content::kPowerShell ||
        c == Content::kPython) {
      DecodeLimits lim = lim_;
      lim.max_output = Budget();
      for (std::string& ps : FindPowerShellEncoded(data, lim)) {
        total_ += ps.size();
        std::vector<Encoding> chain = chain_;
        chain.push_back(Encoding::kBase64);
        chain.push_back(Encoding::kUtf16le);
        Content pc = Classify(ps);
        out_.push_back(Layer{std::move(chain), std::move(ps), pc});
      }
    }
    return true;
  }

  std::vector<Layer> Take() { return std::move(out_); }

 private:
  size_t Budget() const {
    return std::min(lim_.max_output,
                    lim_.max_total > total_ ? lim_.max_total - total_ : 0);
  }

  // One counted decode attempt.
  bool Step(Encoding e, std::string_view in, std::string* out) {
    if (steps_ >= lim_.max_steps || Budget() == 0) return false;
    ++steps_;
    DecodeLimits lim = lim_;
    lim.max_output = Budget();
    std::string err;
    if (!Decode(e, in, lim, out, &err)) return false;
    total_ += out->size();
    return true;
  }

  // A marshalled code object: its listing is a layer, and its string
  // constants are unwrapped in turn.
  bool WalkMarshal(std::string_view raw, const std::string& listing,
                   int depth) {
    out_.push_back(Layer{chain_, listing, Content::kPythonBytecode});
    MarshalInfo info;
    std::string err;
    if (!ReadMarshal(raw.substr(PycHeaderSize(raw)), &info, &err)) return true;
    for (const std::string& s : info.strings) {
      if (s.size() < kMinBlob) continue;
      if (steps_ >= lim_.max_steps) break;
      Walk(s, depth + 1, Emit::kCodeOnly);
    }
    return true;
  }

  const DecodeLimits& lim_;
  std::vector<Encoding> chain_;
  std::vector<Layer> out_;
  int steps_ = 0;
  size_t total_ = 0;
};

}  // namespace

std::string_view ContentName(Content c) {
  switch (c) {
    case Content::kPython: return "python";
    case Content::kShell: return "shell";
    case Content::kPowerShell: return "powershell";
    case Content::kText: return "text";
    case Content::kBinary: return "binary";
    case Content::kPythonBytecode: return "bytecode";
  }
  return "?";
}

Content Classify(std::string_view data) {
  int hits;
  return ClassifyScored(data, &hits);
}

Content ClassifyScored(std::string_view data, int* hits) {
  *hits = 0;
  if (data.empty()) return Content::kBinary;
  if (LooksLikeMarshalCode(data)) return Content::kPythonBytecode;
  std::string_view w = data.substr(0, kClassifyWindow);
  if (PrintableRatio(w, 0.9) < 0.9) return Content::kBinary;
  // A run of a few repeated characters (a compressed run of zeros, padding)
  // means nothing.
  if (w.size() >= 32) {
    std::array<bool, 256> seen{};
    int distinct = 0;
    for (size_t i = 0; i < std::min<size_t>(w.size(), 4096) && distinct < 6; ++i) {
      unsigned char c = static_cast<unsigned char>(w[i]);
      if (!seen[c]) {
        seen[c] = true;
        ++distinct;
      }
    }
    if (distinct < 6) return Content::kBinary;
  }
  const Indicators& ind = LoadIndicators();
  int counts[3];
  ind.Count(w, counts);
  int py = counts[0], ps = counts[1], sh = counts[2];
  int best = std::max({py, ps, sh});
  *hits = best;
  if (best == 0) return Content::kText;
  if (py == best) return Content::kPython;
  if (ps == best) return Content::kPowerShell;
  return Content::kShell;
}

bool LooksLikeCode(std::string_view text) {
  if (!SpacedLikeCode(text)) return false;  // cheap test first
  int hits = 0;
  return IsCode(ClassifyScored(text, &hits)) && hits >= 2;
}

std::vector<Layer> Unwrap(std::string_view blob, const DecodeLimits& limits) {
  Unwrapper u(limits);
  u.Walk(blob, 0, Emit::kMeaningful);
  return u.Take();
}

std::vector<std::string> FindPowerShellEncoded(std::string_view text,
                                               const DecodeLimits& limits) {
  std::vector<std::string> found;
  constexpr std::string_view kOption = "encodedcommand";
  auto alpha = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '-' && text[i] != '/') continue;
    if (i > 0 && !IsSpace(static_cast<unsigned char>(text[i - 1])) &&
        text[i - 1] != '"' && text[i - 1] != '\'') {
      continue;
    }
    size_t j = i + 1;
    while (j < text.size() && alpha(text[j])) ++j;
    std::string word = ToLower(text.substr(i + 1, j - i - 1));
    if (word.empty() || (word != "ec" && !kOption.starts_with(word))) continue;
    if (j < text.size() && (text[j] == '"' || text[j] == '\'')) ++j;  // "-enc"
    size_t k = j;
    while (k < text.size() && IsSpace(static_cast<unsigned char>(text[k]))) ++k;
    if (k == j) continue;
    if (k < text.size() && (text[k] == '"' || text[k] == '\'')) ++k;
    size_t end = k;
    while (end < text.size() &&
           (IsB64(static_cast<unsigned char>(text[end])) || text[end] == '='))
      ++end;
    if (end - k < 8) continue;
    std::string bytes, utf8, err;
    if (!Decode(Encoding::kBase64, text.substr(k, end - k), limits, &bytes,
                &err) ||
        !Decode(Encoding::kUtf16le, bytes, limits, &utf8, &err) ||
        Classify(utf8) == Content::kBinary) {
      continue;
    }
    found.push_back(std::move(utf8));
    i = end - 1;
  }
  return found;
}

}  // namespace pyward
