// Values of Python string and bytes literals: escapes decoded (\n, \x, octal,
// \u, \U, \N{NAME}), raw strings kept as written, adjacent literals
// concatenated, and the literal parts of f-strings. str values are UTF-8;
// bytes values are the raw bytes. This is the raw material the analysis
// folds and decodes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "python/ast.h"

namespace pyward {
namespace python {

// Decodes one STRING token's text (prefix and quotes included, e.g.
// `rb'\x00'`) into *out; *is_bytes tells bytes from str. Returns false
// (with *err) on a malformed escape or a bad token; *out then holds the
// best-effort value (the malformed escape kept as written).
bool DecodeStringToken(std::string_view token, std::string* out,
                       bool* is_bytes, std::string* err);

// Decodes the text of an f-string literal part (an FSTRING_MIDDLE token):
// escapes unless `raw`, and `{{`/`}}` undoubled. Same contract as above.
bool DecodeFStringMiddle(std::string_view text, bool raw, std::string* out,
                         std::string* err);

// Checks the escapes of a STRING token (prefix and quotes included) the way
// CPython's parser does: a truncated \x, \u or \U escape, a \U past
// U+10FFFF or a \N without {NAME} is an error (*err). Unknown names inside
// \N{...} are not errors here (aliases are not in our data). Fast when the
// token has no backslash.
bool CheckStringEscapes(std::string_view token, std::string* err);
// The same for an f-string literal part (FSTRING_MIDDLE text).
bool CheckFStringMiddleEscapes(std::string_view text, bool raw,
                               std::string* err);

// The value of a string or bytes Constant node, implicit concatenation
// applied. False when `node` is not such a constant, when str and bytes are
// mixed, or when an escape is malformed (*out then holds the best effort).
bool ConstantValue(const Ast& ast, uint32_t node, std::string* out,
                   bool* is_bytes, std::string* err);

// One piece of an f-string: decoded literal text, or a replacement field.
struct FStringPart {
  bool is_field = false;
  uint32_t node = 0;   // the FormattedValue node when is_field
  std::string text;    // the decoded literal text otherwise
};

// The pieces of a JoinedStr node in order, adjacent literal text merged
// (a plain string concatenated to an f-string is literal text too).
// False when `node` is not a JoinedStr or an escape is malformed.
bool JoinedStrParts(const Ast& ast, uint32_t node,
                    std::vector<FStringPart>* parts, std::string* err);

}  // namespace python
}  // namespace pyward
