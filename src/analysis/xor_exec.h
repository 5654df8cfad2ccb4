// exec-decrypted: code run by exec/eval/compile that the module computes
// from a long embedded constant through XOR (`bytes(b ^ key[i % n] ...)`),
// the loader shape of crypters whose key is kept apart from the blob (often
// passed in as an argument, so nothing can be decoded statically). The walk
// follows names back through their assignments, appends and augmented
// assignments anywhere in the module (flow-insensitively, bounded).
#pragma once

#include <string>
#include <vector>

#include "analysis/module_model.h"
#include "python/ast.h"
#include "report/finding.h"

namespace pyward {

// Minimum source length of the constant the decrypted code comes from.
constexpr size_t kMinXorBlob = 64;

// Appends an `exec-decrypted` finding (critical, ATT&CK T1140) for each
// exec-like call whose code is XOR-decrypted from a constant of at least
// kMinXorBlob characters. `path`/`phase`/`chain` as for the other passes.
void CheckXorExec(const python::Ast& ast, const ModuleModel& model, const std::string& path,
                  Phase phase, const std::string& chain, std::vector<Finding>* out);

}  // namespace pyward
