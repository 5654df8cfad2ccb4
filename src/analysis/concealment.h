// Concealment signals in Python source: ways of hiding code from a person
// reading the file, each a finding of its own (they say nothing of what the
// code does; the behaviour rules and the decoded payloads do):
//   code-after-spaces     code pushed right, past the edge of the screen
//   long-line             a line of many kilobytes holding code
//   high-entropy-blob     a long string constant of random-looking text
//   obfuscated-identifier invisible or mixed-script characters in names
//   pyarmor-stub          a PyArmor-style runtime that decrypts code at load
#pragma once

#include <string>
#include <vector>

#include "python/ast.h"
#include "report/finding.h"

namespace pyward {

// Appends the concealment findings of the parsed source `ast` (file `path`,
// whose module-level code runs in `phase`; `chain` for decoded layers).
void CheckConcealment(const python::Ast& ast, const std::string& path, Phase phase,
                      const std::string& chain, std::vector<Finding>* out);

// Shannon entropy of `s` in bits per byte.
double Entropy(std::string_view s);

}  // namespace pyward
