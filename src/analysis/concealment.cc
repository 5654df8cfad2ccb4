#include "analysis/concealment.h"

#include <array>
#include <cmath>
#include <set>

#include "util/strings.h"

namespace pyward {
namespace {

using python::Tok;

constexpr size_t kSpaceRun = 120;        // spaces before code that hide it
constexpr size_t kLongLine = 20000;      // bytes
constexpr size_t kBlobChars = 2000;      // a long string constant
constexpr double kBlobEntropy = 5.2;     // bits per byte (base64 is ~6)
constexpr size_t kConfusableMedium = 8;  // distinct look-alike identifiers: obfuscated
constexpr size_t kConfusableHigh = 20;   // ... beyond doubt

struct Signal {
  const char* rule;
  Severity severity;
  std::string message;
  int line;
  std::string evidence;
};

// Decodes one UTF-8 code point at s[*i]; advances *i. Invalid bytes give
// U+FFFD.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  unsigned char c = s[*i];
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += len;
  return cp;
}

enum Script { kOther, kLatin, kGreek, kCyrillic };
Script ScriptOf(char32_t cp) {
  if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0x24F))
    return kLatin;
  if (cp >= 0x370 && cp <= 0x3FF) return kGreek;
  if (cp >= 0x400 && cp <= 0x4FF) return kCyrillic;
  return kOther;
}

bool IsInvisible(char32_t cp) {
  return (cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 || cp == 0xFEFF || cp == 0x180E ||
         (cp >= 0x2061 && cp <= 0x2064) || cp == 0x115F || cp == 0x1160 || cp == 0x3164 ||
         cp == 0xFFA0 || (cp >= 0xE0000 && cp <= 0xE007F);
}

// An identifier of six or more characters drawn only from l, I, 1, O, 0
// and underscores, mixing at least two of them (a letter among them).
bool LookAlikeName(std::string_view s) {
  if (s.size() < 6) return false;
  bool letter = false;
  unsigned seen = 0;
  for (char c : s) {
    switch (c) {
      case 'l': seen |= 1; letter = true; break;
      case 'I': seen |= 2; letter = true; break;
      case 'O': seen |= 4; letter = true; break;
      case '1': seen |= 8; break;
      case '0': seen |= 16; break;
      case '_': break;
      default: return false;
    }
  }
  return letter && (seen & (seen - 1)) != 0;
}

}  // namespace

double Entropy(std::string_view s) {
  if (s.empty()) return 0;
  std::array<size_t, 256> counts{};
  for (unsigned char c : s) ++counts[c];
  double h = 0;
  for (size_t n : counts)
    if (n) {
      double p = static_cast<double>(n) / s.size();
      h -= p * std::log2(p);
    }
  return h;
}

