#include "analysis/shell_text.h"

#include "util/strings.h"

namespace pyward {

bool ShellRules::Load(std::string_view data, std::string* err) {
  std::vector<std::string>* list = nullptr;
  int line_no = 0;
  for (std::string_view raw : Split(data, '\n')) {
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (raw.empty() || raw.front() == '#') continue;
    if (raw == "[download]") list = &download_;
    else if (raw == "[run]") list = &run_;
    else if (raw == "[reverse]") list = &reverse_;
    else if (raw.front() == '[') {
      *err = "shell data line " + std::to_string(line_no) + ": unknown section " + std::string(raw);
      return false;
    } else if (!list) {
      *err = "shell data line " + std::to_string(line_no) + ": entry before any section";
      return false;
    } else {
      // Trailing spaces are part of a pattern ("curl "): keep them.
      list->push_back(ToLower(raw));
    }
  }
  if (download_.empty() || run_.empty()) {
    *err = "shell data: [download] and [run] need entries";
    return false;
  }
  return true;
}

std::string_view ShellRules::Find(const std::vector<std::string>& list, std::string_view text) {
  for (const std::string& p : list)
    if (text.find(p) != std::string_view::npos) return p;
  return {};
}

void ShellRules::Check(std::string_view text, const std::string& file, int line, Phase phase,
                       const std::string& chain, std::vector<Finding>* out) const {
  if (text.size() < 4) return;
  std::string lower = ToLower(text.substr(0, 1 << 20));
  auto add = [&](const char* rule, Severity sev, std::string message) {
    Finding f;
    f.rule = rule;
    f.severity = sev;
    f.phase = phase;
    f.file = file;
    f.line = line;
    f.message = std::move(message);
    if (!chain.empty()) f.message += " [in text hidden by " + chain + "]";
    f.evidence = Printable(text, 200);
    f.chain = chain;
    out->push_back(std::move(f));
  };
  // Commands that only run when some function is called weigh less, unless
  // they were hidden.
  bool strong = phase == Phase::kInstall || phase == Phase::kImport || !chain.empty();
  Severity top = strong ? Severity::kCritical : Severity::kHigh;
  std::string_view dl = Find(download_, lower);
  std::string_view run = dl.empty() ? std::string_view() : Find(run_, lower);
  if (!dl.empty() && !run.empty())
    add("download-exec", top,
        "a command downloads something and runs it ('" + std::string(Trim(dl)) + "' and '" +
            std::string(Trim(run)) + "') (ATT&CK T1105)");
  std::string_view rev = Find(reverse_, lower);
  if (!rev.empty())
    add("reverse-shell", top,
        "a command hands a shell to a network peer ('" + std::string(Trim(rev)) +
            "') (ATT&CK T1059)");
}

}  // namespace pyward
