// Python tokenizer per the Python 3.12 lexical rules (PEP 263 cookie, BOM,
// every string prefix, PEP 701 f-strings, INDENT/DEDENT, all numbers,
// non-ASCII identifiers). It never stops on bad input: Python 2 forms
// (backticks, `<>`, `0777`, `ur''`) and invalid bytes become tokens plus
// recorded errors. Tokens point into the source; nothing is copied.
// Linear time, memory proportional to the token count.
#pragma once

#include <cstdint>
#include <string>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace pyward {
namespace python {

// Token kinds. Keywords have their own kinds; soft keywords (match, case,
// type, _) are kName.
enum class Tok : uint8_t {
  kEnd,
  kNewline,
  kIndent,
  kDedent,
  kName,
  kNumber,
  kString,         // a whole non-f string literal, prefix and quotes included
  kFStringStart,   // f-string prefix and opening quote
  kFStringMiddle,  // literal text of an f-string (raw source, `{{` undoubled
                   // by the decoder)
  kFStringEnd,     // closing quote of an f-string
  kError,          // invalid byte(s); an error was recorded
  // Operators and delimiters.
  kLPar, kRPar, kLSqb, kRSqb, kLBrace, kRBrace,
  kColon, kComma, kSemi, kDot, kEllipsis, kArrow, kColonEqual, kAt, kEqual,
  kExclaim,   // `!` of an f-string conversion
  kBacktick,  // Python 2 repr quote
  kPlus, kMinus, kStar, kSlash, kDoubleSlash, kPercent, kDoubleStar,
  kVBar, kAmper, kCircumflex, kTilde, kLeftShift, kRightShift,
  kLess, kGreater, kEqEqual, kNotEqual, kLessEqual, kGreaterEqual,
  // Augmented assignment (order matches the binary operators above).
  kPlusEqual, kMinusEqual, kStarEqual, kSlashEqual, kDoubleSlashEqual,
  kPercentEqual, kDoubleStarEqual, kVBarEqual, kAmperEqual, kCircumflexEqual,
  kLeftShiftEqual, kRightShiftEqual, kAtEqual,
  // Keywords.
  kFalse, kNone, kTrue, kAnd, kAs, kAssert, kAsync, kAwait, kBreak, kClass,
  kContinue, kDef, kDel, kElif, kElse, kExcept, kFinally, kFor, kFrom,
  kGlobal, kIf, kImport, kIn, kIs, kLambda, kNonlocal, kNot, kOr, kPass,
  kRaise, kReturn, kTry, kWhile, kWith, kYield,
  kCount
};

// A short printable name for a token kind ("NAME", "'('", "'def'").
const char* TokName(Tok t);

// Token flags.
enum TokFlag : uint8_t {
  kTokLeadingZero = 1,  // Python 2 octal-like decimal (`0777`)
  kTokNonAscii = 2,     // a NAME with a byte >= 0x80 (else it is pure ASCII)
};

struct Token {
  Tok kind;
  uint8_t flags;
  uint32_t off;   // byte offset in the (prepared) source
  uint32_t len;   // byte length
  uint32_t line;  // 1-based
  uint32_t col;   // 0-based byte column (what CPython's col_offset gives)
};

// An allocator whose value-less construct leaves a trivial element
// uninitialized, so that resizing a vector up does not zero it: the
// tokenizer sizes its output for the worst case and writes each token once.
template <class T>
struct UninitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitAllocator<U>;
  };
  using std::allocator<T>::allocator;
  template <class U>
  void construct(U* p) noexcept {
    static_assert(std::is_trivially_default_constructible_v<U>);
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

// The token stream of a file.
using TokenVector = std::vector<Token, UninitAllocator<Token>>;

struct SyntaxError {
  uint32_t line;
  uint32_t col;
  std::string message;
};

// Source bytes ready for tokenizing: a UTF-8 BOM removed, and a PEP 263
// cookie naming another encoding honoured by transcoding to UTF-8 (Latin-1
// natively, any other through the C library's iconv). `text` points either
// into the original bytes or into `storage`.
struct PreparedSource {
  std::string_view text;
  std::string storage;
  std::string encoding;  // the cookie's encoding, lower-cased, or ""
  std::string error;     // unknown encoding or undecodable bytes, or ""
};

// Prepares `bytes` (which must outlive the result when not transcoded).
void PrepareSource(std::string_view bytes, PreparedSource* out);

// Bounds of the tokenizer (CPython's own limits).
constexpr int kMaxBracketDepth = 200;
constexpr int kMaxIndentDepth = 100;
// Inputs larger than this are refused with one error (offsets are 32-bit).
constexpr size_t kMaxSourceBytes = 1u << 30;

// Tokenizes `src` into *tokens (ending with kEnd) and appends problems to
// *errors. Never fails: the token stream is always complete.
void Tokenize(std::string_view src, TokenVector* tokens,
              std::vector<SyntaxError>* errors);

}  // namespace python
}  // namespace pyward
