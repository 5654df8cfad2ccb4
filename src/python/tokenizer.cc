#include "python/tokenizer.h"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "python/unicode_data.h"
#include "util/strings.h"

namespace pyward {
namespace python {

namespace {

constexpr size_t kMaxErrors = 1000;

struct Keyword {
  const char* text;
  Tok tok;
};

constexpr Keyword kKeywords[] = {
    {"False", Tok::kFalse},     {"None", Tok::kNone},
    {"True", Tok::kTrue},       {"and", Tok::kAnd},
    {"as", Tok::kAs},           {"assert", Tok::kAssert},
    {"async", Tok::kAsync},     {"await", Tok::kAwait},
    {"break", Tok::kBreak},     {"class", Tok::kClass},
    {"continue", Tok::kContinue}, {"def", Tok::kDef},
    {"del", Tok::kDel},         {"elif", Tok::kElif},
    {"else", Tok::kElse},       {"except", Tok::kExcept},
    {"finally", Tok::kFinally}, {"for", Tok::kFor},
    {"from", Tok::kFrom},       {"global", Tok::kGlobal},
    {"if", Tok::kIf},           {"import", Tok::kImport},
    {"in", Tok::kIn},           {"is", Tok::kIs},
    {"lambda", Tok::kLambda},   {"nonlocal", Tok::kNonlocal},
    {"not", Tok::kNot},         {"or", Tok::kOr},
    {"pass", Tok::kPass},       {"raise", Tok::kRaise},
    {"return", Tok::kReturn},   {"try", Tok::kTry},
    {"while", Tok::kWhile},     {"with", Tok::kWith},
    {"yield", Tok::kYield},
};

// Character classes of ASCII bytes; bytes >= 0x80 are identifier bytes.
enum : uint8_t {
  kIdStart = 1, kIdCont = 2, kDigit = 4, kHex = 8, kStrStop = 16,
  kBlank = 32,    // ' ', '\t', '\f': whitespace between tokens
  kLineEnd = 64,  // '\n', '\r'
};

struct CharTable {
  uint8_t c[256];
  CharTable() {
    for (int i = 0; i < 256; ++i) {
      uint8_t v = 0;
      if ((i >= 'a' && i <= 'z') || (i >= 'A' && i <= 'Z') || i == '_' ||
          i >= 0x80)
        v |= kIdStart | kIdCont;
      if (i >= '0' && i <= '9') v |= kIdCont | kDigit | kHex;
      if ((i >= 'a' && i <= 'f') || (i >= 'A' && i <= 'F')) v |= kHex;
      // Bytes a plain string body stops at: quotes, backslash, line ends.
      if (i == '\'' || i == '"' || i == '\\' || i == '\n' || i == '\r') v |= kStrStop;
      if (i == ' ' || i == '\t' || i == '\f') v |= kBlank;
      if (i == '\n' || i == '\r') v |= kLineEnd;
      c[i] = v;
    }
  }
};
const CharTable kChars;

inline bool IsIdStart(unsigned char c) { return kChars.c[c] & kIdStart; }
inline bool IsIdCont(unsigned char c) { return kChars.c[c] & kIdCont; }
inline bool IsDigit(unsigned char c) { return kChars.c[c] & kDigit; }

// Keyword lookup: an open-addressing table hashed on the first and last
// bytes and the length (no two keywords share a slot, so a look-up is one
// probe plus a short compare; correctness does not depend on that).
class KeywordTable {
 public:
  constexpr KeywordTable() {
    for (const Keyword& k : kKeywords) {
      std::string_view text = k.text;
      size_t i = Hash(text);
      while (!slots_[i].text.empty()) i = (i + 1) % kSlots;
      slots_[i] = {text, k.tok};
    }
  }
  constexpr Tok Lookup(std::string_view s) const {
    if (s.size() < 2 || s.size() > 8) return Tok::kName;
    for (size_t i = Hash(s);; i = (i + 1) % kSlots) {
      const Entry& e = slots_[i];
      if (e.text.empty()) return Tok::kName;
      if (e.text.size() == s.size() && Same(e.text, s)) return e.tok;
    }
  }

 private:
  static constexpr size_t kSlots = 128;  // more than the keywords
  struct Entry {
    std::string_view text;
    Tok tok = Tok::kName;
  };
  static constexpr size_t Hash(std::string_view s) {
    return (static_cast<unsigned char>(s.front()) +
            static_cast<unsigned char>(s.back()) * 11u + s.size()) %
           kSlots;
  }
  // Byte loop: keywords are at most 8 bytes, shorter than a memcmp call.
  static constexpr bool Same(std::string_view a, std::string_view b) {
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  Entry slots_[kSlots];
};
constexpr KeywordTable kKeywordIndex;
static_assert(kKeywordIndex.Lookup("nonlocal") == Tok::kNonlocal);

// Where the lexer writes tokens: the caller's vector, sized up front for
// more tokens than most files have (uninitialized, so only the pages
// written are touched) and trimmed at the end; one capacity check per token.
class TokenSink {
 public:
  TokenSink(TokenVector* out, size_t hint) : out_(out), size_(out->size()) {
    Resize(size_ + hint);
  }
  void Push(const Token& t) {
    if (size_ == cap_) [[unlikely]]
      Resize(size_ * 2 + 64);
    data_[size_++] = t;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Token& back() const { return data_[size_ - 1]; }
  const Token& operator[](size_t i) const { return data_[i]; }
  // Drops the unwritten room.
  void Finish() { out_->resize(size_); }

 private:
  void Resize(size_t n) {
    out_->resize(n);
    data_ = out_->data();
    cap_ = n;
  }
  TokenVector* out_;
  Token* data_ = nullptr;
  size_t size_;
  size_t cap_ = 0;
};

class Lexer {
 public:
  Lexer(std::string_view s, TokenSink* out, std::vector<SyntaxError>* errs)
      : s_(s), n_(s.size()), out_(out), errs_(errs) {}

