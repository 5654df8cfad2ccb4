// pyward parse: runs the Python front end over files and prints, per file,
// one JSON line with its syntax errors and (with --facts) its calls,
// imports and definitions.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "python/ast.h"
#include "python/facts.h"
#include "util/file_util.h"

namespace pyward {

namespace {

constexpr uint64_t kMaxFileBytes = 512ull << 20;

nlohmann::ordered_json FactList(const std::vector<python::Fact>& facts) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const python::Fact& f : facts) a.push_back({f.line, f.name});
  return a;
}

}  // namespace

int RunParse(int argc, char** argv) {
  CLI::App app{
      "Parse Python files with pyward's own front end and print one JSON "
      "object per file: {\"file\", \"ok\", \"errors\": [{\"line\", "
      "\"message\"}]} plus, with --facts, \"calls\", \"imports\" and "
      "\"defs\" as [[LINE, NAME], ...].\n"
      "example: pyward parse --facts setup.py pkg/__init__.py"};
  app.name(argv[0]);
  bool facts = false;
  std::vector<std::string> files;
  app.add_flag("--facts", facts,
               "also print calls, imports and definitions "
               "(e.g. pyward parse --facts setup.py)");
  app.add_option("FILE", files, "Python source files (e.g. setup.py)")
      ->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  int status = kExitOk;
  python::Ast ast;
  python::Facts f;
  std::string bytes, err;
  for (const std::string& file : files) {
    if (!ReadFile(file, kMaxFileBytes, &bytes, &err)) {
      std::fprintf(stderr, "pyward parse: cannot read %s: %s\n", file.c_str(),
                   err.c_str());
      status = kExitUsage;
      continue;
    }
    python::Parse(bytes, &ast);
    nlohmann::ordered_json j;
    j["file"] = file;
    j["ok"] = ast.ok();
    std::vector<const python::SyntaxError*> errs;
    for (const python::SyntaxError& e : ast.errors) errs.push_back(&e);
    std::stable_sort(errs.begin(), errs.end(),
                     [](const python::SyntaxError* a,
                        const python::SyntaxError* b) { return a->line < b->line; });
    nlohmann::ordered_json ej = nlohmann::ordered_json::array();
    for (const python::SyntaxError* e : errs)
      ej.push_back({{"line", e->line}, {"message", e->message}});
    j["errors"] = std::move(ej);
    if (facts) {
      python::ExtractFacts(ast, &f);
      j["calls"] = FactList(f.calls);
      j["imports"] = FactList(f.imports);
      j["defs"] = FactList(f.defs);
    }
    std::string line =
        j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
  }
  return status;
}

}  // namespace pyward
