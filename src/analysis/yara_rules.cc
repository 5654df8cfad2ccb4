#include "analysis/yara_rules.h"

#include <yara.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "analysis/rules.h"
#include "util/file_util.h"
#include "util/strings.h"

namespace fs = std::filesystem;

namespace pyward {
namespace {

// libyara is initialised once per process and finalised at exit.
bool InitYara(std::string* err) {
  struct Process {
    int rc;
    Process() : rc(yr_initialize()) {}
    ~Process() {
      if (rc == ERROR_SUCCESS) yr_finalize();
    }
  };
  static Process process;
  if (process.rc != ERROR_SUCCESS) {
    *err = "cannot initialise libyara (error " + std::to_string(process.rc) + ")";
    return false;
  }
  return true;
}

struct CompileState {
  const std::string* file = nullptr;
  std::string first_error;
};

void OnCompileMessage(int level, const char* file_name, int line, const YR_RULE* /*rule*/,
                      const char* message, void* user) {
  auto* st = static_cast<CompileState*>(user);
  if (level != YARA_ERROR_LEVEL_ERROR || !st->first_error.empty()) return;
  std::string name = file_name ? file_name : *st->file;
  st->first_error = name + ":" + std::to_string(line) + ": " + (message ? message : "error");
}

struct ScanState {
  std::string_view bytes;
  const std::string* file;
  Phase phase;
  std::vector<Finding>* out;
};

int OnScanMessage(YR_SCAN_CONTEXT* ctx, int message, void* data, void* user) {
  if (message != CALLBACK_MSG_RULE_MATCHING) return CALLBACK_CONTINUE;
  auto* st = static_cast<ScanState*>(user);
  auto* rule = static_cast<YR_RULE*>(data);
  Finding f;
  f.rule = std::string("yara-") + rule->identifier;
  f.severity = Severity::kMedium;
  f.phase = st->phase;
  f.file = *st->file;
  f.message = std::string("matches YARA rule ") + rule->identifier;
  const YR_META* meta;
  yr_rule_metas_foreach(rule, meta) {
    if (meta->type != META_TYPE_STRING || !meta->identifier || !meta->string) continue;
    std::string key = meta->identifier;
    Severity s;
    if (key == "severity" && ParseSeverity(ToLower(meta->string), &s)) f.severity = s;
    if (key == "description") f.message = Printable(meta->string, 300);
  }
  // The earliest match of any of the rule's strings gives line and evidence.
  int64_t first = -1;
  const YR_STRING* str;
  yr_rule_strings_foreach(rule, str) {
    // libyara keeps its matches at unaligned addresses: copy each one out
    // instead of reading it in place (yr_string_matches_foreach would).
    for (const YR_MATCH* p = ctx->matches[str->idx].head; p != nullptr;) {
      YR_MATCH m;
      std::memcpy(&m, p, sizeof m);
      int64_t at = m.base + m.offset;
      if (!m.is_private && at >= 0 && (first < 0 || at < first)) first = at;
      p = m.next;
    }
  }
  if (first >= 0 && static_cast<uint64_t>(first) <= st->bytes.size()) {
    size_t off = static_cast<size_t>(first);
    f.line = LineOfOffset(st->bytes, off);
    std::string_view line = LineAt(st->bytes, off);
    size_t in_line = off - static_cast<size_t>(line.data() - st->bytes.data());
    size_t from = in_line > 40 ? in_line - 40 : 0;
    f.evidence = Printable(line.substr(std::min(from, line.size()), 140), 140);
  }
  st->out->push_back(std::move(f));
  return CALLBACK_CONTINUE;
}

}  // namespace

YaraRules::~YaraRules() {
  if (rules_) yr_rules_destroy(rules_);
}

bool YaraRules::LoadDir(const std::string& dir, std::string* err) {
  std::error_code ec;
  std::vector<std::string> names;
  if (!fs::is_directory(dir, ec)) {
    *err = "--rules " + dir + ": not a folder";
    return false;
  }
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string n = it->path().filename().string();
    if (it->is_regular_file() && (EndsWithIgnoreCase(n, ".yar") || EndsWithIgnoreCase(n, ".yara")))
      names.push_back(n);
  }
  if (ec) {
    *err = "cannot read rule folder " + dir + ": " + ec.message();
    return false;
  }
  if (names.empty()) {
    *err = "--rules " + dir + ": no *.yar or *.yara file";
    return false;
  }
  std::sort(names.begin(), names.end());
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& n : names) {
    std::string text;
    if (!ReadFile((fs::path(dir) / n).string(), 64 << 20, &text, err)) return false;
    files.emplace_back((fs::path(dir) / n).string(), std::move(text));
  }
  return LoadFromTexts(files, err);
}

bool YaraRules::LoadFromTexts(const std::vector<std::pair<std::string, std::string>>& files,
                              std::string* err) {
  if (!InitYara(err)) return false;
  YR_COMPILER* compiler = nullptr;
  if (yr_compiler_create(&compiler) != ERROR_SUCCESS) {
    *err = "cannot create a YARA compiler";
    return false;
  }
  CompileState st;
  yr_compiler_set_callback(compiler, OnCompileMessage, &st);
  bool ok = true;
  for (const auto& [name, text] : files) {
    st.file = &name;
    if (yr_compiler_add_string(compiler, text.c_str(), nullptr) != 0) {
      *err = st.first_error.empty() ? name + ": does not compile" : st.first_error;
      ok = false;
      break;
    }
  }
  YR_RULES* rules = nullptr;
  if (ok && yr_compiler_get_rules(compiler, &rules) != ERROR_SUCCESS) {
    *err = "cannot freeze the YARA rules (out of memory)";
    ok = false;
  }
  yr_compiler_destroy(compiler);
  if (!ok) return false;
  if (rules_) yr_rules_destroy(rules_);
  rules_ = rules;
  return true;
}

void YaraRules::Scan(std::string_view bytes, const std::string& file, Phase phase,
                     std::vector<Finding>* out) const {
  if (!rules_) return;
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return active_ < kMaxScanners; });
    ++active_;
  }
  ScanState st{bytes, &file, phase, out};
  int rc = yr_rules_scan_mem(rules_, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                             SCAN_FLAGS_FAST_MODE, OnScanMessage, &st, /*timeout=*/30);
  {
    std::lock_guard<std::mutex> lock(mu_);
    --active_;
  }
  cv_.notify_one();
  if (rc == ERROR_SCAN_TIMEOUT || rc == ERROR_TOO_MANY_MATCHES) {
    Finding f;
    f.rule = "yara-incomplete";
    f.severity = Severity::kInfo;
    f.phase = phase;
    f.file = file;
    f.message = rc == ERROR_SCAN_TIMEOUT ? "YARA rules timed out on this file"
                                         : "YARA rules stopped: too many matches in this file";
    out->push_back(std::move(f));
  }
}

void YaraRules::ScanPackage(const Package& pkg, std::vector<Finding>* out) const {
  if (!rules_) return;
  for (const PackageFile& f : pkg.files) {
    if (f.dormant) continue;  // a link's file: its bytes are read under the target's name
    size_t before = out->size();
    Scan(f.data(), f.path, PhaseOfRole(f.role), out);
    if (f.role != FileRole::kTest) continue;
    for (size_t i = before; i < out->size(); ++i) (*out)[i].weight = kTestWeight;
  }
}

}  // namespace pyward
