#include "analysis/xor_exec.h"

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "analysis/python_analysis.h"
#include "util/strings.h"

namespace pyward {
namespace {

using python::Node;
using python::NodeKind;

bool IsXor(const Node& n) {
  return (n.kind == NodeKind::kBinOp || n.kind == NodeKind::kAugAssign) &&
         n.op == static_cast<uint16_t>(python::BinOp::kBitXor);
}

// The source length of a string or bytes constant's tokens (0 otherwise).
size_t ConstLength(const python::Ast& ast, const Node& n) {
  if (n.kind != NodeKind::kConstant || n.tok == python::kNoTok) return 0;
  auto kind = static_cast<python::ConstKind>(n.flags);
  if (kind != python::ConstKind::kStr && kind != python::ConstKind::kBytes) return 0;
  size_t len = 0;
  uint32_t count = std::max<uint32_t>(n.a, 1);
  for (uint32_t t = n.tok; t < n.tok + count && t < ast.tokens.size(); ++t) len += ast.tokens[t].len;
  return len;
}

}  // namespace

void CheckXorExec(const python::Ast& ast, const ModuleModel& model, const std::string& path,
                  Phase phase, const std::string& chain, std::vector<Finding>* out) {
  // Most modules have no XOR or no exec: nothing to walk.
  bool any_xor = false;
  for (const Node& n : ast.nodes)
    if (IsXor(n)) {
      any_xor = true;
      break;
    }
  if (!any_xor) return;
  std::vector<const CallRecord*> execs;
  for (const CallRecord& c : model.calls())
    if (IsExecCallee(c.callee) && c.node && c.node < ast.nodes.size() &&
        ast.node(c.node).count > 0)
      execs.push_back(&c);
  if (execs.empty()) return;
  // What each name is given anywhere in the module: assigned values,
  // augmented values, appended items, loop iterables.
  std::unordered_map<std::string_view, std::vector<uint32_t>> given;
  auto give = [&](uint32_t target, uint32_t value) {
    if (!target || !value || target >= ast.nodes.size()) return;
    // buf[i] = ... / buf[i] ^= ...: the container is given the value.
    for (int depth = 0; depth < 8 && ast.node(target).kind == NodeKind::kSubscript; ++depth)
      target = ast.node(target).a;
    if (!target || target >= ast.nodes.size()) return;
    const Node& t = ast.node(target);
    if (t.kind == NodeKind::kName) given[ast.TokText(t.tok)].push_back(value);
    if (t.kind == NodeKind::kTuple || t.kind == NodeKind::kList)
      for (uint32_t e : ast.list(t))
        if (e && e < ast.nodes.size() && ast.node(e).kind == NodeKind::kName)
          given[ast.TokText(ast.node(e).tok)].push_back(value);
  };
  for (uint32_t i = 1; i < ast.nodes.size(); ++i) {
    const Node& n = ast.nodes[i];
    switch (n.kind) {
      case NodeKind::kAssign:
        for (uint32_t t : ast.list(n)) give(t, n.a);
        break;
      case NodeKind::kAnnAssign:
        give(n.a, n.c);
        break;
      case NodeKind::kNamedExpr:
        give(n.a, n.b);
        break;
      case NodeKind::kAugAssign:
        give(n.a, i);  // the statement itself: its operator counts
        break;
      case NodeKind::kFor:
      case NodeKind::kAsyncFor:
        give(n.a, n.b);
        break;
      case NodeKind::kCall: {
        // NAME.append(x) / NAME.extend(x)
        const Node& f = ast.node(n.a);
        if (f.kind != NodeKind::kAttribute || n.count == 0) break;
        std::string_view m = ast.TokText(f.tok);
        if ((m == "append" || m == "extend") && f.a && ast.node(f.a).kind == NodeKind::kName)
          give(f.a, ast.list(n)[0]);
        break;
      }
      default:
        break;
    }
  }
  for (const CallRecord* c : execs) {
    bool xor_seen = false;
    size_t blob = 0;
    std::unordered_set<std::string_view> visited;
    std::vector<uint32_t> work = {ast.list(ast.node(c->node))[0]};
    size_t budget = 20000;
    while (!work.empty() && budget > 0 && !(xor_seen && blob >= kMinXorBlob)) {
      uint32_t root = work.back();
      work.pop_back();
      python::WalkTree(ast, root, budget, [&](uint32_t n) {
        --budget;
        const Node& node = ast.node(n);
        if (IsXor(node)) xor_seen = true;
        blob = std::max(blob, ConstLength(ast, node));
        if (node.kind == NodeKind::kName) {
          std::string_view id = ast.TokText(node.tok);
          if (visited.insert(id).second) {
            auto g = given.find(id);
            if (g != given.end())
              for (uint32_t v : g->second) work.push_back(v);
          }
        }
        return node.kind == NodeKind::kLambda ? python::Walk::kSkip : python::Walk::kInto;
      });
    }
    if (!xor_seen || blob < kMinXorBlob) continue;
    Finding f;
    f.rule = "exec-decrypted";
    f.severity = Severity::kCritical;
    f.phase = c->ctx().in_def ? Phase::kRuntime : phase;
    f.file = path;
    f.line = c->line;
    f.message = "runs code (" + c->callee +
                ") that it decrypts with XOR from an embedded constant of " +
                std::to_string(blob) + " characters (ATT&CK T1140)";
    SetLayerChain(&f, chain);
    out->push_back(std::move(f));
  }
}

}  // namespace pyward