  void Run();

 private:
  struct Mode {
    bool field;     // replacement field (else: f-string literal part)
    bool spec;      // field: inside the format spec
    bool triple;    // enclosing f-string is triple-quoted
    bool raw;       // enclosing f-string is raw
    char quote;     // enclosing f-string's quote character
    uint32_t level; // field: bracket depth including its '{'
  };

  unsigned char At(size_t i) const { return i < n_ ? s_[i] : 0; }
  // The first offset at or after `p` whose byte is not (SkipNot: is) of
  // character class `cls`, or n_. Local indices keep these loops in
  // registers.
  size_t Skip(size_t p, uint8_t cls) const {
    const unsigned char* d = reinterpret_cast<const unsigned char*>(s_.data());
    const size_t n = n_;
    while (p < n && (kChars.c[d[p]] & cls)) ++p;
    return p;
  }
  size_t SkipNot(size_t p, uint8_t cls) const {
    const unsigned char* d = reinterpret_cast<const unsigned char*>(s_.data());
    const size_t n = n_;
    while (p < n && !(kChars.c[d[p]] & cls)) ++p;
    return p;
  }
  void Error(size_t at, std::string msg);
  inline __attribute__((always_inline)) void Emit(Tok k, size_t start, size_t end,
                                                  uint8_t flags = 0);
  void EmitAt(Tok k, size_t start, size_t end, uint32_t line, size_t ls);
  // Consumes a line break at pos_ (\n, \r\n or \r) and starts a new line.
  void NewLine();
  // Offset of the first '\n' or '\r' at or after `p`, or n_ (one pass:
  // searching each byte separately would rescan to the end of a file
  // without '\n' at every comment).
  size_t LineEnd(size_t p) const;
  bool IsNewlineAt(size_t i) const {
    return i < n_ && (s_[i] == '\n' || s_[i] == '\r');
  }
  void PushBracket(char c, size_t at);
  // Inside unclosed brackets: does the line at pos_ start, no deeper than
  // the current block, with a keyword that only begins a statement? Then
  // the bracket was never closed and the tokenizer resynchronises there.
  bool StatementLineFollows() const;
  // Inside unclosed brackets: does a class header end here with ':' before
  // a more indented line? Then its bracket was never closed and the block
  // that follows is kept.
  bool HeaderBlockFollows() const;
  bool HandleIndent();  // false at end of input
  void LexName();
  void CheckIdentifier(size_t start, size_t end);
  void LexNumber();
  void LexString(size_t start, size_t quote_pos, bool is_f, bool raw);
  void LexFStringPart();
  void LexFormatSpec();
  void LexOperator();
  void Finish();

