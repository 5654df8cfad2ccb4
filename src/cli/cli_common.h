// Pieces the subcommands share: repeatable options and the policy file.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "audit/policy.h"

namespace pyward {

// Adds option `name` to `app` taking one value per use, repeatable
// (`--env a --env b`), all values kept in order in `values`.
CLI::Option* AddRepeatable(CLI::App* app, const std::string& name,
                           std::vector<std::string>* values,
                           const std::string& help);

// Reads and parses the TOML policy at `path` into `policy`; on failure prints
// "<command>: policy: <problem>" to stderr and returns false (the caller
// exits with kExitUsage).
bool LoadPolicy(const char* command, const std::string& path, Policy* policy);

}  // namespace pyward
