// Fuzz target for the module model: resolution and folding over whatever
// the parser makes of the input, with a hook that folds one fake decoder,
// then Qualify and Fold on every node. Built with libFuzzer when
// PYWARD_FUZZ=ON with clang; otherwise linked into fuzz_model_replay, which
// runs it over the Python seed corpus.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analysis/module_model.h"
#include "python/ast.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pyward;
  std::string_view src(reinterpret_cast<const char*>(data), size);
  python::Ast ast;
  python::Parse(src, &ast);
  CallHook hook = [](std::string_view callee, std::span<const Value> args,
                     std::span<const std::pair<std::string, Value>>, Value* out) {
    if (callee != "dec.rev" || args.size() != 1 || args[0].kind == Value::kList) return false;
    *out = Value::Bytes(std::string(args[0].data.rbegin(), args[0].data.rend()));
    out->chain.push_back("rev");
    return true;
  };
  ModuleModel model(ast, hook);
  size_t n = 0;
  for (const CallRecord& c : model.calls()) n += c.callee.size() + c.args.size();
  for (uint32_t i = 1; i < ast.nodes.size() && i < 4096; ++i) {
    n += model.Qualify(i).size();
    n += model.Fold(i).has_value();
  }
  n += model.imports().size() + model.loose_strings().size();
  return n == 0xFFFFFFFF;  // keep the work observable
}