  std::string_view s_;
  size_t n_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
  TokenSink* out_;
  std::vector<SyntaxError>* errs_;
  std::vector<uint32_t> indents_{0};
  std::vector<char> brackets_;
  std::vector<Mode> modes_;
  bool at_line_start_ = true;
  bool depth_error_ = false;
  size_t logical_start_ = 0;  // index of the logical line's first token
  uint32_t bracket_open_line_ = 0;  // line of the outermost open bracket
};

void Lexer::Error(size_t at, std::string msg) {
  if (errs_->size() >= kMaxErrors) return;
  SyntaxError e;
  e.line = line_;
  e.col = static_cast<uint32_t>(at >= line_start_ ? at - line_start_ : 0);
  e.message = std::move(msg);
  if (errs_->size() + 1 == kMaxErrors) e.message = "too many errors";
  errs_->push_back(std::move(e));
}

inline void Lexer::Emit(Tok k, size_t start, size_t end, uint8_t flags) {
  Token t;
  t.kind = k;
  t.flags = flags;
  t.off = static_cast<uint32_t>(start);
  t.len = static_cast<uint32_t>(end - start);
  t.line = line_;
  t.col = static_cast<uint32_t>(start >= line_start_ ? start - line_start_ : 0);
  out_->Push(t);
}

void Lexer::EmitAt(Tok k, size_t start, size_t end, uint32_t line, size_t ls) {
  Token t;
  t.kind = k;
  t.flags = 0;
  t.off = static_cast<uint32_t>(start);
  t.len = static_cast<uint32_t>(end - start);
  t.line = line;
  t.col = static_cast<uint32_t>(start - ls);
  out_->Push(t);
}

size_t Lexer::LineEnd(size_t p) const {
  return SkipNot(p, kLineEnd);
}

void Lexer::NewLine() {
  if (s_[pos_] == '\r' && At(pos_ + 1) == '\n') ++pos_;
  ++pos_;
  ++line_;
  line_start_ = pos_;
}

void Lexer::PushBracket(char c, size_t at) {
  if (brackets_.empty()) bracket_open_line_ = line_;
  if (brackets_.size() >= static_cast<size_t>(kMaxBracketDepth)) {
    if (!depth_error_) Error(at, "too many nested parentheses");
    depth_error_ = true;
  }
  brackets_.push_back(c);
}

bool Lexer::StatementLineFollows() const {
  size_t p = pos_;
  uint32_t col = 0;
  while (p < n_ && (s_[p] == ' ' || s_[p] == '\t')) {
    col = s_[p] == '\t' ? (col / 8 + 1) * 8 : col + 1;
    ++p;
  }
  if (col > indents_.back()) return false;
  size_t start = p;
  while (p < n_ && p - start < 10 && IsIdCont(s_[p])) ++p;
  if (p < n_ && IsIdCont(s_[p])) return false;
  std::string_view w = s_.substr(start, p - start);
  if (w.empty()) return false;
  switch (kKeywordIndex.Lookup(w)) {
    case Tok::kDef: case Tok::kClass: case Tok::kImport: case Tok::kFrom:
    case Tok::kReturn: case Tok::kPass: case Tok::kRaise: case Tok::kGlobal:
    case Tok::kNonlocal: case Tok::kDel: case Tok::kAssert: case Tok::kTry:
    case Tok::kWhile: case Tok::kWith: case Tok::kBreak:
    case Tok::kContinue: case Tok::kElif: case Tok::kExcept:
    case Tok::kFinally:
      return true;
    default:
      return false;
  }
}

bool Lexer::HeaderBlockFollows() const {
  // Only the unambiguous shape: a class line that opened exactly one
  // bracket and ends with ':' (class arguments hold no colons; def
  // parameters do, and valid code splits annotations after the colon).
  if (out_->empty() || out_->back().kind != Tok::kColon ||
      logical_start_ >= out_->size() || brackets_.size() != 1 ||
      bracket_open_line_ != out_->back().line)
    return false;
  size_t first = logical_start_;
  if ((*out_)[first].kind == Tok::kAsync && first + 1 < out_->size()) ++first;
  if ((*out_)[first].kind != Tok::kClass) return false;
  size_t p = pos_;
  uint32_t col = 0;
  while (p < n_ && (s_[p] == ' ' || s_[p] == '\t')) {
    col = s_[p] == '\t' ? (col / 8 + 1) * 8 : col + 1;
    ++p;
  }
  if (p >= n_ || s_[p] == '\n' || s_[p] == '\r' || s_[p] == '#') return false;
  return col > indents_.back();
}

bool Lexer::HandleIndent() {
  for (;;) {
    uint32_t col = 0;
    size_t p = pos_;
    const size_t n = n_;
    while (p < n) {
      char c = s_[p];
      if (c == ' ') {
        ++col;
      } else if (c == '\t') {
        col = (col / 8 + 1) * 8;
      } else if (c == '\f') {
        col = 0;
      } else {
        break;
      }
      ++p;
    }
    pos_ = p;
    if (pos_ >= n_) return false;
    char c = s_[pos_];
    if (c == '#') {
      pos_ = LineEnd(pos_);
      if (pos_ >= n_) return false;
      NewLine();
      continue;
    }
    if (c == '\n' || c == '\r') {
      NewLine();
      continue;
    }
    if (c == '\\' && IsNewlineAt(pos_ + 1)) {
      // A continuation on an otherwise blank line: keep measuring.
      ++pos_;
      NewLine();
      continue;
    }
    at_line_start_ = false;
    if (col > indents_.back()) {
      if (indents_.size() > static_cast<size_t>(kMaxIndentDepth)) {
        Error(pos_, "too many levels of indentation");
        return true;
      }
      indents_.push_back(col);
      Emit(Tok::kIndent, pos_, pos_);
    } else if (col < indents_.back()) {
      while (indents_.size() > 1 && col < indents_.back()) {
        indents_.pop_back();
        Emit(Tok::kDedent, pos_, pos_);
      }
      if (col != indents_.back())
        Error(pos_, "unindent does not match any outer indentation level");
    }
    return true;
  }
}

void Lexer::LexName() {
  size_t start = pos_;
  unsigned char high = 0;  // OR of the bytes: bit 7 set when non-ASCII
  {
    const unsigned char* d = reinterpret_cast<const unsigned char*>(s_.data());
    size_t p = pos_;
    const size_t n = n_;
    while (p < n && IsIdCont(d[p])) high |= d[p++];
    pos_ = p;
  }
  size_t len = pos_ - start;
  // A string prefix?
  if (len <= 3 && pos_ < n_ && (s_[pos_] == '\'' || s_[pos_] == '"')) {
    bool r = false, b = false, u = false, f = false, ok = true;
    bool prefix = true;
    for (size_t i = start; i < pos_; ++i) {
      switch (s_[i] | 0x20) {
        case 'r': ok &= !r; r = true; break;
        case 'b': ok &= !b; b = true; break;
        case 'u': ok &= !u; u = true; break;
        case 'f': ok &= !f; f = true; break;
        default: prefix = false; break;
      }
    }
    if (prefix) {
      if (!ok || (u && (r || b || f)) || (b && f))
        Error(start, "invalid string prefix '" +
                         std::string(s_.substr(start, pos_ - start)) + "'");
      LexString(start, pos_, f && !b, r);
      return;
    }
  }
  std::string_view text = s_.substr(start, len);
  Tok k = kKeywordIndex.Lookup(text);
  uint8_t flags = 0;
  if (k == Tok::kName && (high & 0x80)) {
    CheckIdentifier(start, pos_);
    flags = kTokNonAscii;
  }
  Emit(k, start, pos_, flags);
}

// Records an error for the first code point of a non-ASCII identifier that
// Python does not allow there (e.g. U+20AC, U+00A0, U+200B).
void Lexer::CheckIdentifier(size_t start, size_t end) {
  std::string_view id = s_.substr(start, end - start);
  size_t i = 0;
  while (i < id.size()) {
    size_t at = i;
    bool valid;
    char32_t cp = DecodeUtf8(id, &i, &valid);
    if (cp < 0x80 || !valid) continue;  // bad UTF-8 is reported by Parse()
    if (!IsIdentifierChar(cp, at == 0)) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "invalid character U+%04X in identifier",
                    static_cast<unsigned>(cp));
      Error(start + at, buf);
      return;
    }
  }
}

void Lexer::LexNumber() {
  size_t start = pos_;
  uint8_t flags = 0;
  auto digits = [&]() {
    while (pos_ < n_ && (IsDigit(s_[pos_]) || s_[pos_] == '_')) ++pos_;
  };
  char c0 = s_[pos_];
  char c1 = static_cast<char>(At(pos_ + 1) | 0x20);
  if (c0 == '0' && (c1 == 'x' || c1 == 'o' || c1 == 'b')) {
    pos_ += 2;
    if (c1 == 'x') {
      while (pos_ < n_ && ((kChars.c[static_cast<unsigned char>(s_[pos_])] &
                            kHex) ||
                           s_[pos_] == '_'))
        ++pos_;
    } else {
      digits();
    }
  } else {
    bool is_float = false;
    if (c0 != '.') digits();
    if (pos_ < n_ && s_[pos_] == '.') {
      is_float = true;
      ++pos_;
      digits();
    }
    if (pos_ < n_ && (s_[pos_] | 0x20) == 'e') {
      size_t p = pos_ + 1;
      if (p < n_ && (s_[p] == '+' || s_[p] == '-')) ++p;
      if (p < n_ && IsDigit(s_[p])) {
        pos_ = p;
        digits();
        is_float = true;
      }
    }
    if (pos_ < n_ && (s_[pos_] | 0x20) == 'j') {
      ++pos_;
      is_float = true;
    }
    if (!is_float && s_[start] == '0' && pos_ - start > 1) {
      for (size_t i = start; i < pos_; ++i) {
        if (s_[i] != '0' && s_[i] != '_') {
          flags |= kTokLeadingZero;
          Error(start,
                "leading zeros in decimal integer literals are not permitted");
          break;
        }
      }
    }
  }
  if (pos_ < n_ && (s_[pos_] == 'l' || s_[pos_] == 'L') &&
      !IsIdCont(At(pos_ + 1))) {
    Error(pos_, "Python 2 long integer suffix");
    ++pos_;
  }
  Emit(Tok::kNumber, start, pos_, flags);
}

void Lexer::LexString(size_t start, size_t qpos, bool is_f, bool raw) {
  char q = s_[qpos];
  bool triple = At(qpos + 1) == static_cast<unsigned char>(q) &&
                At(qpos + 2) == static_cast<unsigned char>(q);
  size_t body = qpos + (triple ? 3 : 1);
  if (is_f) {
    pos_ = body;
    Emit(Tok::kFStringStart, start, body);
    Mode m{};
    m.field = false;
    m.triple = triple;
    m.raw = raw;
    m.quote = q;
    modes_.push_back(m);
    return;
  }
  uint32_t line = line_;
  size_t ls = line_start_;
  pos_ = body;
  for (;;) {
    pos_ = SkipNot(pos_, kStrStop);
    if (pos_ >= n_) {
      Error(start, triple ? "unterminated triple-quoted string literal"
                          : "unterminated string literal");
      EmitAt(Tok::kString, start, n_, line, ls);
      return;
    }
    char c = s_[pos_];
    if (c == q) {
      if (!triple) {
        ++pos_;
        break;
      }
      if (At(pos_ + 1) == static_cast<unsigned char>(q) &&
          At(pos_ + 2) == static_cast<unsigned char>(q)) {
        pos_ += 3;
        break;
      }
      ++pos_;
    } else if (c == '\\') {
      ++pos_;
      if (pos_ < n_) {
        if (s_[pos_] == '\n' || s_[pos_] == '\r')
          NewLine();
        else
          ++pos_;
      }
    } else if (c == '\n' || c == '\r') {
      if (!triple) {
        Error(start, "unterminated string literal");
        EmitAt(Tok::kString, start, pos_, line, ls);
        return;
      }
      NewLine();
    } else {
      ++pos_;
    }
  }
  EmitAt(Tok::kString, start, pos_, line, ls);
}

// The literal part of an f-string, up to a replacement field or the end.
void Lexer::LexFStringPart() {
  Mode m = modes_.back();
  size_t start = pos_;
  uint32_t line = line_;
  size_t ls = line_start_;
  auto flush = [&]() {
    if (pos_ > start) EmitAt(Tok::kFStringMiddle, start, pos_, line, ls);
  };
  for (;;) {
    if (pos_ >= n_) {
      flush();
      Error(start, "unterminated f-string literal");
      modes_.pop_back();
      return;
    }
    char c = s_[pos_];
    if (c == m.quote) {
      if (!m.triple || (At(pos_ + 1) == static_cast<unsigned char>(c) &&
                        At(pos_ + 2) == static_cast<unsigned char>(c))) {
        flush();
        size_t e = pos_ + (m.triple ? 3 : 1);
        Emit(Tok::kFStringEnd, pos_, e);
        pos_ = e;
        modes_.pop_back();
        return;
      }
      ++pos_;
    } else if (c == '\\') {
      ++pos_;
      if (pos_ >= n_) continue;
      if (!m.raw && s_[pos_] == 'N' && At(pos_ + 1) == '{') {
        size_t p = pos_ + 2;
        while (p < n_ && s_[p] != '}' && s_[p] != m.quote && s_[p] != '\n' &&
               p - pos_ < 200)
          ++p;
        pos_ = (p < n_ && s_[p] == '}') ? p + 1 : pos_ + 1;
      } else if (s_[pos_] == '\n' || s_[pos_] == '\r') {
        NewLine();
      } else if (s_[pos_] != '{' && s_[pos_] != '}') {
        ++pos_;
      }
    } else if (c == '{') {
      if (At(pos_ + 1) == '{') {
        pos_ += 2;
        continue;
      }
      flush();
      Emit(Tok::kLBrace, pos_, pos_ + 1);
      PushBracket('{', pos_);
      ++pos_;
      Mode f = m;
      f.field = true;
      f.spec = false;
      f.level = static_cast<uint32_t>(brackets_.size());
      modes_.push_back(f);
      return;
    } else if (c == '}') {
      if (At(pos_ + 1) == '}') {
        pos_ += 2;
        continue;
      }
      Error(pos_, "f-string: single '}' is not allowed");
      ++pos_;
    } else if (c == '\n' || c == '\r') {
      if (!m.triple) {
        flush();
        Error(start, "unterminated f-string literal");
        modes_.pop_back();
        return;
      }
      NewLine();
    } else {
      ++pos_;
    }
  }
}

// The format spec of a replacement field, up to a nested field or its '}'.
void Lexer::LexFormatSpec() {
  Mode m = modes_.back();
  size_t start = pos_;
  uint32_t line = line_;
  size_t ls = line_start_;
  auto flush = [&]() {
    if (pos_ > start) EmitAt(Tok::kFStringMiddle, start, pos_, line, ls);
  };
  for (;;) {
    if (pos_ >= n_) {
      flush();
      modes_.pop_back();
      return;
    }
    char c = s_[pos_];
    if (c == '{') {
      flush();
      Emit(Tok::kLBrace, pos_, pos_ + 1);
      PushBracket('{', pos_);
      ++pos_;
      Mode f = m;
      f.spec = false;
      f.level = static_cast<uint32_t>(brackets_.size());
      modes_.push_back(f);
      return;
    }
    if (c == '}') {
      flush();
      Emit(Tok::kRBrace, pos_, pos_ + 1);
      ++pos_;
      if (!brackets_.empty()) brackets_.pop_back();
      modes_.pop_back();
      return;
    }
    if (c == m.quote && (!m.triple ||
                         (At(pos_ + 1) == static_cast<unsigned char>(c) &&
                          At(pos_ + 2) == static_cast<unsigned char>(c)))) {
      flush();
      Error(pos_, "f-string: expecting '}'");
      if (!brackets_.empty()) brackets_.pop_back();
      modes_.pop_back();
      return;
    }
    if (c == '\\') {
      ++pos_;
      if (pos_ < n_ && (s_[pos_] == '\n' || s_[pos_] == '\r')) {
        NewLine();
      } else if (pos_ < n_) {
        ++pos_;
      }
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (!m.triple) {
        flush();
        Error(pos_, "f-string: expecting '}'");
        if (!brackets_.empty()) brackets_.pop_back();
        modes_.pop_back();
        return;
      }
      NewLine();
      continue;
    }
    ++pos_;
  }
}

void Lexer::LexOperator() {
  size_t start = pos_;
  char c = s_[pos_];
  char c1 = static_cast<char>(At(pos_ + 1));
  char c2 = static_cast<char>(At(pos_ + 2));
  Tok k = Tok::kError;
  size_t len = 1;
  auto two = [&](char second, Tok t2, Tok t1) {
    if (c1 == second) {
      k = t2;
      len = 2;
    } else {
      k = t1;
    }
  };
  switch (c) {
    case '(': k = Tok::kLPar; break;
    case ')': k = Tok::kRPar; break;
    case '[': k = Tok::kLSqb; break;
    case ']': k = Tok::kRSqb; break;
    case '{': k = Tok::kLBrace; break;
    case '}': k = Tok::kRBrace; break;
    case ',': k = Tok::kComma; break;
    case ';': k = Tok::kSemi; break;
    case '~': k = Tok::kTilde; break;
    case '`': k = Tok::kBacktick; break;
    case ':': two('=', Tok::kColonEqual, Tok::kColon); break;
    case '.':
      if (c1 == '.' && c2 == '.') {
        k = Tok::kEllipsis;
        len = 3;
      } else {
        k = Tok::kDot;
      }
      break;
    case '+': two('=', Tok::kPlusEqual, Tok::kPlus); break;
    case '-':
      if (c1 == '>') {
        k = Tok::kArrow;
        len = 2;
      } else {
        two('=', Tok::kMinusEqual, Tok::kMinus);
      }
      break;
    case '*':
      if (c1 == '*') {
        if (c2 == '=') {
          k = Tok::kDoubleStarEqual;
          len = 3;
        } else {
          k = Tok::kDoubleStar;
          len = 2;
        }
      } else {
        two('=', Tok::kStarEqual, Tok::kStar);
      }
      break;
    case '/':
      if (c1 == '/') {
        if (c2 == '=') {
          k = Tok::kDoubleSlashEqual;
          len = 3;
        } else {
          k = Tok::kDoubleSlash;
          len = 2;
        }
      } else {
        two('=', Tok::kSlashEqual, Tok::kSlash);
      }
      break;
    case '%': two('=', Tok::kPercentEqual, Tok::kPercent); break;
    case '|': two('=', Tok::kVBarEqual, Tok::kVBar); break;
    case '&': two('=', Tok::kAmperEqual, Tok::kAmper); break;
    case '^': two('=', Tok::kCircumflexEqual, Tok::kCircumflex); break;
    case '@': two('=', Tok::kAtEqual, Tok::kAt); break;
    case '=': two('=', Tok::kEqEqual, Tok::kEqual); break;
    case '!':
      if (c1 == '=') {
        k = Tok::kNotEqual;
        len = 2;
      } else {
        k = Tok::kExclaim;
      }
      break;
    case '<':
      if (c1 == '<') {
        if (c2 == '=') {
          k = Tok::kLeftShiftEqual;
          len = 3;
        } else {
          k = Tok::kLeftShift;
          len = 2;
        }
      } else if (c1 == '>') {
        Error(start, "Python 2 '<>' operator");
        k = Tok::kNotEqual;
        len = 2;
      } else {
        two('=', Tok::kLessEqual, Tok::kLess);
      }
      break;
    case '>':
      if (c1 == '>') {
        if (c2 == '=') {
          k = Tok::kRightShiftEqual;
          len = 3;
        } else {
          k = Tok::kRightShift;
          len = 2;
        }
      } else {
        two('=', Tok::kGreaterEqual, Tok::kGreater);
      }
      break;
    default:
      break;
  }
  if (k == Tok::kError) {
    unsigned char uc = static_cast<unsigned char>(c);
    char buf[64];
    if (uc < 0x20 || uc == 0x7f) {
      std::snprintf(buf, sizeof buf, "invalid non-printable character 0x%02x",
                    uc);
    } else {
      std::snprintf(buf, sizeof buf, "invalid character '%c'", c);
    }
    Error(start, buf);
  } else if (k == Tok::kExclaim &&
             (modes_.empty() || !modes_.back().field)) {
    Error(start, "invalid character '!'");
  }
  pos_ += len;
  // Brackets.
  switch (k) {
    case Tok::kLPar: PushBracket('(', start); break;
    case Tok::kLSqb: PushBracket('[', start); break;
    case Tok::kLBrace: PushBracket('{', start); break;
    case Tok::kRPar:
    case Tok::kRSqb:
    case Tok::kRBrace: {
      size_t floor = modes_.empty() ? 0 : modes_.back().level;
      if (brackets_.size() > floor) {
        char open = brackets_.back();
        char want = k == Tok::kRPar ? '(' : k == Tok::kRSqb ? '[' : '{';
        if (open != want)
          Error(start, std::string("closing parenthesis '") + c +
                           "' does not match opening parenthesis '" + open +
                           "'");
        brackets_.pop_back();
      } else {
        Error(start, std::string("unmatched '") + c + "'");
      }
      break;
    }
    default:
      break;
  }
  Emit(k, start, pos_);
}

void Lexer::Finish() {
  if (!out_->empty()) {
    Tok last = out_->back().kind;
    if (last != Tok::kNewline && last != Tok::kDedent && last != Tok::kIndent)
      Emit(Tok::kNewline, n_, n_);
  }
  if (!modes_.empty()) Error(n_, "unterminated f-string literal");
  if (!brackets_.empty()) {
    Error(n_, std::string("'") + brackets_.back() + "' was never closed");
  }
  while (indents_.size() > 1) {
    indents_.pop_back();
    Emit(Tok::kDedent, n_, n_);
  }
  Emit(Tok::kEnd, n_, n_);
}

void Lexer::Run() {
  if (n_ >= kMaxSourceBytes) {
    Error(0, "source too large");
    n_ = 0;
  }
  for (;;) {
    if (!modes_.empty()) {
      const Mode& m = modes_.back();
      if (!m.field) {
        LexFStringPart();
        continue;
      }
      if (m.spec) {
        LexFormatSpec();
        continue;
      }
    }
    if (at_line_start_) {
      if (brackets_.empty()) {
        if (!HandleIndent()) break;
        logical_start_ = out_->size();
      } else {
        at_line_start_ = false;
      }
    }
    pos_ = Skip(pos_, kBlank);
    if (pos_ >= n_) break;
    unsigned char c = s_[pos_];
    if (IsIdStart(c)) {
      LexName();
      continue;
    }
    if (IsDigit(c) || (c == '.' && IsDigit(At(pos_ + 1)))) {
      LexNumber();
      continue;
    }
    switch (c) {
      case '#':
        pos_ = LineEnd(pos_);
        continue;
      case '\n':
      case '\r':
        if (brackets_.empty()) {
          if (!out_->empty() && out_->back().kind != Tok::kNewline)
            Emit(Tok::kNewline, pos_, pos_ + 1);
          at_line_start_ = true;
          NewLine();
        } else {
          size_t nl = pos_;
          NewLine();
          if (modes_.empty() &&
              (StatementLineFollows() || HeaderBlockFollows())) {
            Error(nl, std::string("'") + brackets_.front() +
                          "' was never closed");
            brackets_.clear();
            Emit(Tok::kNewline, nl, nl + 1);
            at_line_start_ = true;
          }
        }
        continue;
      case '\\':
        if (IsNewlineAt(pos_ + 1)) {
          ++pos_;
          NewLine();
          if (pos_ >= n_) Error(pos_, "unexpected EOF after line continuation");
        } else {
          Error(pos_, "unexpected character after line continuation character");
          Emit(Tok::kError, pos_, pos_ + 1);
          ++pos_;
        }
        continue;
      case '\'':
      case '"':
        LexString(pos_, pos_, false, false);
        continue;
      default:
        break;
    }
    if (!modes_.empty()) {
      Mode& m = modes_.back();
      if (brackets_.size() == m.level) {
        if (c == '}') {
          Emit(Tok::kRBrace, pos_, pos_ + 1);
          ++pos_;
          brackets_.pop_back();
          modes_.pop_back();
          continue;
        }
        if (c == ':' ) {
          Emit(Tok::kColon, pos_, pos_ + 1);
          ++pos_;
          m.spec = true;
          continue;
        }
      }
    }
    LexOperator();
  }
  Finish();
}

}  // namespace

const char* TokName(Tok t) {
  static const char* const kNames[] = {
      "end of file", "NEWLINE", "INDENT", "DEDENT", "NAME", "NUMBER", "STRING",
      "FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END", "invalid token",
      "'('", "')'", "'['", "']'", "'{'", "'}'", "':'", "','", "';'", "'.'",
      "'...'", "'->'", "':='", "'@'", "'='", "'!'", "'`'", "'+'", "'-'", "'*'",
      "'/'", "'//'", "'%'", "'**'", "'|'", "'&'", "'^'", "'~'", "'<<'", "'>>'",
      "'<'", "'>'", "'=='", "'!='", "'<='", "'>='", "'+='", "'-='", "'*='",
      "'/='", "'//='", "'%='", "'**='", "'|='", "'&='", "'^='", "'<<='",
      "'>>='", "'@='", "'False'", "'None'", "'True'", "'and'", "'as'",
      "'assert'", "'async'", "'await'", "'break'", "'class'", "'continue'",
      "'def'", "'del'", "'elif'", "'else'", "'except'", "'finally'", "'for'",
      "'from'", "'global'", "'if'", "'import'", "'in'", "'is'", "'lambda'",
      "'nonlocal'", "'not'", "'or'", "'pass'", "'raise'", "'return'", "'try'",
      "'while'", "'with'", "'yield'"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) ==
                static_cast<size_t>(Tok::kCount));
  size_t i = static_cast<size_t>(t);
  return i < static_cast<size_t>(Tok::kCount) ? kNames[i] : "?";
}

namespace {

// The encoding named by a PEP 263 cookie on one line, or "".
std::string CookieOf(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' ||
                             line[i] == '\f'))
    ++i;
  if (i >= line.size() || line[i] != '#') return "";
  size_t p = line.find("coding", i);
  if (p == std::string_view::npos) return "";
  p += 6;
  if (p >= line.size() || (line[p] != ':' && line[p] != '=')) return "";
  ++p;
  while (p < line.size() && (line[p] == ' ' || line[p] == '\t')) ++p;
  std::string enc;
  while (p < line.size() &&
         (std::isalnum(static_cast<unsigned char>(line[p])) || line[p] == '-' ||
          line[p] == '_' || line[p] == '.'))
    enc += static_cast<char>(std::tolower(static_cast<unsigned char>(line[p++])));
  return enc;
}

