#include "analysis/capture_request.h"

#include "util/strings.h"

namespace pyward {
namespace {

void AddText(const std::optional<Value>& v, std::string* text) {
  if (!v) return;
  if (v->kind == Value::kStr || v->kind == Value::kBytes) {
    text->append(v->data.substr(0, 4096));
    text->push_back(' ');
  } else if (v->kind == Value::kList) {
    for (const Value& item : v->items)
      if (item.kind == Value::kStr || item.kind == Value::kBytes) {
        text->append(item.data.substr(0, 4096));
        text->push_back(' ');
      }
  }
}

}  // namespace

void CheckCaptureRequests(const ModuleModel& model, const BehaviourRules& rules,
                          const std::vector<std::string>& hosts, const std::string& path,
                          Phase phase, const std::string& chain, std::vector<Finding>* out) {
  if (hosts.empty()) return;
  for (const CallRecord& c : model.calls()) {
    if (!(rules.CapabilitiesOf(c.callee) & (kCapFetch | kCapSend | kCapConnect | kCapResolve)))
      continue;
    std::string text;
    for (const auto& a : c.args) AddText(a, &text);
    for (const auto& [name, v] : c.kwargs) AddText(v, &text);
    if (text.empty()) continue;
    text = ToLower(text);
    const std::string* hit = nullptr;
    for (const std::string& h : hosts)
      if (text.find(h) != std::string::npos) {
        hit = &h;
        break;
      }
    if (!hit) continue;
    bool at_load = !c.ctx().in_def;
    Finding f;
    f.rule = "capture-host-request";
    f.severity = at_load ? Severity::kCritical : Severity::kHigh;
    f.phase = at_load ? phase : Phase::kRuntime;
    f.file = path;
    f.line = c.line;
    f.message = "sends a request to a tunnel, request-capture or chat-webhook address (" +
                Printable(*hit, 60) +
                ") with " + c.callee + ": the request itself reports to whoever watches it "
                "(ATT&CK T1071.001)";
    SetLayerChain(&f, chain);
    out->push_back(std::move(f));
  }
}

}  // namespace pyward
