#include <gtest/gtest.h>

#include <algorithm>

#include <string>
#include <vector>

#include "python/ast.h"
#include "python/facts.h"

namespace pyward {
namespace python {
namespace {

// Kinds of the module's top-level statements.
std::vector<NodeKind> TopKinds(const Ast& ast) {
  std::vector<NodeKind> k;
  for (uint32_t s : ast.list(ast.node(ast.root))) k.push_back(ast.node(s).kind);
  return k;
}

const Node& First(const Ast& ast) {
  return ast.node(ast.list(ast.node(ast.root))[0]);
}

TEST(PythonParser, EveryStatementKind) {
  Ast ast;
  Parse(
      "import a\nfrom b import c\nx = 1\nx += 2\ny: int = 3\ndel x\n"
      "assert y, 'm'\nglobal g\npass\nraise E from F\n"
      "def f(): return\nasync def g(): await h()\nclass C: ...\n"
      "for i in r: break\nwhile t: continue\nif a: pass\n"
      "with o as p: pass\ntry: pass\nexcept E: pass\n"
      "try: pass\nexcept* E: pass\nmatch s:\n  case 1: pass\n"
      "type T = int\nf()\n",
      &ast);
  EXPECT_TRUE(ast.ok()) << ast.errors[0].message;
  std::vector<NodeKind> want = {
      NodeKind::kImport, NodeKind::kImportFrom, NodeKind::kAssign,
      NodeKind::kAugAssign, NodeKind::kAnnAssign, NodeKind::kDelete,
      NodeKind::kAssert, NodeKind::kGlobal, NodeKind::kPass, NodeKind::kRaise,
      NodeKind::kFunctionDef, NodeKind::kAsyncFunctionDef, NodeKind::kClassDef,
      NodeKind::kFor, NodeKind::kWhile, NodeKind::kIf, NodeKind::kWith,
      NodeKind::kTry, NodeKind::kTryStar, NodeKind::kMatch,
      NodeKind::kTypeAlias, NodeKind::kExpr};
  EXPECT_EQ(TopKinds(ast), want);
}

TEST(PythonParser, SoftKeywordsStayNames) {
  Ast ast;
  Parse("match = 1\nmatch(x)\ntype = 2\ntype(x)\ncase = match.case\n"
        "_ = [match for match in type]\n",
        &ast);
  EXPECT_TRUE(ast.ok()) << ast.errors[0].message;
  EXPECT_EQ(TopKinds(ast).size(), 6u);
  EXPECT_EQ(TopKinds(ast)[1], NodeKind::kExpr);
}

TEST(PythonParser, ExpressionsWithPositions) {
  Ast ast;
  Parse("r = (lambda a, *b, c=1, **d: a if b else c)(x := 3)[1:2, ::3]\n", &ast);
  ASSERT_TRUE(ast.ok()) << ast.errors[0].message;
  const Node& assign = First(ast);
  ASSERT_EQ(assign.kind, NodeKind::kAssign);
  const Node& sub = ast.node(assign.a);
  EXPECT_EQ(sub.kind, NodeKind::kSubscript);
  EXPECT_EQ(ast.node(sub.b).kind, NodeKind::kTuple);
  const Node& call = ast.node(sub.a);
  EXPECT_EQ(call.kind, NodeKind::kCall);
  EXPECT_EQ(call.col, 4u);
  EXPECT_EQ(ast.node(ast.list(call)[0]).kind, NodeKind::kNamedExpr);
}

TEST(PythonParser, ComprehensionsAndDisplays) {
  Ast ast;
  Parse("a = [x for x in y if x]\nb = {k: v for k, v in z}\nc = {1, *s}\n"
        "d = {**m, 'k': 1}\ne = (i async for i in j)\nf = *p, q\n",
        &ast);
  ASSERT_TRUE(ast.ok()) << ast.errors[0].message;
  std::vector<NodeKind> values;
  for (uint32_t s : ast.list(ast.node(ast.root)))
    values.push_back(ast.node(ast.node(s).a).kind);
  EXPECT_EQ(values, (std::vector<NodeKind>{
                        NodeKind::kListComp, NodeKind::kDictComp,
                        NodeKind::kSet, NodeKind::kDict,
                        NodeKind::kGeneratorExp, NodeKind::kTuple}));
}

TEST(PythonParser, FStringsNestFields) {
  Ast ast;
  Parse("s = f\"{a!r:>{w}} {f'{b}'}\" 'tail'\n", &ast);
  ASSERT_TRUE(ast.ok()) << ast.errors[0].message;
  const Node& js = ast.node(First(ast).a);
  ASSERT_EQ(js.kind, NodeKind::kJoinedStr);
  const Node& fv = ast.node(ast.list(js)[0]);
  EXPECT_EQ(fv.kind, NodeKind::kFormattedValue);
  EXPECT_EQ(fv.op, 'r');
  EXPECT_EQ(ast.node(fv.b).kind, NodeKind::kJoinedStr);
}

TEST(PythonParser, MatchPatterns) {
  Ast ast;
  Parse("match p:\n"
        "  case Point(x=0, y=0) | [1, 2, *rest] as q if q: pass\n"
        "  case {'k': v, **kw}: pass\n"
        "  case -1 | 1+2j | 'a' 'b' | None | A.B: pass\n"
        "  case (a, b) | (): pass\n"
        "  case _: pass\n",
        &ast);
  ASSERT_TRUE(ast.ok()) << ast.errors[0].message;
  const Node& m = First(ast);
  EXPECT_EQ(m.kind, NodeKind::kMatch);
  EXPECT_EQ(m.count, 5u);
  Facts f;
  ExtractFacts(ast, &f);
  EXPECT_TRUE(f.calls.empty());  // class patterns are not calls
}

TEST(PythonParser, ErrorsResumeAtNextStatement) {
  Ast ast;
  Parse("a = 1 +\nb = 2\ndef f(:\n    g()\nclass C:\n    h()\nx = = 1\ny = k()\n", &ast);
  EXPECT_FALSE(ast.ok());
  Facts f;
  ExtractFacts(ast, &f);
  std::vector<std::string> calls;
  for (const Fact& c : f.calls) calls.push_back(c.name);
  // The statements after the unclosed '(' of the broken def survive.
  EXPECT_NE(std::find(calls.begin(), calls.end(), "h"), calls.end());
  EXPECT_NE(std::find(calls.begin(), calls.end(), "k"), calls.end());
  EXPECT_EQ(f.defs.size(), 2u);
}

TEST(PythonParser, BrokenHeaderKeepsItsBlock) {
  Ast ast;
  Parse("if x y:\n    g()\nh()\n", &ast);
  EXPECT_FALSE(ast.ok());
  Facts f;
  ExtractFacts(ast, &f);
  ASSERT_EQ(f.calls.size(), 2u);
  EXPECT_EQ(f.calls[0].name, "g");
}

TEST(PythonParser, MultilineHeadersWithColonsAtLineEnd) {
  // Valid code that looks like a broken header: an annotation split after
  // its colon, a dict display in a for header.
  Ast ast;
  Parse("def f(a,\n      b:\n      int = 1) -> None:\n    pass\n"
        "def g(self, a: int, b:\n      int) -> None:\n    pass\n"
        "for k, v in {\n    (1, 2):\n        (3, 4),\n}.items():\n    pass\n",
        &ast);
  EXPECT_TRUE(ast.ok()) << ast.errors[0].message;
}

TEST(PythonParser, Python2KeepsGoing) {
  Ast ast;
  Parse("print 'hello', foo()\nexec code in ns\nx = `y`\nif a <> b: pass\n"
        "try:\n  pass\nexcept E, e:\n  pass\nn = 0777\nbar()\n",
        &ast);
  EXPECT_GE(ast.errors.size(), 5u);
  Facts f;
  ExtractFacts(ast, &f);
  ASSERT_EQ(f.calls.size(), 2u);
  EXPECT_EQ(f.calls[0].name, "foo");
  EXPECT_EQ(f.calls[1].name, "bar");
  EXPECT_EQ(f.calls[1].line, 10u);
}

TEST(PythonParser, PrintChevronIsValidPython3) {
  Ast ast;
  Parse("print >>sys.stderr, 'x'\nprint\nprint -1\n", &ast);
  EXPECT_TRUE(ast.ok());
}

TEST(PythonParser, DeepNestingIsAnErrorNotACrash) {
  struct Case {
    const char* open;
    const char* close;
  };
  for (Case c : {Case{"(", ")"}, Case{"[", "]"}, Case{"{", "}"}, Case{"-", ""},
                 Case{"not ", ""}, Case{"lambda:", ""}, Case{"f(", ")"},
                 Case{"a if b else ", ""}, Case{"await ", ""},
                 Case{"f'{", "}'"}}) {
    const char* open = c.open;
    std::string s = "x = ";
    for (int i = 0; i < 100000; ++i) s += open;
    s += "1";
    for (int i = 0; i < 100000; ++i) s += c.close;
    s += "\ny = g()\n";
    Ast ast;
    Parse(s, &ast);
    EXPECT_FALSE(ast.ok()) << open;
    Facts f;
    ExtractFacts(ast, &f);
    ASSERT_FALSE(f.calls.empty()) << open;
    EXPECT_EQ(f.calls.back().name, "g") << open;
  }
}

TEST(PythonParser, NestingWithinLimitsIsAccepted) {
  std::string s = "x = " + std::string(150, '(') + "1" + std::string(150, ')') + "\n";
  Ast ast;
  Parse(s, &ast);
  EXPECT_TRUE(ast.ok());
}

TEST(PythonParser, GarbageAndNulBytes) {
  const char kGarbage[] = "def \x00\xff\xfe(:\n\t\t  )]}\n\"\"\"\n";
  std::string s(kGarbage, sizeof kGarbage - 1);
  Ast ast;
  Parse(s, &ast);
  EXPECT_FALSE(ast.ok());
  EXPECT_EQ(ast.tokens.back().kind, Tok::kEnd);
}

TEST(PythonParser, InvalidUtf8IsAnErrorUnlessDeclaredOtherwise) {
  Ast ast;
  Parse("x = 1\ny = '\xff'\n", &ast);
  ASSERT_EQ(ast.errors.size(), 1u);
  EXPECT_EQ(ast.errors[0].line, 2u);
  EXPECT_EQ(ast.errors[0].col, 5u);
  Parse("# coding: cp1252\ny = '\xff'\n", &ast);
  EXPECT_TRUE(ast.ok());
  Parse("s = '\xc3\xa9 \xe2\x80\xa2 \xf0\x9f\x98\x80'\n", &ast);
  EXPECT_TRUE(ast.ok());
  Parse("s = '\xed\xa0\x80'\n", &ast);  // an encoded surrogate
  EXPECT_FALSE(ast.ok());
}

TEST(PythonParser, ParenthesizedWithItems) {
  Ast ast;
  Parse("with (open(a) as f, open(b) as g,):\n  pass\nwith (a, b) as c: pass\n"
        "with (yield from lock): pass\n",
        &ast);
  ASSERT_TRUE(ast.ok()) << ast.errors[0].message;
  EXPECT_EQ(ast.node(First(ast).a).count, 2u);
}

TEST(PythonParser, FunctionSignatures) {
  Ast ast;
  Parse("def f[T: int, *Ts, **P](a, b=1, /, c: int = 2, *args: *Ts, d, "
        "**kw) -> T: pass\nlambda *, k: k\nclass C[T](B[T], metaclass=M): pass\n",
        &ast);
  ASSERT_TRUE(ast.ok()) << ast.errors[0].message;
  const Node& f = First(ast);
  EXPECT_EQ(ast.node(f.d).count, 3u);
  const Node& args = ast.node(f.a);
  ASSERT_EQ(args.count, 6u);
  EXPECT_EQ(static_cast<ArgKind>(ast.node(ast.list(args)[0]).op),
            ArgKind::kPosOnly);
  EXPECT_EQ(static_cast<ArgKind>(ast.node(ast.list(args)[3]).op),
            ArgKind::kVarArg);
  EXPECT_EQ(static_cast<ArgKind>(ast.node(ast.list(args)[4]).op),
            ArgKind::kKwOnly);
}

// Every node reached by walking Children() from the root, with the kinds.
TEST(PythonParser, ChildrenReachEveryCall) {
  Ast ast;
  Parse("@d(1)\ndef f(a=g()) -> h():\n  return [i() for x in j() if k()]\n"
        "x = l() if m() else n()\ny = o() < p() < q()\nz = {r(): s(), **t()}\n",
        &ast);
  ASSERT_TRUE(ast.ok());
  std::vector<uint32_t> stack{ast.root}, kids;
  std::string seen;
  size_t visited = 0;
  while (!stack.empty()) {
    uint32_t n = stack.back();
    stack.pop_back();
    ++visited;
    if (ast.node(n).kind == NodeKind::kCall) {
      std::string name;
      if (DottedName(ast, ast.node(n).a, &name)) seen += name;
    }
    Children(ast, n, &kids);
    for (size_t i = kids.size(); i-- > 0;) stack.push_back(kids[i]);
  }
  EXPECT_EQ(seen, "dghijklmnopqrst");
  EXPECT_EQ(visited, ast.nodes.size() - 1);
}

}  // namespace
}  // namespace python
}  // namespace pyward
