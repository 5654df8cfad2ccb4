#include "analysis/python_analysis.h"

#include <cstring>
#include <memory>
#include <set>
#include <unordered_map>

#include "analysis/capture_request.h"
#include "analysis/concealment.h"
#include "analysis/install_beacon.h"
#include "analysis/module_model.h"
#include "analysis/xor_exec.h"
#include "analysis/unpack/unwrap.h"
#include "python/ast.h"
#include "util/strings.h"

namespace pyward {
namespace {

// True when `text` is one network address and nothing else: an http(s)
// URL, or a host name (dotted labels ending in a 2-6 letter top-level
// label) with an optional port and path.
bool IsBareAddress(std::string_view text) {
  std::string_view t = Trim(text);
  if (t.size() < 4 || t.size() > 2048) return false;
  for (char ch : t)
    if (static_cast<unsigned char>(ch) <= ' ' || static_cast<unsigned char>(ch) >= 0x7f) return false;
  if (t.substr(0, 7) == "http://" || t.substr(0, 8) == "https://") return t.size() >= 12;
  std::string_view host = t.substr(0, t.find_first_of(":/"));
  std::string_view rest = t.substr(host.size());
  if (!rest.empty() && rest[0] == ':') {
    size_t digits = 1;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    if (digits == 1) return false;
    rest.remove_prefix(digits);
  }
  if (!rest.empty() && rest[0] != '/') return false;
  size_t dot = host.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  std::string_view tld = host.substr(dot + 1);
  if (tld.size() < 2 || tld.size() > 6) return false;
  for (char ch : tld)
    if (!(ch >= 'a' && ch <= 'z') && !(ch >= 'A' && ch <= 'Z')) return false;
  for (char ch : host)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          ch == '-' || ch == '.'))
      return false;
  return host.find("..") == std::string_view::npos;
}

constexpr size_t kMaxLayersPerFile = 32;   // decoded payloads analysed per source
constexpr size_t kMinBlob = 40;            // shorter loose strings are not unwrapped
constexpr size_t kMaxBlobBytes = 8 << 20;  // loose string bytes unwrapped per source
constexpr size_t kExplainChars = 600;      // decoded text kept for --explain

std::string JoinChain(const std::vector<std::string>& steps, std::string_view last) {
  std::string s;
  for (const std::string& step : steps) s += (s.empty() ? "" : " -> ") + step;
  if (!last.empty()) s += (s.empty() ? "" : " -> ") + std::string(last);
  return s;
}

std::string ChainOf(const std::string& parent, const std::string& own) {
  if (parent.empty()) return own;
  if (own.empty()) return parent;
  return parent + " -> " + own;
}

// The short name of an exec-like callee for chains ("builtins.exec" -> "exec").
std::string_view ShortName(std::string_view callee) {
  size_t dot = callee.rfind('.');
  return dot == std::string_view::npos ? callee : callee.substr(dot + 1);
}

// Encoded blobs hold no spaces (base-N text may be wrapped in lines);
// compressed bytes start with their format's magic. Text with spaces is
// prose, SQL, templates: not worth decoding blind.
bool MayBeEncoded(std::string_view s) {
  if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0x78) return true;  // zlib
  for (std::string_view magic : {std::string_view("\x1f\x8b"), std::string_view("BZh"),
                                 std::string_view("\xfd" "7zXZ"), std::string_view("\x5d\0\0")})
    if (s.substr(0, magic.size()) == magic) return true;
  size_t spaces = 0;
  for (char c : s.substr(0, 4096))
    if (c == ' ') ++spaces;
  return spaces == 0;
}

// Callees that decode data (their folded result feeds the chain).
bool IsDecoderName(std::string_view q) {
  using namespace std::string_view_literals;
  static constexpr std::string_view kPrefixes[] = {
      "base64."sv, "zlib."sv,   "bz2."sv,   "lzma."sv,      "gzip."sv, "binascii."sv,
      "codecs."sv, "marshal."sv, "bytes."sv, "bytearray."sv, "str."sv};
  for (std::string_view p : kPrefixes)
    if (!q.empty() && q[0] == p[0] && q.substr(0, p.size()) == p) return true;
  return q.size() > 8 && q.substr(q.size() - 8) == ".decrypt";
}

