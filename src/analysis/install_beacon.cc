#include "analysis/install_beacon.h"

#include <set>
#include <unordered_set>

namespace pyward {

void CheckInstallBeacon(const python::Ast& ast, const ModuleModel& model,
                        const BehaviourRules& rules, const std::string& path,
                        const std::string& chain, std::vector<Finding>* out) {
  const std::vector<CallRecord>& calls = model.calls();
  std::vector<size_t> net;
  for (size_t i = 0; i < calls.size(); ++i)
    if (rules.CapabilitiesOf(calls[i].callee) & (kCapFetch | kCapSend)) net.push_back(i);
  if (net.empty()) return;
  // Calls whose value is thrown away: the value of an expression statement.
  std::unordered_set<uint32_t> discarded;
  for (const python::Node& n : ast.nodes)
    if (n.kind == python::NodeKind::kExpr && n.a && n.a < ast.nodes.size() &&
        ast.node(n.a).kind == python::NodeKind::kCall)
      discarded.insert(n.a);
  // Defs that module-level code or install commands call.
  std::set<std::string, std::less<>> run;
  for (const CallRecord& c : calls)
    if ((!c.ctx().in_def && c.ctx().classes.empty()) || c.ctx().command) run.insert(c.callee);
  for (size_t i : net) {
    const CallRecord& c = calls[i];
    const CallContext& ctx = c.ctx();
    if (!discarded.count(c.node) || ctx.guarded_other_command) continue;
    bool at_install = !ctx.in_def || ctx.command ||
                      (!ctx.lambda_only && ctx.classes.empty() && run.count(ctx.top_def));
    if (!at_install) continue;
    Finding f;
    f.rule = "install-beacon";
    f.severity = Severity::kCritical;
    f.phase = Phase::kInstall;
    f.file = path;
    f.line = c.line;
    f.message = "makes a network request at install time and throws the answer away (" +
                c.callee + "): the request itself tells a remote host the package was installed "
                "(ATT&CK T1071.001)";
    SetLayerChain(&f, chain);
    out->push_back(std::move(f));
  }
}

}  // namespace pyward
