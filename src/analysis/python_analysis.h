// One Python source through every Python-level pass: parse, resolve and fold
// (ModuleModel, with the payload decoders as its hook), the install-time
// rule, the behaviour rules, shell text handed to processes, concealment
// signals, and the payloads it hides. A payload that decodes to Python is
// analysed the same way as a virtual file named after its parent
// ("setup.py#2"), recursively within DecodeLimits::max_layers; shell and
// PowerShell payloads are read as commands. Every finding from a decoded
// layer carries the chain that led to it ("base64 -> zlib -> exec").
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/behaviour.h"
#include "analysis/install_exec_rule.h"
#include "analysis/package_flow.h"
#include "analysis/shell_text.h"
#include "analysis/unpack/decoders.h"
#include "report/finding.h"

namespace pyward {

// The engines a Python source goes through; all immutable and shared.
struct PythonEngines {
  const InstallExecRule* install_exec = nullptr;
  const BehaviourRules* behaviours = nullptr;
  const ShellRules* shell = nullptr;
  // Matches indicators over decoded text that is not Python (set by the rule
  // set once the indicator engine is loaded; may be empty).
  std::function<void(std::string_view text, const std::string& file, Phase phase,
                     std::vector<Finding>* out)>
      match_text;
  // Tunnel and request-capture hosts, lower-case (capture_request.h).
  std::vector<std::string> capture_hosts;
  DecodeLimits limits;
  // False: no payload is decoded or unwrapped (decoder calls are not folded,
  // loose strings and process/exec arguments are not unwrapped blind, code
  // given to exec as data and PowerShell -EncodedCommand are not analysed):
  // what unpacking costs is measured against this (bench/scan_bench).
  bool unpack = true;
};

struct PythonSource {
  std::string path;            // as reported ("pkg/setup.py", "setup.py#2")
  std::string_view text;
  Phase phase = Phase::kRuntime;  // when its module-level code runs
  bool install_file = false;      // setup.py or an in-tree build backend
  std::string chain;              // how a decoded layer was reached ("" for files)
  int depth = 0;                  // decoded layers above this one
  // When set (files only, not decoded layers), filled with the module's
  // summary for the package-level flows (package_flow.h).
  ModuleSummary* summary = nullptr;
};

// Appends the findings of `src` (and of the payloads it hides) to *out.
// Never throws on any input; bounded by e.limits.
void AnalyzePython(const PythonEngines& e, const PythonSource& src, std::vector<Finding>* out);

// True when qualified callee `q` runs code it is given: builtins exec,
// eval, compile or execfile.
bool IsExecCallee(std::string_view q);

// Modules a source imports (static and folded dynamic imports, relative ones
// with their leading dots), for following import-time code into the
// package's other modules.
std::vector<std::string> ImportsOf(std::string_view text);

}  // namespace pyward
