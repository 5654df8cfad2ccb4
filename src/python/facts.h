// Facts of a parsed file that the conformance check compares with CPython's
// ast module and that the analysis starts from: calls by dotted name,
// imported modules, and defined functions and classes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "python/ast.h"

namespace pyward {
namespace python {

struct Fact {
  uint32_t line;
  std::string name;
  bool operator==(const Fact& o) const {
    return line == o.line && name == o.name;
  }
};

struct Facts {
  // Calls whose callee is a name or an attribute chain on a name, as dotted
  // text (`os.path.join`), at the line where the call expression starts.
  std::vector<Fact> calls;
  // `import a.b as c` -> a.b; `from x.y import z` -> x.y.z; relative imports
  // keep their dots (`..m`); `from x import *` -> x.*. Line of the statement.
  std::vector<Fact> imports;
  // Function, async function and class names with the line of their
  // def/class keyword.
  std::vector<Fact> defs;
};

// Dotted text of a Name or an Attribute chain ending in a Name; false for any
// other expression.
bool DottedName(const Ast& ast, uint32_t node, std::string* out);

// Collects the facts of every node of `ast`, including the statements kept
// from broken code. Each list is sorted by line, then name.
void ExtractFacts(const Ast& ast, Facts* out);

}  // namespace python
}  // namespace pyward
