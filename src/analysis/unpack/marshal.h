// Reader of CPython marshal streams (marshal.dumps output, .pyc bodies) that
// collects what a code object holds without executing anything: string
// constants and names, through nested code objects.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pyward {

// What ReadMarshal found. Strings and names are in first-seen order, each
// kept once. Bytes constants count as strings (Python 2 str is bytes);
// bytecode, line tables and file names are not collected.
struct MarshalInfo {
  bool is_code = false;              // the top object is a code object
  std::vector<std::string> strings;  // every str/bytes constant, nested too
  std::vector<std::string> names;    // co_name, co_names, co_varnames,
                                     // free/cell vars (localsplusnames)
};

// Reads one marshalled object from `in` (no .pyc header): every type code of
// marshal versions 0-4 (Python 2.7 and 3.x), FLAG_REF references, Python 2
// interned-string references, and code objects of the 2.7, 3.0-3.7, 3.8-3.10
// and 3.11+ layouts (tried in turn; the one that reads the whole stream
// wins). Nesting deeper than 200 fails. Every read is bounds checked; returns
// false with *err on malformed or truncated input.
bool ReadMarshal(std::string_view in, MarshalInfo* out, std::string* err);

// Where the marshal stream of a .pyc (`data` starting with a 4-byte magic
// ending in "\r\n") begins: 16, 12 or 8 (the first of those at which a code
// object type byte stands), or 0 when `data` has no .pyc header.
size_t PycHeaderSize(std::string_view data);

}  // namespace pyward