// A method that writes its argument to a file (`f.write(text)`,
// `Path(p).write_text(text)`).
bool IsWriteMethod(std::string_view q) {
  // The tails hold no other dot: compare from the last one (not before the
  // first byte: something must come before the method).
  size_t dot = q.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  std::string_view tail = q.substr(dot);
  return tail == ".write" || tail == ".writelines" || tail == ".write_text" ||
         tail == ".write_bytes";
}

// Unwrap's results by blob, shared by a source's analysis and the analyses
// of the layers decoded from it: one literal is often unwrapped by more
// than one pass (an exec argument that is also a loose string) or again in
// a layer. Unwrap depends on the blob and the limits alone; entries are
// never dropped (results handed out stay valid), and at most kMaxCached
// bytes of blobs and layers are kept.
class UnwrapCache {
 public:
  using Layers = std::shared_ptr<const std::vector<Layer>>;
  Layers Get(std::string_view blob, const DecodeLimits& limits) {
    auto it = by_blob_.find(blob);
    if (it != by_blob_.end()) return it->second;
    auto layers = std::make_shared<const std::vector<Layer>>(Unwrap(blob, limits));
    size_t size = blob.size();
    for (const Layer& l : *layers) size += l.data.size();
    if (size <= kMaxCached - bytes_) {
      bytes_ += size;
      by_blob_.emplace(std::string(blob), layers);
    }
    return layers;
  }

 private:
  static constexpr size_t kMaxCached = 32 << 20;
  std::unordered_map<std::string, Layers, StringViewHash, std::equal_to<>> by_blob_;
  size_t bytes_ = 0;
};

class Analysis {
 public:
  Analysis(const PythonEngines& e, const PythonSource& src, std::vector<Finding>* out,
           UnwrapCache* cache)
      : e_(e), src_(src), out_(out), cache_(cache) {}

  void Run() {
    python::Ast ast;
    python::Parse(src_.text, &ast);
    ModelOptions opts;
    opts.loose_min_size = kMinBlob;
    if (e_.install_exec) opts.install_commands = &e_.install_exec->install_commands();
    // Only arguments the rules read are folded up front: those of calls with
    // a capability, of exec-like calls and of decoders.
    opts.fold_args_of = [this](std::string_view callee) {
      if (IsExecCallee(callee) || IsDecoderName(callee) || IsWriteMethod(callee)) return true;
      return e_.behaviours && e_.behaviours->CapabilitiesOf(callee) != 0;
    };
    ModuleModel model(
        ast,
        [this](std::string_view callee, std::span<const Value> args,
               std::span<const std::pair<std::string, Value>> kwargs, Value* out) {
          return Decode(callee, args, kwargs, out);
        },
        opts);
    size_t first = out_->size();
    // Each call's capabilities, looked up once for all the passes.
    if (e_.behaviours) {
      call_caps_.reserve(model.calls().size());
      for (const CallRecord& c : model.calls())
        call_caps_.push_back(e_.behaviours->CapabilitiesOf(c.callee));
    }
    if (src_.install_file && e_.install_exec) e_.install_exec->CheckModel(src_.path, ast, model, out_);
    if (e_.behaviours) {
      ModuleInput in;
      in.path = src_.path;
      in.phase = src_.phase;
      in.install_file = src_.install_file;
      in.chain = src_.chain;
      in.ast = &ast;
      in.model = &model;
      // The package-flow summary needs the secret-naming tokens too: the
      // check leaves them here when it computes them (modules with a sink);
      // otherwise the summary tests the few tokens it reads itself.
      std::vector<uint8_t> sensitive;
      if (src_.summary) in.sensitive_tokens = &sensitive;
      in.call_caps = &call_caps_;
      e_.behaviours->Check(in, out_);
      if (src_.summary)
        SummarizeModule(ast, model, *e_.behaviours, sensitive, src_.summary, &call_caps_);
      CheckCaptureRequests(model, *e_.behaviours, e_.capture_hosts, src_.path, src_.phase,
                           src_.chain, out_);
      if (src_.install_file)
        CheckInstallBeacon(ast, model, *e_.behaviours, src_.path, src_.chain, out_);
    }
    CheckConcealment(ast, src_.path, src_.phase, src_.chain, out_);
    CheckXorExec(ast, model, src_.path, src_.phase, src_.chain, out_);
    Calls(ast, model);
    if (e_.unpack) BuiltStrings(model);
    if (e_.unpack) LooseStrings(model);
    if (e_.unpack && (Contains(src_.text, "owershell") || Contains(src_.text, "OWERSHELL")))
      for (const std::string& ps : FindPowerShellEncoded(src_.text, e_.limits))
        Payload(ps, Content::kPowerShell, "powershell -enc", 0);
    for (size_t i = first; i < out_->size(); ++i)
      if ((*out_)[i].chain.empty()) (*out_)[i].chain = src_.chain;
  }

