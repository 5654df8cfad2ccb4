// Package-level flows: secrets gathered by one module of a package and sent
// out by another. Each Python module is first summarised on its own (which
// of its top-level functions and classes gather secrets, which module-level
// names hold them, where it sends data out and which names the sending code
// uses); the package pass then joins the summaries through the sending
// module's imports and reports one finding naming both files.
//
// What counts as gathering is deliberately narrower than the single-module
// flows (behaviour.h): the whole environment, secret files and stores named
// by [sensitive] in data/rules/behaviours.txt (browser stores, wallets, ssh
// keys, cloud credentials), the clipboard, the keyboard or the screen; and,
// for code that sends as the package installs or loads, two or more facts
// about who and where the host is (user name, host name, system). One
// environment variable read for an API key is what every SDK does before it
// calls its own service, and is left out.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "analysis/behaviour.h"
#include "analysis/module_model.h"
#include "python/ast.h"
#include "report/finding.h"

namespace pyward {

// What a module's code gathers, where (line) and in which of its functions.
struct HarvestSite {
  std::string what;  // "secret file or store 'Login Data'", "the whole environment"
  int line = 0;
  // Only facts about the host (user and host names, system), not secrets:
  // reported only when sent out as the package installs or loads.
  bool host_only = false;
};

// One call that sends data out (kCapSend), with what the code around it uses.
struct SendSite {
  int line = 0;
  std::string callee;    // "requests.post"
  std::string scope;     // top-level def or class it is in ("" for module level)
  bool at_load = false;  // module-level code, or a def module-level code calls
  // Qualified names the sending code uses: callees of the calls in the same
  // scope and the names in the send call's arguments ("pkg.grab.tokens",
  // ".grab.Grabber"); relative ones keep their dots.
  std::vector<std::string> uses;
};

// The summary of one module, read from its AST and model only.
struct ModuleSummary {
  // Top-level defs and classes whose bodies gather secrets (directly or by
  // calling another such def of the module), by name.
  std::map<std::string, HarvestSite> harvesters;
  // Module-level names assigned from code that gathers secrets.
  std::map<std::string, HarvestSite> tainted_globals;
  std::vector<SendSite> sends;
};

// Fills *out from a parsed module and its model. Bounded work; never throws.
// `sensitive_tokens` is rules.SensitiveTokens(ast) when the caller has it
// (empty: the few string tokens the summary reads are looked at here);
// `call_caps`, when given, rules.CapabilitiesOf of each of model.calls().
void SummarizeModule(const python::Ast& ast, const ModuleModel& model,
                     const BehaviourRules& rules, const std::vector<uint8_t>& sensitive_tokens,
                     ModuleSummary* out, const std::vector<uint32_t>* call_caps = nullptr);

// One module of the package as the package pass sees it.
struct PackageModule {
  std::string path;       // as reported
  std::string container;  // nested archive it sits in ("" for the artifact)
  std::string module;     // dotted name ("pkg.sub.grab"; "pkg" for pkg/__init__.py)
  bool is_package = false;  // an __init__.py
  Phase phase = Phase::kRuntime;
  const ModuleSummary* summary = nullptr;
};

// Appends a `package-exfiltration` finding for each sending call whose code
// uses what another module of the same package (and container) gathers.
// Critical when the sending code runs at load (install, import, or a
// module's top level), high otherwise.
void AppendPackageFlowFindings(std::span<const PackageModule> modules,
                               const BehaviourRules& rules, std::vector<Finding>* out);

}  // namespace pyward