void CheckConcealment(const python::Ast& ast, const std::string& path, Phase phase,
                      const std::string& chain, std::vector<Finding>* out) {
  std::vector<Signal> signals;
  std::string_view text = ast.source.text;
  // Lines: code after a long run of spaces; very long lines of code.
  bool spaces_done = false, long_done = false;
  size_t line_start = 0;
  int line_no = 1;
  while (line_start < text.size() && !(spaces_done && long_done)) {
    size_t nl = text.find('\n', line_start);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(line_start, end - line_start);
    if (!spaces_done && line.size() > kSpaceRun) {
      // Runs of kSpaceRun blanks, found by probing every kSpaceRun-th byte:
      // a byte that is not blank rules out every run through it.
      auto blank = [&](size_t i) { return line[i] == ' ' || line[i] == '\t'; };
      size_t from = 0;  // the first byte a run may start at
      while (from + kSpaceRun <= line.size()) {
        size_t probe = from + kSpaceRun - 1;
        if (!blank(probe)) {
          from = probe + 1;
          continue;
        }
        size_t b = probe;
        while (b > from && blank(b - 1)) --b;
        if (b > from) {  // a non-blank byte inside the window
          from = b;
          continue;
        }
        // [from, probe] is blank, and from is the line start or follows a
        // non-blank byte: the run starts there; find where it ends.
        size_t i = probe + 1;
        while (i < line.size() && blank(i)) ++i;
        if (i == line.size()) break;
        size_t run = i - from;
        char c = line[i];
        // Code (not a comment, not a line continuation) after the run.
        if (from > 0 && c != '#' && c != '\\' && c != '\r') {
          signals.push_back({"code-after-spaces", Severity::kCritical,
                             "code is pushed " + std::to_string(run) +
                                 " columns right, out of sight of a reader (ATT&CK T1027)",
                             line_no, std::string(Trim(line.substr(i, 120)))});
          spaces_done = true;
          break;
        }
        from = i + 1;
      }
    }
    if (!long_done && line.size() >= kLongLine) {
      signals.push_back({"long-line", Severity::kLow,
                         "a line of " + std::to_string(line.size()) + " bytes", line_no,
                         std::string(line.substr(0, 120))});
      long_done = true;
    }
    line_start = end + 1;
    ++line_no;
  }
  // Tokens: high-entropy string blobs, identifiers with hidden characters.
  bool blob_done = false, ident_done = false, armor_done = false;
  std::set<std::string_view> confusable;  // names spelt in look-alike characters
  int confusable_line = 0;
  for (const python::Token& t : ast.tokens) {
    std::string_view s = text.substr(t.off, t.len);
    if (t.kind == Tok::kString && !blob_done && s.size() >= kBlobChars) {
      double h = Entropy(s.substr(0, 1 << 16));
      if (h >= kBlobEntropy) {
        char buf[32];
        snprintf(buf, sizeof buf, "%.1f", h);
        signals.push_back({"high-entropy-blob", Severity::kLow,
                           "a string of " + std::to_string(s.size()) + " bytes with " + buf +
                               " bits of entropy per byte: encoded or encrypted data",
                           static_cast<int>(t.line), std::string(s.substr(0, 80))});
        blob_done = true;
      }
    } else if (t.kind == Tok::kName) {
      if (!armor_done && s.size() >= 11 && (s[0] == '_' || s[0] == 'p') &&
          (s == "__pyarmor__" || s == "pyarmor_runtime" || s == "__armor_enter__" ||
           s.substr(0, 16) == "pyarmor_runtime_")) {
        signals.push_back({"pyarmor-stub", Severity::kHigh,
                           "a PyArmor runtime stub: the real code is encrypted and only "
                           "decrypted when it runs (ATT&CK T1027.002)",
                           static_cast<int>(t.line), std::string(s)});
        armor_done = true;
      }
      if (confusable.size() < kConfusableHigh && LookAlikeName(s)) {
        if (confusable.empty()) confusable_line = static_cast<int>(t.line);
        confusable.insert(s);
      }
      // Hidden and look-alike characters are not ASCII: the tokenizer marks
      // the names that hold other bytes.
      if (ident_done || !(t.flags & python::kTokNonAscii)) continue;
      bool invisible = false;
      int scripts = 0;
      for (size_t i = 0; i < s.size();) {
        char32_t cp = NextCodePoint(s, &i);
        if (IsInvisible(cp)) invisible = true;
        Script sc = ScriptOf(cp);
        if (sc != kOther) scripts |= 1 << sc;
      }
      bool mixed = (scripts & (1 << kLatin)) && (scripts & ((1 << kGreek) | (1 << kCyrillic)));
      if (invisible || mixed) {
        signals.push_back({"obfuscated-identifier", invisible ? Severity::kHigh : Severity::kMedium,
                           invisible ? "an identifier holds invisible characters (ATT&CK T1027)"
                                     : "an identifier mixes Latin letters with look-alike Greek "
                                       "or Cyrillic ones (ATT&CK T1036)",
                           static_cast<int>(t.line), std::string(s)});
        ident_done = true;
      }
    }
  }
  // Obfuscators rename every identifier to strings of look-alike characters
  // (lIlIIl, O0OO0l): ordinary code, generated code included, has no
  // identifier of that kind or a handful. Install-time code renamed so
  // (setup.py) hides what runs on every install: critical there.
  if (confusable.size() >= kConfusableMedium) {
    Severity many = phase == Phase::kInstall ? Severity::kCritical : Severity::kHigh;
    std::string some;
    for (std::string_view n : confusable) {
      if (some.size() > 60) break;
      some += (some.empty() ? "" : " ") + std::string(n.substr(0, 24));
    }
    signals.push_back({"obfuscated-identifier",
                       confusable.size() >= kConfusableHigh ? many : Severity::kMedium,
                       std::to_string(confusable.size()) +
                           (confusable.size() >= kConfusableHigh ? " or more" : "") +
                           " identifiers spelt only in look-alike characters (l, I, 1, O, 0): "
                           "renamed by an obfuscator (ATT&CK T1027)",
                       confusable_line, some});
  }
  for (Signal& s : signals) {
    Finding f;
    f.rule = s.rule;
    // Outside install- and import-time code these count less: one step, and
    // code pushed out of sight two (it is the hiding that matters where the
    // code runs by itself).
    bool loads = phase == Phase::kInstall || phase == Phase::kImport;
    int down = loads ? 0 : std::string_view(s.rule) == "code-after-spaces" ? 2 : 1;
    f.severity = static_cast<Severity>(std::max(0, static_cast<int>(s.severity) - down));
    f.phase = phase;
    f.file = path;
    f.line = s.line;
    f.message = std::move(s.message);
    SetLayerChain(&f, chain);
    f.evidence = Printable(s.evidence, 120);
    out->push_back(std::move(f));
  }
}

}  // namespace pyward
