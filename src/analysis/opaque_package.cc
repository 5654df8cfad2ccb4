#include "analysis/opaque_package.h"

#include <string>
#include <unordered_set>

#include "util/strings.h"

namespace pyward {

bool OnlyImportsAndMetadata(std::string_view text) {
  bool in_doc = false;
  std::string_view quote;
  for (std::string_view raw : Split(text, '\n')) {
    std::string_view line = Trim(raw);
    if (in_doc) {
      if (line.find(quote) != std::string_view::npos) in_doc = false;
      continue;
    }
    if (line.empty() || line.front() == '#') continue;
    if (line.substr(0, 3) == "\"\"\"" || line.substr(0, 3) == "'''") {
      quote = line.substr(0, 3);
      // Opens a docstring unless it closes on the same line.
      in_doc = line.size() < 6 || line.find(quote, 3) == std::string_view::npos;
      continue;
    }
    if (line.front() == '"' || line.front() == '\'') continue;  // one-line string
    if (line.substr(0, 7) == "import " || line.substr(0, 5) == "from ") continue;
    if (line.substr(0, 2) == "__" && line.find("__ =") != std::string_view::npos) continue;
    if (line.substr(0, 2) == "__" && line.find("__=") != std::string_view::npos) continue;
    return false;
  }
  return true;
}

namespace {

bool ProtectorRuntime(std::string_view path) {
  std::string p = ToLower(path);
  return p.find("pytransform") != std::string::npos ||
         p.find("pyarmor_runtime") != std::string::npos;
}

}  // namespace

void AppendOpaquePackageFinding(const std::vector<CodeFile>& files, std::vector<Finding>* findings) {
  std::unordered_set<std::string_view> stubs;
  for (const Finding& f : *findings)
    if (f.rule == "pyarmor-stub" && f.weight >= 1.0) stubs.insert(f.file);
  if (stubs.empty()) return;
  const CodeFile* first = nullptr;
  for (const CodeFile& c : files) {
    if (c.role == FileRole::kTest || c.role == FileRole::kInstall) continue;
    if (stubs.count(c.path)) {
      if (!first && c.role == FileRole::kImport) first = &c;
      continue;
    }
    if (ProtectorRuntime(c.path)) continue;
    if (!OnlyImportsAndMetadata(c.text)) return;  // real code beside the stubs
  }
  if (!first) return;
  Finding f;
  f.rule = "opaque-package";
  f.severity = Severity::kHigh;
  f.phase = Phase::kImport;
  f.file = std::string(first->path);
  f.line = 1;
  f.message =
      "the package's only code is PyArmor-protected and runs when the package is imported: "
      "nothing it does can be reviewed (ATT&CK T1027.002)";
  findings->push_back(std::move(f));
}

}  // namespace pyward
