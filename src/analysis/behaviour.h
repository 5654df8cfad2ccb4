// Behaviour rules: what a Python module does, read from its resolved calls
// (ModuleModel) and from data flows inside it. A call is given capabilities
// by data/rules/behaviours.txt (requests.post -> send, os.system -> proc);
// the rules combine capabilities of one module with where the code runs
// (at install or import, or only when some function is called) into
// findings such as download-exec, exfiltration or reverse-shell.
//
// Flows: a value read from a source (the whole environment, a secret
// environment variable, host facts, a secret file, the clipboard, or the
// network) is followed through assignments, containers, f-strings, calls
// (json.dumps, base64 ...) and the returns of the module's functions; when
// it reaches a sink (network, process, exec) the finding shows the path.
//
// A BehaviourRules object is immutable once loaded and shared by threads.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/module_model.h"
#include "python/ast.h"
#include "report/finding.h"
#include "util/strings.h"

namespace pyward {

// Capability bits of a call (see data/rules/behaviours.txt).
enum Capability : uint32_t {
  kCapFetch = 1u << 0, kCapSend = 1u << 1, kCapConnect = 1u << 2,
  kCapProc = 1u << 3, kCapExec = 1u << 4, kCapLoad = 1u << 5,
  kCapStart = 1u << 6, kCapChmod = 1u << 7, kCapWrite = 1u << 8,
  kCapEnvDump = 1u << 9, kCapEnv = 1u << 10, kCapRecon = 1u << 11,
  kCapClipboard = 1u << 12, kCapKeylog = 1u << 13, kCapScreen = 1u << 14,
  kCapPipInstall = 1u << 15, kCapSleep = 1u << 16, kCapRegistry = 1u << 17,
  kCapDup2 = 1u << 18, kCapSpawnPty = 1u << 19, kCapDelete = 1u << 20,
  kCapDecrypt = 1u << 21, kCapResolve = 1u << 22, kCapEncode = 1u << 23,
};

// One Python module to judge: a file of the package, or a payload decoded
// from one (then `chain` tells how it was reached, "base64 -> zlib -> exec").
struct ModuleInput {
  std::string path;       // as reported (virtual files: "setup.py#2")
  Phase phase = Phase::kRuntime;  // when the file's module-level code runs
  bool install_file = false;      // setup.py or an in-tree build backend
  std::string chain;
  const python::Ast* ast = nullptr;
  const ModuleModel* model = nullptr;
  // Where Check leaves BehaviourRules::SensitiveTokens(*ast) when it computes
  // them (only modules with a sink need them; otherwise left as it was), so
  // that the caller's package-flow summary need not compute them again.
  std::vector<uint8_t>* sensitive_tokens = nullptr;
  // CapabilitiesOf(callee) of each of model->calls() when the caller has
  // them (null: Check looks them up).
  const std::vector<uint32_t>* call_caps = nullptr;
};

// The constant words of a call's arguments, in order: each argument's folded
// value (list items one by one), or, where an argument does not fold as a
// whole, the values of the constants inside it (`[sys.executable, '-m',
// 'pip']` gives "-m", "pip"; f"curl {u} | sh" gives "curl ", " | sh").
std::vector<std::string> CallWords(const python::Ast& ast, const ModuleModel& model,
                                   const CallRecord& call, size_t max_bytes = 1 << 20);

// The code after `-c` in a process's constant words (CallWords), "" when
// there is none.
std::string InlinePythonCode(const std::vector<std::string>& words);

// What Python code handed to a second interpreter (`python -c CODE`) is:
// code that does not parse or imports by a computed name (unreadable), code
// that imports only the standard library, or code that imports another
// package (whose own code then runs in that interpreter, out of sight).
enum class InlineCode { kUnreadable, kStandardOnly, kImportsOther };
InlineCode ClassifyInlineCode(std::string_view code);

class BehaviourRules {
 public:
  // Parses data/rules/behaviours.txt text. False with *err naming the line.
  bool Load(std::string_view data, std::string* err);

  // The capability bits of a qualified callee (0 when none).
  uint32_t CapabilitiesOf(std::string_view callee) const;
  // Capabilities a process gets from the words of its command ([commands]:
  // `curl ` -> fetch); `command` is lower-case.
  uint32_t CommandCapabilities(std::string_view command) const;
  // The capabilities whose results are secret or host data ([sources]).
  uint32_t source_caps() const { return secret_sources_; }
  // True when lower-case `text` names a user's own folder that install-time
  // code has no business writing to ([user-folders]: Desktop, Documents).
  bool NamesUserFolder(std::string_view text) const;
  // The first [secret-words] word in lower-cased `lower_text`, or empty.
  std::string_view SecretWordIn(std::string_view lower_text) const;
  // True when a string constant names secret data ([sensitive]).
  bool IsSensitiveText(std::string_view text) const;
  // Per token of `ast`: 1 when it is a string token of 4+ bytes whose text
  // (its first 4 KiB) IsSensitiveText. One pass, shared by the module's
  // behaviour check and its package-flow summary.
  std::vector<uint8_t> SensitiveTokens(const python::Ast& ast) const;

  // Hosts of public-IP lookup services (from data/indicators/ip-lookup.txt):
  // what a download from one of them returns is host data, not code.
  void SetIpLookupHosts(std::vector<std::string> hosts);
  bool IsIpLookup(std::string_view text) const;

  // Appends the behaviour findings of one module to *out.
  void Check(const ModuleInput& m, std::vector<Finding>* out) const;

  struct RuleInfo {
    Severity severity = Severity::kMedium;
    std::string attack;       // "T1105", "" when none
    std::string description;
  };
  // The rule's data; nullptr when the id is unknown.
  const RuleInfo* Rule(std::string_view id) const;

 private:
  using NameMap = std::unordered_map<std::string, uint32_t, StringViewHash, std::equal_to<>>;
  NameMap exact_;
  std::vector<std::pair<std::string, uint32_t>> prefixes_;  // "requests." -> caps
  NameMap methods_;                                          // "*.name" entries
  std::map<std::string, RuleInfo, std::less<>> rules_;
  std::vector<std::pair<std::string, uint32_t>> commands_;  // lower-cased word -> caps
  std::vector<std::string> sensitive_;  // lower-cased
  // Indexes into sensitive_ by first byte: IsSensitiveText reads the text
  // once instead of once per entry. An empty entry matches any text.
  std::array<std::vector<uint32_t>, 256> sensitive_by_first_;
  // The byte pairs an entry starts with (first << 8 | second; a one-byte
  // entry sets every second byte): most positions are passed on one lookup.
  std::bitset<65536> sensitive_pairs_;
  bool sensitive_empty_ = false;
  std::vector<std::string> user_folders_;  // lower-cased
  std::vector<std::string> secret_words_;  // lower-cased
  std::vector<std::string> ip_lookup_;  // lower-cased hosts
  uint32_t secret_sources_ = 0;
  bool sensitive_is_source_ = false;
};

}  // namespace pyward
