// Fuzz target for the Python front end: tokenizer, parser, facts, literal
// decoding and the tree walk. Built with libFuzzer when PYWARD_FUZZ=ON with
// clang; otherwise linked into fuzz_python_replay, which runs it over a
// seed corpus.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "python/ast.h"
#include "python/facts.h"
#include "python/literals.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pyward::python;
  std::string_view src(reinterpret_cast<const char*>(data), size);
  Ast ast;
  Parse(src, &ast);
  Facts facts;
  ExtractFacts(ast, &facts);
  std::string value, err;
  std::vector<FStringPart> parts;
  std::vector<uint32_t> kids;
  for (uint32_t i = 1; i < ast.nodes.size(); ++i) {
    bool is_bytes;
    if (ast.nodes[i].kind == NodeKind::kConstant)
      ConstantValue(ast, i, &value, &is_bytes, &err);
    if (ast.nodes[i].kind == NodeKind::kJoinedStr)
      JoinedStrParts(ast, i, &parts, &err);
    Children(ast, i, &kids);
  }
  return 0;
}