bool IsLatin1(const std::string& e) {
  for (const char* n : {"latin-1", "latin1", "iso-8859-1", "iso8859-1",
                        "iso-latin-1", "l1", "latin_1", "iso_8859_1",
                        "iso8859_1", "8859", "cp819", "latin"}) {
    if (e == n) return true;
  }
  return false;
}

bool IsUtf8Name(const std::string& e) {
  return e == "utf-8" || e == "utf8" || e == "utf_8" ||
         e.rfind("utf-8-", 0) == 0 || e.rfind("utf_8_", 0) == 0;
}

// Transcodes `in` from `enc` to UTF-8 with iconv; false when the encoding
// is unknown or the bytes do not decode.
bool IconvToUtf8(std::string_view in, const std::string& enc,
                 std::string* out) {
  std::string name;
  for (char c : enc)
    name.push_back(c == '_' ? '-' : static_cast<char>(std::toupper(
                                        static_cast<unsigned char>(c))));
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out->assign(in.size() * 4 + 32, '\0');
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = out->data();
  size_t dst_left = out->size();
  size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
  bool ok = rc != static_cast<size_t>(-1) && src_left == 0;
  if (ok) ok = iconv(cd, nullptr, nullptr, &dst, &dst_left) !=
               static_cast<size_t>(-1);
  iconv_close(cd);
  out->resize(out->size() - dst_left);
  return ok;
}

}  // namespace