 private:
  // The decoders as the folder's hook.
  bool Decode(std::string_view callee, std::span<const Value> args,
              std::span<const std::pair<std::string, Value>> kwargs, Value* out) {
    (void)kwargs;
    if (!e_.unpack || decoded_bytes_ > e_.limits.max_total) return false;
    std::string q;
    for (char c : callee)
      if (c != '(' && c != ')') q += c;
    std::vector<std::string> raw;
    const Value* carrier = nullptr;
    for (const Value& v : args) {
      if (v.kind == Value::kStr || v.kind == Value::kBytes) raw.push_back(v.data);
      else if (v.kind == Value::kInt) raw.push_back(std::to_string(v.i));
      else return false;
      if (!carrier || (carrier->chain.empty() && !v.chain.empty())) carrier = &v;
    }
    std::string res, err;
    Encoding enc;
    if (!DecodeCall(q, raw, e_.limits, &res, &enc, &err)) return false;
    decoded_bytes_ += res.size();
    *out = Value::Bytes(std::move(res));
    if (carrier) out->chain = carrier->chain;
    out->chain.emplace_back(EncodingName(enc));
    return true;
  }

  void Calls(const python::Ast& ast, const ModuleModel& model) {
    for (size_t ci = 0; ci < model.calls().size(); ++ci) {
      const CallRecord& c = model.calls()[ci];
      if (layers_ >= kMaxLayersPerFile) return;
      bool eager = !c.ctx().in_def || (src_.install_file && c.ctx().command);
      Phase phase = eager ? src_.phase : Phase::kRuntime;
      uint32_t caps = e_.behaviours ? call_caps_[ci] : 0;
      // Code given to exec/eval/compile as data: a layer of its own.
      if (IsExecCallee(c.callee) && !c.args.empty() && c.args[0] &&
          (c.args[0]->kind == Value::kStr || c.args[0]->kind == Value::kBytes)) {
        const Value& v = *c.args[0];
        bool bytecode = !v.chain.empty() && v.chain.back() == "marshal";
        Payload(v.data, bytecode ? Content::kPythonBytecode : Content::kPython,
              JoinChain(v.chain, ShortName(c.callee)), c.line, phase);
        continue;
      }
      if (IsExecCallee(c.callee)) SinkBlobs(ast, model, c, phase);
      if (e_.unpack && e_.behaviours) WrittenCode(model, c, phase);
      if (!(caps & (kCapProc | kCapStart))) continue;
      // Commands handed to a process: shell text, `python -c CODE`, and
      // PowerShell -EncodedCommand payloads.
      std::string cmd;
      std::vector<std::string> words = CallWords(ast, model, c);
      for (size_t i = 0; i < words.size(); ++i) {
        cmd += (cmd.empty() ? "" : " ") + words[i];
        if (words[i] == "-c" && i + 1 < words.size())
          Payload(words[i + 1], Content::kPython, "python -c", c.line, phase);
      }
      if (cmd.empty()) continue;
      if (e_.shell) e_.shell->Check(cmd, src_.path, c.line, phase, src_.chain, out_);
      // A command the folder decoded (through a decoder or a helper that
      // calls one): a hidden payload reached, recorded as such.
      const std::vector<std::string>* steps = nullptr;
      for (const std::optional<Value>& v : c.args)
        if (v && !v->chain.empty() && v->kind != Value::kInt && v->kind != Value::kList) {
          steps = &v->chain;
          break;
        }
      if (steps && e_.unpack) {
        std::string chain = ChainOf(src_.chain, JoinChain(*steps, "process"));
        Finding& f = Add("payload-decoded", Severity::kInfo, phase, c.line,
                         "a hidden payload was decoded (" + chain + "): shell", Printable(cmd, 200));
        f.chain = chain;
        f.decoded = Printable(cmd, kExplainChars);
      }
      std::vector<std::string> ps;
      if (e_.unpack) ps = FindPowerShellEncoded(cmd, e_.limits);
      for (const std::string& p : ps) Payload(p, Content::kPowerShell, "powershell -enc", c.line, phase);
      if (ps.empty()) SinkBlobs(ast, model, c, phase);
    }
  }

