// Fuzz target for the Python front end: tokenizer, parser, facts.
// Built with libFuzzer when PYWARD_FUZZ=ON with clang; otherwise linked
// into fuzz_python_replay, which runs it over a seed corpus.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "python/ast.h"
#include "python/facts.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view src(reinterpret_cast<const char*>(data), size);
  pyward::python::Ast ast;
  pyward::python::Parse(src, &ast);
  pyward::python::Facts facts;
  pyward::python::ExtractFacts(ast, &facts);
  return 0;
}
