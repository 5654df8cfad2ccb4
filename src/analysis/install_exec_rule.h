// The first behaviour rule: code in install-time files that runs processes
// or evaluates code when pip installs the package (read through the Python
// front end, so it sees real call sites with their scopes and imports), and
// .pth lines that run code at every interpreter start.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/module_model.h"
#include "python/ast.h"
#include "report/finding.h"

namespace pyward {

class InstallExecRule {
 public:
  // Parses the rule's data file (data/rules/install-exec.txt format). False
  // with *err naming the line when malformed.
  bool Load(std::string_view data, std::string* err);

  // Appends findings for install-time Python source `src` of file `path`.
  void CheckSource(std::string_view path, std::string_view src,
                   std::vector<Finding>* out) const;
  // The same for a source already parsed and modelled (the model built
  // with install_commands() as ModelOptions::install_commands).
  void CheckModel(std::string_view path, const python::Ast& ast, const ModuleModel& model,
                  std::vector<Finding>* out) const;
  // The cmdclass keys whose commands run at install time ([commands]).
  const std::set<std::string, std::less<>>& install_commands() const { return commands_; }

  // Appends findings for the .pth file `src` of file `path`.
  void CheckPth(std::string_view path, std::string_view src,
                std::vector<Finding>* out) const;

 private:
  struct Call {
    Severity severity;
    std::string what;
  };
  // The severity of a call given the text of its arguments.
  Severity Grade(const Call& call, std::string_view args) const;
  std::map<std::string, Call, std::less<>> calls_;
  std::vector<std::string> escalate_;
  std::vector<std::string> routine_;
  std::set<std::string, std::less<>> commands_;  // install-time cmdclass keys
};

}  // namespace pyward
