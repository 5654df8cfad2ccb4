// install-beacon: install-time code (setup.py, an in-tree build backend)
// that makes a network request and throws the answer away: nothing is
// downloaded or used, the request itself is the message ("installed here").
// The signature of dependency-confusion probes and install trackers.
#pragma once

#include <string>
#include <vector>

#include "analysis/behaviour.h"
#include "analysis/module_model.h"
#include "python/ast.h"
#include "report/finding.h"

namespace pyward {

// Appends an `install-beacon` finding (critical, ATT&CK T1071.001) for each
// network call (fetch or send capability) of the install file whose result
// is discarded (the call is a statement of its own) and that runs at
// install: module-level code, a def module-level code calls, or an
// install-time command class.
void CheckInstallBeacon(const python::Ast& ast, const ModuleModel& model,
                        const BehaviourRules& rules, const std::string& path,
                        const std::string& chain, std::vector<Finding>* out);

}  // namespace pyward