  // Text a write call puts in a file when it is code to run: Python that
  // imports modules (a script written out to be started, as droppers do to
  // leave no code in the package's own files) or shell text. Read as a layer
  // of its own ("written to a file"), in modules that start programs or name
  // a shell start-up file (which the user's next shell runs); text merely
  // saved elsewhere is data.
  void WrittenCode(const ModuleModel& model, const CallRecord& c, Phase phase) {
    if (!IsWriteMethod(c.callee)) return;
    size_t first = c.receiver_args;  // open(X, 'w').write(TEXT): TEXT
    if (c.args.size() <= first || !c.args[first]) return;
    const Value& v = *c.args[first];
    if ((v.kind != Value::kStr && v.kind != Value::kBytes) || !v.chain.empty() ||
        v.data.size() < 24 || v.data.size() > (1u << 20) || layers_ >= kMaxLayersPerFile)
      return;
    if (runs_programs_ < 0) {
      runs_programs_ = 0;
      for (uint32_t caps : call_caps_)
        if (caps & (kCapProc | kCapStart)) runs_programs_ = 1;
      for (std::string_view rc : {".bashrc", ".zshrc", ".bash_profile", "/.profile"})
        if (Contains(src_.text, rc)) runs_programs_ = 1;
    }
    if (runs_programs_ == 0) return;
    const std::string& text = v.data;
    if (text.find("import ") != std::string::npos) {
      python::Ast probe;
      python::Parse(text, &probe);
      if (probe.ok() && probe.node(probe.root).count > 0) {
        Payload(text, Content::kPython, "written to a file", c.line, phase);
        return;
      }
    }
    if (e_.shell) e_.shell->Check(text, src_.path, c.line, phase, ChainOf(src_.chain, "written to a file"), out_);
  }

  // Encoded literals inside the arguments of a process or exec call that the
  // folder could not decode (a helper function decodes them): unwrapped
  // blind and read as what the sink makes of them.
  void SinkBlobs(const python::Ast& ast, const ModuleModel& model, const CallRecord& c,
                 Phase phase) {
    if (!e_.unpack) return;
    if (!c.args.empty() && c.args[0] && !c.args[0]->chain.empty()) return;  // folded already
    bool exec = IsExecCallee(c.callee);
    for (const std::string& w : CallWords(ast, model, c, 4 << 20)) {
      if (w.size() < kMinBlob || !MayBeEncoded(w) || layers_ >= kMaxLayersPerFile) continue;
      UnwrapCache::Layers layers = cache_->Get(w, e_.limits);
      for (const pyward::Layer& l : *layers) {
        if (l.content == Content::kBinary) continue;
        std::vector<std::string> steps;
        for (Encoding enc : l.chain) steps.emplace_back(EncodingName(enc));
        std::string own = JoinChain(steps, exec ? ShortName(c.callee) : "process");
        Add("exec-decoded",
            phase == Phase::kInstall || phase == Phase::kImport ? Severity::kCritical
                                                                : Severity::kHigh,
            phase, c.line,
            std::string(exec ? "runs code" : "runs a command") + " hidden in an encoded payload (" +
                ChainOf(src_.chain, own) + ", " + c.callee + ") (ATT&CK T1027)",
            Printable(l.data, 200));
        Content as = exec ? Content::kPython : l.content == Content::kPython ? Content::kShell
                                                                              : l.content;
        if (!exec && e_.shell) e_.shell->Check(l.data, src_.path, c.line, phase,
                                               ChainOf(src_.chain, own), out_);
        Payload(l.data, as, own, c.line, phase);
      }
    }
  }

