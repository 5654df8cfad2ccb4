#include "audit/toml_util.h"

namespace pyward {

bool ParseTomlTable(std::string_view text, const std::string& path,
                    toml::table* out, std::string* err) {
  auto describe = [&](const toml::parse_error& e) {
    *err = path + ":" + std::to_string(e.source().begin.line) + ":" +
           std::to_string(e.source().begin.column) + ": " +
           std::string(e.description());
  };
#if TOML_EXCEPTIONS
  try {
    *out = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    describe(e);
    return false;
  }
  return true;
#else
  toml::parse_result r = toml::parse(text, path);
  if (!r) {
    describe(r.error());
    return false;
  }
  *out = std::move(r).table();
  return true;
#endif
}

}  // namespace pyward
