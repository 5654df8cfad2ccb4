#include "python/literals.h"

#include <gtest/gtest.h>

#include <string>

#include "python/unicode_data.h"

namespace pyward {
namespace python {
namespace {

std::string Str(const std::string& tok, bool* is_bytes = nullptr) {
  std::string out, err;
  bool b = false;
  EXPECT_TRUE(DecodeStringToken(tok, &out, &b, &err)) << tok << ": " << err;
  if (is_bytes) *is_bytes = b;
  return out;
}

// The value of the first statement's expression, a string constant.
std::string ValueOf(const std::string& src, bool* ok = nullptr) {
  Ast ast;
  Parse(src, &ast);
  const Node& stmt = ast.node(ast.list(ast.node(ast.root))[0]);
  std::string out, err;
  bool b;
  bool r = ConstantValue(ast, stmt.a, &out, &b, &err);
  if (ok) *ok = r;
  return out;
}

TEST(PythonLiterals, Escapes) {
  EXPECT_EQ(Str(R"('a\nb\t\\\'\"')"), "a\nb\t\\'\"");
  EXPECT_EQ(Str(R"('\x41\101\u00e9\U0001F600')"), "AA\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(Str(R"('\0')"), std::string(1, '\0'));
  EXPECT_EQ(Str("'a\\\nb'"), "ab");
  EXPECT_EQ(Str(R"('\d\w')"), "\\d\\w");  // unknown escapes kept
}

TEST(PythonLiterals, RawAndBytes) {
  bool bytes = false;
  EXPECT_EQ(Str(R"(r'\x41\n')"), "\\x41\\n");
  EXPECT_EQ(Str(R"(b'\x00\xff\101')", &bytes), std::string("\0\xff" "A", 3));
  EXPECT_TRUE(bytes);
  EXPECT_EQ(Str(R"(Rb'\x00')", &bytes), "\\x00");
  EXPECT_TRUE(bytes);
  EXPECT_EQ(Str(R"(b'\u0041\N{X}')"), "\\u0041\\N{X}");
  EXPECT_EQ(Str("'''a\nb'''"), "a\nb");
  EXPECT_EQ(Str("u\"\"\"x\"\"\""), "x");
}

TEST(PythonLiterals, NamedEscapes) {
  EXPECT_EQ(Str(R"('\N{BULLET}\N{latin small letter e with acute}')"),
            "\xE2\x80\xA2\xC3\xA9");
  EXPECT_EQ(Str(R"('\N{CJK UNIFIED IDEOGRAPH-4E00}')"), "\xE4\xB8\x80");
  EXPECT_EQ(Str(R"('\N{HANGUL SYLLABLE GA}')"), "\xEA\xB0\x80");
  std::string out, err;
  bool b;
  EXPECT_FALSE(DecodeStringToken(R"('\N{NO SUCH NAME}')", &out, &b, &err));
  EXPECT_FALSE(err.empty());
}

TEST(PythonLiterals, MalformedEscapesAreReported) {
  std::string out, err;
  bool b;
  EXPECT_FALSE(DecodeStringToken(R"('\x4')", &out, &b, &err));
  EXPECT_FALSE(DecodeStringToken(R"('\U00110000')", &out, &b, &err));
}

TEST(PythonLiterals, ParserRejectsMalformedEscapesLikeCPython) {
  for (const char* bad : {"s = '\\x4'\n", "s = u'\\u12'\n", "s = '\\U00110000'\n",
                          "s = '\\N'\n", "s = b'\\x'\n", "s = f'{x}\\x1'\n"}) {
    Ast ast;
    Parse(bad, &ast);
    EXPECT_FALSE(ast.ok()) << bad;
  }
  for (const char* good : {"s = r'\\x4'\n", "s = b'\\u12'\n", "s = '\\q\\d'\n",
                           "s = '\\N{LINE FEED}'\n", "s = rf'{x}\\x1'\n",
                           "s = '\\\\x'\n"}) {
    Ast ast;
    Parse(good, &ast);
    EXPECT_TRUE(ast.ok()) << good;
  }
}

TEST(PythonLiterals, ImplicitConcatenation) {
  EXPECT_EQ(ValueOf("'ab' \"cd\" '''ef'''\n"), "abcdef");
  EXPECT_EQ(ValueOf("('ex'\n 'ec')\n"), "exec");
  bool ok = true;
  ValueOf("'a' b'b'\n", &ok);
  EXPECT_FALSE(ok);
}

TEST(PythonLiterals, FStringConstantParts) {
  Ast ast;
  Parse("f'a{{\\x41}}{x!r}b\\N{BULLET}' 'c'\n", &ast);
  const Node& stmt = ast.node(ast.list(ast.node(ast.root))[0]);
  std::vector<FStringPart> parts;
  std::string err;
  ASSERT_TRUE(JoinedStrParts(ast, stmt.a, &parts, &err)) << err;
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].text, "a{A}");
  EXPECT_TRUE(parts[1].is_field);
  EXPECT_EQ(parts[2].text, "b\xE2\x80\xA2" "c");
}

TEST(PythonLiterals, IdentifierNormalization) {
  EXPECT_EQ(NormalizeIdentifier("exec"), "exec");
  EXPECT_EQ(NormalizeIdentifier("\xEF\xBD\x85\xEF\xBD\x98\xEF\xBD\x85\xEF\xBD\x83"),
            "exec");  // fullwidth
  EXPECT_EQ(NormalizeIdentifier("caf\xC3\xA9"), "caf\xC3\xA9");
}

}  // namespace
}  // namespace python
}  // namespace pyward
