// A pattern-level view of Python source: string contents and comments are
// blanked out (offsets preserved), so that text patterns only match code.
// Linear in the input, whatever the input.
#pragma once

#include <string>
#include <string_view>

namespace pyward {

// Returns `src` with the contents of string literals and comments replaced by
// spaces (quotes and newlines are kept, so offsets and line numbers match).
std::string MaskStringsAndComments(std::string_view src);

}  // namespace pyward
