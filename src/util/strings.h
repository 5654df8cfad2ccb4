// Small string helpers shared by every area.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pyward {

// Hashes std::string and std::string_view alike: with std::equal_to<>, an
// unordered container keyed by std::string is searched by view.
struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>()(s); }
};

std::string ToLower(std::string_view s);
std::string_view Trim(std::string_view s);
// Splits on `sep`, keeping empty fields.
std::vector<std::string_view> Split(std::string_view s, char sep);
bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix);

// Makes `s` safe and short enough to show a person: invalid UTF-8 bytes and
// control characters become \xNN, and the result is cut to `max_chars`
// characters with "..." appended when something was cut.
std::string Printable(std::string_view s, size_t max_chars);

// True when `s` is valid UTF-8 (no overlong forms, surrogates or code
// points above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// The 1-based line number of byte offset `off` in `text`.
int LineOfOffset(std::string_view text, size_t off);

// The line of `text` that holds byte offset `off`, without its newline.
std::string_view LineAt(std::string_view text, size_t off);

// Appends code point `cp` to *out as UTF-8.
void AppendUtf8(char32_t cp, std::string* out);

// True when `needle` occurs in `hay`, as string_view::find would say; it
// jumps (memchr) between occurrences of the needle's least common byte,
// where find stops at every occurrence of its first byte.
bool Contains(std::string_view hay, std::string_view needle);

}  // namespace pyward