  // Strings the code builds (from character codes, pieces, the text of
  // builtins) and hands to a call, that appear nowhere in the file as
  // written: matched against the indicators like a decoded payload.
  void BuiltStrings(const ModuleModel& model) {
    if (!e_.match_text) return;
    size_t budget = kMaxBlobBytes;
    // Each test "not in the file as written" reads up to the whole file: at
    // most 64 MB of such reading per file, so a file of many calls with
    // string arguments stays linear (what is left unread is not matched).
    size_t search_budget = size_t{64} << 20;
    std::set<std::string_view> seen;
    std::set<std::string> seen_urls;
    for (const CallRecord& c : model.calls()) {
      bool eager = !c.ctx().in_def || (src_.install_file && c.ctx().command);
      Phase phase = eager ? src_.phase : Phase::kRuntime;
      for (const std::optional<Value>& v : c.args) {
        if (!v || v->kind != Value::kStr || !v->chain.empty() || v->data.size() < 8 ||
            v->data.size() > budget || seen.count(v->data))
          continue;
        if (search_budget < src_.text.size()) return;
        search_budget -= src_.text.size();
        seen.insert(v->data);
        if (Contains(src_.text, v->data)) continue;
        budget -= v->data.size();
        size_t first = out_->size();
        e_.match_text(v->data, src_.path, phase, out_);
        for (size_t i = first; i < out_->size(); ++i) {
          Finding& f = (*out_)[i];
          f.line = c.line;
          f.message += " (in a string built at run time)";
          if (f.decoded.empty()) f.decoded = Printable(v->data, kExplainChars);
        }
      }
      // http.client takes an address in two pieces, the connection's host
      // and the request's path: matched joined, as the URL the call fetches,
      // when that URL is nowhere in the file as written.
      std::string url;
      if (!RequestUrl(c, &url) || url.size() > budget || !seen_urls.insert(url).second) continue;
      if (search_budget < src_.text.size()) return;
      search_budget -= src_.text.size();
      if (Contains(src_.text, url)) continue;
      budget -= url.size();
      size_t first = out_->size();
      e_.match_text(url, src_.path, phase, out_);
      for (size_t i = first; i < out_->size(); ++i) {
        Finding& f = (*out_)[i];
        f.line = c.line;
        f.message += " (in an address built from a connection's host and a request's path)";
        if (f.decoded.empty()) f.decoded = Printable(url, kExplainChars);
      }
    }
  }

  // The URL an http.client-style `Connection(host).request(method, path)`
  // call fetches, when both pieces folded to text.
  static bool RequestUrl(const CallRecord& c, std::string* url) {
    if (c.receiver_args < 1 || c.args.size() < c.receiver_args + 2) return false;
    std::string_view q = c.callee;
    if (!EndsWithIgnoreCase(q, "Connection().request") &&
        !EndsWithIgnoreCase(q, "Connection().putrequest"))
      return false;
    const std::optional<Value>& host = c.args[0];
    const std::optional<Value>& path = c.args[c.receiver_args + 1];
    if (!host || !path || host->kind == Value::kList || path->kind == Value::kList ||
        host->kind == Value::kInt || path->kind == Value::kInt || host->data.empty() ||
        path->data.empty() || path->data[0] != '/')
      return false;
    *url = host->data + path->data;
    return true;
  }

  // String constants no decode call consumed: unwrapped blind.
  void LooseStrings(const ModuleModel& model) {
    size_t budget = kMaxBlobBytes;
    for (const LooseString& s : model.loose_strings()) {
      if (layers_ >= kMaxLayersPerFile || budget == 0) return;
      if (s.statement) continue;  // docstrings
      std::optional<Value> v = model.Fold(s.node);
      if (!v || v->data.size() < kMinBlob || !MayBeEncoded(v->data)) continue;
      if (v->data.size() > budget) continue;
      budget -= v->data.size();
      UnwrapCache::Layers layers = cache_->Get(v->data, e_.limits);
      for (const pyward::Layer& l : *layers) {
        std::vector<std::string> steps;
        for (Encoding enc : l.chain) steps.emplace_back(EncodingName(enc));
        Payload(l.data, l.content, JoinChain(steps, ""), s.line, src_.phase);
        if (layers_ >= kMaxLayersPerFile) return;
      }
    }
  }

