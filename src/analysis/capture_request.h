// capture-host-request: code that sends a request to a tunnel or
// request-capture host (ngrok, interactsh/OAST, Burp Collaborator,
// RequestBin, webhook.site...: the literal hosts of
// data/indicators/tunnel.txt) or to a chat webhook written into the code
// (Discord, Slack: the literal ones of data/indicators/webhook.txt).
// Nothing but a probe or an exfiltration channel calls such an address
// from a package: the request is the report.
#pragma once

#include <string>
#include <vector>

#include "analysis/behaviour.h"
#include "analysis/module_model.h"
#include "report/finding.h"

namespace pyward {

// Appends a `capture-host-request` finding for each network call (fetch,
// send, connect or resolve capability) whose folded arguments name one of
// `hosts` (lower-case literals, matched anywhere in the lower-cased text):
// critical when the call runs as the module loads (module-level code of a
// module run at `phase`), high in functions.
void CheckCaptureRequests(const ModuleModel& model, const BehaviourRules& rules,
                          const std::vector<std::string>& hosts, const std::string& path,
                          Phase phase, const std::string& chain, std::vector<Finding>* out);

}  // namespace pyward
