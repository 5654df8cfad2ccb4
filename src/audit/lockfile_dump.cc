// lockfile_dump: a test tool that prints what ReadLockfile / ReadEnvironment
// return, as one JSON document, for the conformance scripts under scripts/.
//
//   lockfile_dump FILE                 reads the lockfile FILE
//   lockfile_dump --name NAME          reads a lockfile from stdin, named NAME
//   lockfile_dump --env DIR            reads the installed environment DIR
// Exit status: 0 read, 2 ReadLockfile / ReadEnvironment failed ("error" set).
#include <cstdio>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "audit/environment.h"
#include "audit/lockfiles.h"
#include "util/file_util.h"

namespace {

nlohmann::ordered_json ToJson(const pyward::DependencySet& set) {
  nlohmann::ordered_json deps = nlohmann::ordered_json::array();
  for (const pyward::DeclaredDependency& d : set.dependencies) {
    deps.push_back({{"name", d.name},
                    {"version", d.version ? nlohmann::ordered_json(*d.version)
                                          : nlohmann::ordered_json(nullptr)},
                    {"specifier", d.specifier},
                    {"extras", d.extras},
                    {"marker", d.marker},
                    {"hashes", d.hashes},
                    {"url", d.url},
                    {"editable", d.editable},
                    {"index_url", d.index_url},
                    {"group", d.group},
                    {"file", d.file},
                    {"line", d.line}});
  }
  nlohmann::ordered_json problems = nlohmann::ordered_json::array();
  for (const pyward::InputProblem& p : set.problems)
    problems.push_back({{"file", p.file},
                        {"line", p.line},
                        {"rule", p.rule},
                        {"message", p.message}});
  return {{"error", nullptr},
          {"uses_hashes", set.uses_hashes},
          {"dependencies", deps},
          {"problems", problems}};
}

int Usage() {
  std::cerr << "usage: lockfile_dump FILE | --name NAME < FILE | --env DIR\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  std::string mode = argv[1];
  pyward::DependencySet set;
  std::string err;
  bool ok;
  if (mode == "--env") {
    if (argc != 3) return Usage();
    ok = pyward::ReadEnvironment(argv[2], &set, &err);
  } else if (mode == "--name") {
    if (argc != 3) return Usage();
    std::string content((std::istreambuf_iterator<char>(std::cin)),
                        std::istreambuf_iterator<char>());
    ok = pyward::ReadLockfile(argv[2], content, &set, &err);
  } else {
    if (argc != 2) return Usage();
    std::string content;
    ok = pyward::ReadFile(mode, 256u << 20, &content, &err) &&
         pyward::ReadLockfile(mode, content, &set, &err);
  }
  nlohmann::ordered_json j = ToJson(set);
  if (!ok) j["error"] = err;
  std::cout << j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace)
            << "\n";
  return ok ? 0 : 2;
}