  // One decoded payload (or code given as data) found at `line`.
  void Payload(const std::string& data, Content content, const std::string& own_chain, int line,
             Phase phase = Phase::kNone) {
    if (phase == Phase::kNone) phase = src_.phase;
    if (!e_.unpack || layers_ >= kMaxLayersPerFile) return;
    ++layers_;
    std::string chain = ChainOf(src_.chain, own_chain);
    std::string vpath = src_.path + "#" + std::to_string(layers_ + 1);
    // Code written to a file is in the package as written: a layer to
    // analyse, not a hidden payload.
    bool written = own_chain == "written to a file";
    bool hidden = !written && (chain.find("->") != std::string::npos ||
                               (own_chain != "exec" && own_chain != "eval" &&
                                own_chain != "compile" && own_chain != "python -c"));
    if (hidden) {
      Finding& f = Add("payload-decoded", Severity::kInfo, phase, line,
                       "a hidden payload was decoded (" + chain + "): " +
                           std::string(ContentName(content)) +
                           (content == Content::kPython ? ", analysed as " + vpath : std::string()),
                       Printable(data, 200));
      f.chain = chain;
      f.decoded = Printable(data, kExplainChars);
    }
    size_t first = out_->size();
    // A payload that decodes to nothing but a network address hides where
    // the code talks to, whichever call later takes it.
    if (content == Content::kText && hidden && IsBareAddress(data))
      Add("hidden-destination", Severity::kHigh, phase, line,
          "a network address is hidden in an encoded literal (" + chain + ") (ATT&CK T1027)",
          Printable(data, 200));
    if (content == Content::kText && hidden) {
      python::Ast probe;
      python::Parse(data, &probe);
      if (probe.ok() && probe.node(probe.root).count > 0) content = Content::kPython;
    }
    switch (content) {
      case Content::kPython:
        if (hidden && e_.shell) e_.shell->Check(data, vpath, 1, phase, chain, out_);
        if (hidden && e_.match_text) e_.match_text(data, vpath, phase, out_);
        if (src_.depth + 1 < e_.limits.max_layers) {
          PythonSource inner;
          inner.path = vpath;
          inner.text = data;
          inner.phase = phase;
          inner.install_file = src_.install_file;
          inner.chain = chain;
          inner.depth = src_.depth + 1;
          Analysis(e_, inner, out_, cache_).Run();
        }
        break;
      case Content::kShell:
      case Content::kPowerShell:
        if (e_.shell) e_.shell->Check(data, vpath, 1, phase, chain, out_);
        [[fallthrough]];
      case Content::kText:
      case Content::kPythonBytecode:
        if (e_.match_text) e_.match_text(data, vpath, phase, out_);
        break;
      case Content::kBinary:
        if (data.size() >= 4 && (data.compare(0, 2, "MZ") == 0 || data.compare(0, 4, "\x7f" "ELF") == 0)) {
          Add("hidden-executable", Severity::kHigh, phase, line,
              "a native executable is hidden in a string (" + chain + ") (ATT&CK T1027)", "")
              .chain = chain;
        }
        break;
    }
    for (size_t i = first; i < out_->size(); ++i) {
      Finding& f = (*out_)[i];
      if (f.chain.empty()) f.chain = chain;
      if (f.decoded.empty()) f.decoded = Printable(data, kExplainChars);
    }
  }

  // Appends a finding about this source and returns it.
  Finding& Add(const char* rule, Severity sev, Phase phase, int line, std::string message,
               std::string evidence) {
    Finding f;
    f.rule = rule;
    f.severity = sev;
    f.phase = phase;
    f.file = src_.path;
    f.line = line;
    f.message = std::move(message);
    f.evidence = std::move(evidence);
    out_->push_back(std::move(f));
    return out_->back();
  }

  const PythonEngines& e_;
  const PythonSource& src_;
  std::vector<Finding>* out_;
  UnwrapCache* cache_;
  size_t layers_ = 0;
  size_t decoded_bytes_ = 0;
  std::vector<uint32_t> call_caps_;  // CapabilitiesOf each model call (with behaviours)
  int runs_programs_ = -1;  // WrittenCode: the module starts programs (-1: not yet known)
};

}  // namespace

