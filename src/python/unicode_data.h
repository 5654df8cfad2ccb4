// Unicode data the Python front end needs at run time, loaded lazily (once,
// thread-safe) from gzip-compressed data files generated from CPython's
// unicodedata by scripts/gen_unicode_data.py:
//   data/python/unicode_names.txt.gz   names for \N{...} escapes
//   data/python/identifier_nfkc.txt.gz NFKC forms of identifier characters
//   data/python/identifier_chars.txt.gz which code points identifiers allow
// Name aliases (e.g. "LINE FEED") and named sequences are not included.
#pragma once

#include "util/strings.h"  // AppendUtf8

#include <string>
#include <string_view>

namespace pyward {
namespace python {

// The code point named `name` (case-insensitive, as CPython's \N{...}), or
// false when unknown or when the data file cannot be read.
bool LookupUnicodeName(std::string_view name, char32_t* cp);

// `id` as CPython stores an identifier: non-ASCII identifiers are put in
// NFKC form (so `ｅｘｅｃ` is `exec`). Applied per code point (compatibility
// decomposition of each character; no canonical recomposition across
// characters). ASCII input is returned unchanged without loading data.
std::string NormalizeIdentifier(std::string_view id);

// Whether the non-ASCII code point `cp` may start (`start`) or continue an
// identifier (XID_Start / XID_Continue, as str.isidentifier()). True for
// everything when the data file cannot be read.
bool IsIdentifierChar(char32_t cp, bool start);

// Decodes the UTF-8 sequence at s[*i] and advances *i past it; an invalid
// byte decodes as itself (one byte) with *valid false. *i < s.size().
char32_t DecodeUtf8(std::string_view s, size_t* i, bool* valid);


}  // namespace python
}  // namespace pyward
