#include "cli/cli_common.h"

#include <cstdio>

#include "util/file_util.h"

namespace pyward {

CLI::Option* AddRepeatable(CLI::App* app, const std::string& name,
                           std::vector<std::string>* values,
                           const std::string& help) {
  return app->add_option(name, *values, help)
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

bool LoadPolicy(const char* command, const std::string& path, Policy* policy) {
  std::string text, err;
  if (!ReadFile(path, 16 << 20, &text, &err) ||
      !Policy::Parse(text, path, policy, &err)) {
    std::fprintf(stderr, "%s: policy: %s\n", command, err.c_str());
    return false;
  }
  return true;
}

}  // namespace pyward
