#include "python/facts.h"

#include <algorithm>

#include "python/unicode_data.h"

namespace pyward {
namespace python {

bool DottedName(const Ast& ast, uint32_t node, std::string* out) {
  // Walk down the chain collecting attribute names (innermost last).
  std::vector<uint32_t> attrs;
  uint32_t cur = node;
  while (cur != 0 && ast.node(cur).kind == NodeKind::kAttribute) {
    attrs.push_back(ast.node(cur).tok);
    cur = ast.node(cur).a;
  }
  if (cur == 0 || ast.node(cur).kind != NodeKind::kName) return false;
  out->assign(NormalizeIdentifier(ast.TokText(ast.node(cur).tok)));
  for (size_t i = attrs.size(); i-- > 0;) {
    out->push_back('.');
    out->append(NormalizeIdentifier(ast.TokText(attrs[i])));
  }
  return true;
}

void ExtractFacts(const Ast& ast, Facts* out) {
  out->calls.clear();
  out->imports.clear();
  out->defs.clear();
  std::string name;
  for (size_t i = 1; i < ast.nodes.size(); ++i) {
    const Node& n = ast.nodes[i];
    switch (n.kind) {
      case NodeKind::kCall:
        if (DottedName(ast, n.a, &name)) out->calls.push_back({n.line, name});
        break;
      case NodeKind::kFunctionDef:
      case NodeKind::kAsyncFunctionDef:
      case NodeKind::kClassDef:
        out->defs.push_back({n.line, NormalizeIdentifier(ast.TokText(n.tok))});
        break;
      case NodeKind::kImport:
        for (uint32_t al : ast.list(n)) {
          const Node& a = ast.node(al);
          out->imports.push_back({n.line, std::string(ast.Str(a.a, a.b))});
        }
        break;
      case NodeKind::kImportFrom: {
        std::string base(n.op, '.');
        std::string_view mod = ast.Str(n.a, n.b);
        base.append(mod);
        if (!mod.empty()) base.push_back('.');
        for (uint32_t al : ast.list(n)) {
          const Node& a = ast.node(al);
          out->imports.push_back({n.line, base + std::string(ast.Str(a.a, a.b))});
        }
        break;
      }
      default:
        break;
    }
  }
  auto by_line = [](const Fact& x, const Fact& y) {
    return x.line != y.line ? x.line < y.line : x.name < y.name;
  };
  std::sort(out->calls.begin(), out->calls.end(), by_line);
  std::sort(out->imports.begin(), out->imports.end(), by_line);
  std::sort(out->defs.begin(), out->defs.end(), by_line);
}

}  // namespace python
}  // namespace pyward
