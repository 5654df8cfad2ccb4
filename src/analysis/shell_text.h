// Shell and PowerShell text: commands a package hands to a process and
// payloads it decodes. Text that both downloads and runs something is
// download-exec; text that hands a shell to a network peer is reverse-shell.
// The patterns are data (data/rules/shell.txt). Immutable once loaded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/finding.h"

namespace pyward {

class ShellRules {
 public:
  // Parses data/rules/shell.txt text; false with *err naming the line.
  bool Load(std::string_view data, std::string* err);

  // Appends findings for command text `text`, reported at `file`:`line`
  // with `phase` (when the command runs) and `chain` (how the text was
  // reached, "" when written out in the code).
  void Check(std::string_view text, const std::string& file, int line, Phase phase,
             const std::string& chain, std::vector<Finding>* out) const;

 private:
  // The first pattern of `list` found in lower-cased `text`, or "".
  static std::string_view Find(const std::vector<std::string>& list, std::string_view text);
  std::vector<std::string> download_, run_, reverse_;
};

}  // namespace pyward
