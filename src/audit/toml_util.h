// Parsing TOML text (toml++) into a table without letting its exceptions
// escape: one place for both of toml++'s error modes.
#pragma once

#include <string>
#include <string_view>

#include <toml++/toml.h>

namespace pyward {

// Parses `text` (named `path` in messages); false and *err ("path:line:col:
// what") when it is not valid TOML.
bool ParseTomlTable(std::string_view text, const std::string& path,
                    toml::table* out, std::string* err);

}  // namespace pyward