bool IsExecCallee(std::string_view q) {
  using namespace std::string_view_literals;
  if (q.size() < 13 || q.substr(0, 9) != "builtins."sv) return false;
  return q == "builtins.exec"sv || q == "builtins.eval"sv || q == "builtins.compile"sv ||
         q == "builtins.execfile"sv;
}

void AnalyzePython(const PythonEngines& e, const PythonSource& src, std::vector<Finding>* out) {
  UnwrapCache cache;
  Analysis(e, src, out, &cache).Run();
}

std::vector<std::string> ImportsOf(std::string_view text) {
  // A line scan, not a parse: `import a.b as c, d` and `from x import (y,
  // z)` statements at the start of a line (any indentation). Strings that
  // happen to hold such lines give names that match no module: harmless.
  std::vector<std::string> out;
  auto ident = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
  };
  auto names = [&](std::string_view list, const std::string& prefix) {
    for (std::string_view item : Split(list, ',')) {
      item = Trim(item);
      size_t end = 0;
      while (end < item.size() && ident(item[end])) ++end;
      if (end > 0 && out.size() < 4096) out.push_back(prefix + std::string(item.substr(0, end)));
    }
  };
  // Imports by call with a constant name: importlib.import_module('a.b')
  // and __import__('a.b') anywhere on a line.
  auto dynamic = [&](std::string_view line) {
    for (std::string_view call :
         {std::string_view("import_module("), std::string_view("__import__(")}) {
      for (size_t at = line.find(call); at != std::string_view::npos;
           at = line.find(call, at + 1)) {
        std::string_view arg = Trim(line.substr(at + call.size()));
        if (arg.empty() || (arg[0] != '\'' && arg[0] != '"')) continue;
        size_t end = 1;
        while (end < arg.size() && end < 256 && ident(arg[end])) ++end;
        if (end > 1 && end < arg.size() && arg[end] == arg[0] && out.size() < 4096)
          out.emplace_back(arg.substr(1, end - 1));
      }
    }
  };
  // Only lines that hold "import" can be such statements: the scan jumps
  // from one occurrence to the next (memchr to its 'p', then a compare) to
  // the start of its line, instead of reading every line.
  auto next_import = [text](size_t from) {  // the offset of "import" at or after `from`
    for (size_t p = from + 2; p + 4 <= text.size();) {
      const void* hit = std::memchr(text.data() + p, 'p', text.size() - 3 - p);
      if (!hit) break;
      p = static_cast<size_t>(static_cast<const char*>(hit) - text.data());
      if (text.compare(p - 2, 6, "import") == 0) return p - 2;
      ++p;
    }
    return std::string_view::npos;
  };
  size_t pos = 0;  // always a line start: lines before it are done
  while (pos < text.size()) {
    size_t at = next_import(pos);
    if (at == std::string_view::npos) break;
    const void* prev_nl = at > pos ? memrchr(text.data() + pos, '\n', at - pos) : nullptr;
    if (prev_nl) pos = static_cast<size_t>(static_cast<const char*>(prev_nl) - text.data()) + 1;
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = Trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    dynamic(line);
    if (line.substr(0, 7) == "import ") {
      names(line.substr(7), "");
    } else if (line.substr(0, 5) == "from ") {
      std::string_view rest = Trim(line.substr(5));
      size_t sp = rest.find(" import");
      if (sp == std::string_view::npos) continue;
      std::string module(Trim(rest.substr(0, sp)));
      std::string_view what = Trim(rest.substr(sp + 7));
      if (!what.empty() && what[0] == '(') {
        // A parenthesised list may run over several lines.
        size_t start = what.data() - text.data() + 1;
        size_t close = text.find(')', start);
        if (close == std::string_view::npos) continue;
        if (close > nl) pos = text.find('\n', close) + 1;  // resume after the list
        if (pos == 0) pos = text.size();
        what = text.substr(start, std::min<size_t>(close - start, 4096));
        std::string flat(what);
        for (char& c : flat)
          if (c == '\n' || c == '\r' || c == '\\') c = ' ';
        std::string sep = module.empty() || module.back() == '.' ? "" : ".";
        out.push_back(module);
        names(flat, module + sep);
        continue;
      }
      std::string sep = module.empty() || module.back() == '.' ? "" : ".";
      out.push_back(module);
      names(what, module + sep);
    }
  }
  return out;
}

}  // namespace pyward
