#include "python/facts.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pyward {
namespace python {
namespace {

std::vector<std::string> Render(const std::vector<Fact>& fs) {
  std::vector<std::string> out;
  for (const Fact& f : fs) out.push_back(std::to_string(f.line) + ":" + f.name);
  return out;
}

Facts FactsOf(const std::string& src) {
  Ast ast;
  Parse(src, &ast);
  EXPECT_TRUE(ast.ok()) << (ast.errors.empty() ? "" : ast.errors[0].message);
  Facts f;
  ExtractFacts(ast, &f);
  return f;
}

TEST(PythonFacts, CallsByDottedName) {
  Facts f = FactsOf(
      "os.path.join(a)\nself.run()\nf()()\nx[0]()\n(g)(1)\n"
      "a.b(\n  c.d()\n).e()\n@deco(1)\ndef h(): pass\n");
  EXPECT_EQ(Render(f.calls),
            (std::vector<std::string>{"1:os.path.join", "2:self.run", "3:f",
                                      "5:g", "6:a.b", "7:c.d", "9:deco"}));
}

TEST(PythonFacts, Imports) {
  Facts f = FactsOf(
      "import a.b as c, d\nfrom x.y import z\nfrom .. import m\n"
      "from .p import q\nfrom x import *\nfrom ... import r\n");
  EXPECT_EQ(Render(f.imports),
            (std::vector<std::string>{"1:a.b", "1:d", "2:x.y.z", "3:..m",
                                      "4:.p.q", "5:x.*", "6:...r"}));
}

TEST(PythonFacts, DefsAtDefLineNotDecorator) {
  Facts f = FactsOf("@d\n@e\ndef f(): pass\nclass C:\n  async def g(self): pass\n");
  EXPECT_EQ(Render(f.defs),
            (std::vector<std::string>{"3:f", "4:C", "5:g"}));
}

TEST(PythonFacts, CallsInsideFStrings) {
  Facts f = FactsOf("s = f'''\n{a.b()}{c:{d()}}'''\n");
  EXPECT_EQ(Render(f.calls), (std::vector<std::string>{"2:a.b", "2:d"}));
}

TEST(PythonFacts, HostileShapes) {
  // A payload pushed right by spaces on the same line, a homoglyph
  // (fullwidth) callee, and a multi-line call after a triple-quoted string.
  std::string src = "x = 1;" + std::string(100000, ' ') +
                    "exec(__import__('base64').b64decode('cHJpbnQ='))\n"
                    "\xEF\xBD\x85\xEF\xBD\x98\xEF\xBD\x85\xEF\xBD\x83('x')\n"
                    "s = '''\n\n'''; os.system(\n  'id')\n";
  Facts f = FactsOf(src);
  EXPECT_EQ(Render(f.calls),
            (std::vector<std::string>{"1:__import__", "1:exec", "2:exec",
                                      "5:os.system"}));
}

TEST(PythonFacts, BrokenFilesStillYieldTheirParsableStatements) {
  Ast ast;
  Parse("import os\nprint 'x'\ndef f(x y):\n  pass\nos.system('id')\n"
        "class C(object:\n    pass\nsubprocess.call(['ls'])\n",
        &ast);
  EXPECT_FALSE(ast.ok());
  Facts f;
  ExtractFacts(ast, &f);
  EXPECT_EQ(Render(f.imports), (std::vector<std::string>{"1:os"}));
  EXPECT_EQ(Render(f.calls),
            (std::vector<std::string>{"5:os.system", "8:subprocess.call"}));
}

}  // namespace
}  // namespace python
}  // namespace pyward
