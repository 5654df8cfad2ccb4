#include "python/ast.h"

namespace pyward {
namespace python {

const char* NodeKindName(NodeKind k) {
  static const char* const kNames[] = {
      "None", "Module", "FunctionDef", "AsyncFunctionDef", "ClassDef",
      "Return", "Delete", "Assign", "TypeAlias", "AugAssign", "AnnAssign",
      "For", "AsyncFor", "While", "If", "With", "AsyncWith", "Match", "Raise",
      "Try", "TryStar", "Assert", "Import", "ImportFrom", "Global",
      "Nonlocal", "Expr", "Pass", "Break", "Continue", "Print2", "Exec2",
      "ErrorStmt", "BoolOp", "NamedExpr", "BinOp", "UnaryOp", "Lambda",
      "IfExp", "Dict", "Set", "ListComp", "SetComp", "DictComp",
      "GeneratorExp", "Await", "Yield", "YieldFrom", "Compare", "Call",
      "FormattedValue", "JoinedStr", "Constant", "Attribute", "Subscript",
      "Starred", "Name", "List", "Tuple", "Slice", "Repr2", "Seq",
      "arguments", "arg", "keyword", "alias", "withitem", "match_case",
      "ExceptHandler", "comprehension", "TypeVar", "ParamSpec",
      "TypeVarTuple", "MatchValue", "MatchSingleton", "MatchSequence",
      "MatchMapping", "MatchClass", "MatchStar", "MatchAs", "MatchOr"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) ==
                static_cast<size_t>(NodeKind::kCount));
  size_t i = static_cast<size_t>(k);
  return i < static_cast<size_t>(NodeKind::kCount) ? kNames[i] : "?";
}

void Children(const Ast& ast, uint32_t node, std::vector<uint32_t>* out) {
  out->clear();
  AppendChildren(ast, node, out);
}

void AppendChildren(const Ast& ast, uint32_t node, std::vector<uint32_t>* out) {
  if (node == 0 || node >= ast.nodes.size()) return;
  const Node& n = ast.node(node);
  const size_t size = ast.nodes.size();
  auto add = [out, size](uint32_t c) __attribute__((always_inline)) {
    if (c != 0 && c < size) out->push_back(c);
  };
  auto add_list = [&]() __attribute__((always_inline)) {
    for (uint32_t c : ast.list(n)) add(c);
  };
  switch (n.kind) {
    case NodeKind::kConstant:
    case NodeKind::kName:
    case NodeKind::kAlias:
    case NodeKind::kMatchSingleton:
    case NodeKind::kMatchStar:
    case NodeKind::kPass:
    case NodeKind::kBreak:
    case NodeKind::kContinue:
      return;
    case NodeKind::kImport:
    case NodeKind::kImportFrom:
      add_list();
      return;
    case NodeKind::kFunctionDef:
    case NodeKind::kAsyncFunctionDef:
      add(n.c), add(n.d), add(n.a), add(n.b), add_list();
      return;
    case NodeKind::kClassDef:
      add(n.c), add(n.d), add(n.a), add_list();
      return;
    case NodeKind::kFor:
    case NodeKind::kAsyncFor:
      add(n.a), add(n.b), add_list(), add(n.c);
      return;
    case NodeKind::kWhile:
    case NodeKind::kIf:
      add(n.a), add_list(), add(n.c);
      return;
    case NodeKind::kTry:
    case NodeKind::kTryStar:
      add_list(), add(n.a), add(n.b), add(n.c);
      return;
    case NodeKind::kAssign:
      add_list(), add(n.a);
      return;
    case NodeKind::kIfExp:
      add(n.b), add(n.a), add(n.c);
      return;
    case NodeKind::kCompare: {
      add(n.a);
      auto l = ast.list(n);
      for (size_t i = 1; i < l.size(); i += 2) add(l[i]);
      return;
    }
    case NodeKind::kTypeAlias:
      add(n.a), add(n.d), add(n.b);
      return;
    default:
      add(n.a), add(n.b), add(n.c), add(n.d), add_list();
      return;
  }
}

}  // namespace python
}  // namespace pyward