void PrepareSource(std::string_view bytes, PreparedSource* out) {
  out->storage.clear();
  out->encoding.clear();
  bool bom = bytes.size() >= 3 &&
             static_cast<unsigned char>(bytes[0]) == 0xEF &&
             static_cast<unsigned char>(bytes[1]) == 0xBB &&
             static_cast<unsigned char>(bytes[2]) == 0xBF;
  if (bom) bytes.remove_prefix(3);
  out->text = bytes;
  // The cookie may be on line 1 or 2 (line 1 being a comment or blank).
  size_t e1 = bytes.find('\n');
  std::string_view l1 = bytes.substr(0, e1 == std::string_view::npos
                                            ? std::min<size_t>(bytes.size(), 400)
                                            : e1);
  std::string enc = CookieOf(l1);
  if (enc.empty() && e1 != std::string_view::npos) {
    std::string_view t = Trim(l1);
    if (t.empty() || t[0] == '#') {
      std::string_view rest = bytes.substr(e1 + 1);
      size_t e2 = rest.find('\n');
      enc = CookieOf(rest.substr(0, e2 == std::string_view::npos
                                        ? std::min<size_t>(rest.size(), 400)
                                        : e2));
    }
  }
  out->encoding = enc;
  out->error.clear();
  if (bom && !enc.empty()) {
    // As CPython: with a BOM the cookie must name utf-8 (not an alias such
    // as "utf8").
    std::string norm = enc;
    for (char& c : norm)
      if (c == '_') c = '-';
    if (norm != "utf-8" && norm.rfind("utf-8-", 0) != 0) {
      out->error = "encoding problem: " + enc + " with BOM";
      return;
    }
  }
  if (enc.empty() || IsUtf8Name(enc)) return;
  bool ascii = true;
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    if (!IsLatin1(enc)) {
      std::string ignored;
      if (!IconvToUtf8("", enc, &ignored))
        out->error = "unknown encoding: " + enc;
    }
    return;
  }
  // Heap storage (beyond the small-string buffer) keeps `text` valid when
  // the PreparedSource is moved.
  if (IsLatin1(enc)) {
    out->storage.reserve(bytes.size() + bytes.size() / 8 + 32);
    for (char c : bytes) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x80) {
        out->storage.push_back(c);
      } else {
        out->storage.push_back(static_cast<char>(0xC0 | (u >> 6)));
        out->storage.push_back(static_cast<char>(0x80 | (u & 0x3F)));
      }
    }
    out->text = out->storage;
    return;
  }
  if (IconvToUtf8(bytes, enc, &out->storage)) {
    out->storage.reserve(32);
    out->text = out->storage;
  } else {
    out->storage.clear();
    out->error = "cannot decode the source as '" + enc + "' (PEP 263 cookie)";
  }
}

void Tokenize(std::string_view src, TokenVector* tokens,
              std::vector<SyntaxError>* errors) {
  // Tokens are rarely more than one per two bytes (Run() refuses larger
  // inputs at once).
  TokenSink sink(tokens, src.size() < kMaxSourceBytes ? src.size() / 2 + 16 : 16);
  Lexer lx(src, &sink, errors);
  lx.Run();
  sink.Finish();
}

}  // namespace python
}  // namespace pyward
