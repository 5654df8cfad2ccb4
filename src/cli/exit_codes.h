// Exit status of every pyward command (DESIGN.md, output contract).
#pragma once

namespace pyward {

constexpr int kExitOk = 0;        // nothing at or above --fail-on
constexpr int kExitFindings = 1;  // something is
constexpr int kExitUsage = 2;     // bad usage or unreadable input
constexpr int kExitInternal = 3;  // internal error

}  // namespace pyward
