#include "python/tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pyward {
namespace python {
namespace {

struct Lexed {
  TokenVector toks;
  std::vector<SyntaxError> errs;
  std::string src;
  std::vector<Tok> Kinds() const {
    std::vector<Tok> k;
    for (const Token& t : toks) k.push_back(t.kind);
    return k;
  }
  std::string Text(size_t i) const { return src.substr(toks[i].off, toks[i].len); }
};

Lexed Lex(const std::string& s) {
  Lexed l;
  l.src = s;
  Tokenize(l.src, &l.toks, &l.errs);
  return l;
}

TEST(PythonTokenizer, SimpleStatement) {
  Lexed l = Lex("x = foo(1, 'a')\n");
  EXPECT_EQ(l.Kinds(),
            (std::vector<Tok>{Tok::kName, Tok::kEqual, Tok::kName, Tok::kLPar,
                              Tok::kNumber, Tok::kComma, Tok::kString,
                              Tok::kRPar, Tok::kNewline, Tok::kEnd}));
  EXPECT_TRUE(l.errs.empty());
  EXPECT_EQ(l.Text(2), "foo");
  EXPECT_EQ(l.toks[2].col, 4u);
}

TEST(PythonTokenizer, IndentDedentWithTabsAndSpaces) {
  Lexed l = Lex("if x:\n\tif y:\n\t    z\n\n  # c\nw\n");
  std::vector<Tok> want = {Tok::kIf,     Tok::kName,    Tok::kColon,
                           Tok::kNewline, Tok::kIndent, Tok::kIf,
                           Tok::kName,   Tok::kColon,   Tok::kNewline,
                           Tok::kIndent, Tok::kName,    Tok::kNewline,
                           Tok::kDedent, Tok::kDedent,  Tok::kName,
                           Tok::kNewline, Tok::kEnd};
  EXPECT_EQ(l.Kinds(), want);
  EXPECT_TRUE(l.errs.empty());
  EXPECT_EQ(l.toks[14].line, 6u);
}

TEST(PythonTokenizer, ImplicitJoiningAndContinuation) {
  Lexed l = Lex("x = (1,\n     2)\ny = 1 + \\\n  2\n");
  int newlines = 0;
  for (const Token& t : l.toks) newlines += t.kind == Tok::kNewline;
  EXPECT_EQ(newlines, 2);
  EXPECT_TRUE(l.errs.empty());
}

TEST(PythonTokenizer, StringPrefixes) {
  for (const char* s : {"r'a\\'b'", "b\"x\"", "u'x'", "Rb'x'", "bR'''x'''",
                        "BR\"\"\"a\nb\"\"\""}) {
    Lexed l = Lex(std::string(s) + "\n");
    ASSERT_GE(l.toks.size(), 2u) << s;
    EXPECT_EQ(l.toks[0].kind, Tok::kString) << s;
    EXPECT_EQ(l.Text(0), s);
    EXPECT_TRUE(l.errs.empty()) << s;
  }
  Lexed kw = Lex("a or'' and\"\" if''else\"\"\n");
  EXPECT_EQ(kw.Kinds(),
            (std::vector<Tok>{Tok::kName, Tok::kOr, Tok::kString, Tok::kAnd,
                              Tok::kString, Tok::kIf, Tok::kString,
                              Tok::kElse, Tok::kString, Tok::kNewline,
                              Tok::kEnd}));
  Lexed py2 = Lex("ur'x'\n");
  EXPECT_EQ(py2.toks[0].kind, Tok::kString);
  EXPECT_FALSE(py2.errs.empty());
}

TEST(PythonTokenizer, FStringNestedQuotesAndFields) {
  Lexed l = Lex("f\"a{x[\"k\"]!r:>{w}} {{b}} {f'{y}'}\"\n");
  std::vector<Tok> want = {
      Tok::kFStringStart, Tok::kFStringMiddle, Tok::kLBrace, Tok::kName,
      Tok::kLSqb,         Tok::kString,        Tok::kRSqb,   Tok::kExclaim,
      Tok::kName,         Tok::kColon,         Tok::kFStringMiddle,
      Tok::kLBrace,       Tok::kName,          Tok::kRBrace, Tok::kRBrace,
      Tok::kFStringMiddle, Tok::kLBrace,       Tok::kFStringStart,
      Tok::kLBrace,       Tok::kName,          Tok::kRBrace, Tok::kFStringEnd,
      Tok::kRBrace,       Tok::kFStringEnd,    Tok::kNewline, Tok::kEnd};
  EXPECT_EQ(l.Kinds(), want);
  EXPECT_TRUE(l.errs.empty());
}

TEST(PythonTokenizer, FStringMultilineAndNamedEscape) {
  Lexed l = Lex("f'''x\n{a\n+b}\\N{DASH}'''\nz\n");
  EXPECT_TRUE(l.errs.empty());
  EXPECT_EQ(l.toks.back().kind, Tok::kEnd);
  EXPECT_EQ(l.toks[l.toks.size() - 3].line, 4u);  // z
}

TEST(PythonTokenizer, PositionsAfterMultilineStrings) {
  Lexed l = Lex("a = '''x\ny''' ; b\nc = (1,\n  d)\n");
  // b is on line 2 at column 7, d on line 4 at column 2.
  int seen = 0;
  for (size_t i = 0; i < l.toks.size(); ++i) {
    if (l.Text(i) == "b") {
      EXPECT_EQ(l.toks[i].line, 2u);
      EXPECT_EQ(l.toks[i].col, 7u);
      ++seen;
    }
    if (l.Text(i) == "d") {
      EXPECT_EQ(l.toks[i].line, 4u);
      EXPECT_EQ(l.toks[i].col, 2u);
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(l.toks[2].kind, Tok::kString);
  EXPECT_EQ(l.toks[2].line, 1u);
}

TEST(PythonTokenizer, UnclosedBracketResyncsAtAStatementKeyword) {
  Lexed l = Lex("x = foo(1,\ndef g():\n    pass\n");
  ASSERT_FALSE(l.errs.empty());
  int defs = 0, newlines = 0;
  for (const Token& t : l.toks) {
    defs += t.kind == Tok::kDef;
    newlines += t.kind == Tok::kNewline;
  }
  EXPECT_EQ(defs, 1);
  EXPECT_EQ(newlines, 3);  // after "1,", after "g():", after "pass"
  // Inside brackets a continuation line is not a statement start.
  Lexed ok = Lex("x = foo(1,\n  pass_)\n");
  EXPECT_TRUE(ok.errs.empty());
}

TEST(PythonTokenizer, Numbers) {
  for (const char* s : {"0", "123", "1_000", "0x_FF", "0o17", "0b1010",
                        "1.5", "1.", ".5", "1e10", "1E+5", "1.5e-3j", "3j",
                        "0_0", "00"}) {
    Lexed l = Lex(std::string(s) + "\n");
    EXPECT_EQ(l.toks[0].kind, Tok::kNumber) << s;
    EXPECT_EQ(l.Text(0), s);
    EXPECT_TRUE(l.errs.empty()) << s;
  }
  Lexed octal = Lex("0777\n");
  EXPECT_EQ(octal.toks[0].kind, Tok::kNumber);
  EXPECT_EQ(octal.errs.size(), 1u);
}

TEST(PythonTokenizer, KeywordsAndNonAscii) {
  Lexed l = Lex("def café(): return None\n");
  EXPECT_EQ(l.toks[0].kind, Tok::kDef);
  EXPECT_EQ(l.toks[1].kind, Tok::kName);
  EXPECT_EQ(l.Text(1), "café");
  EXPECT_EQ(l.toks[5].kind, Tok::kReturn);
  EXPECT_EQ(l.toks[6].kind, Tok::kNone);
  // Only the non-ASCII name is flagged.
  EXPECT_EQ(l.toks[1].flags & kTokNonAscii, kTokNonAscii);
  EXPECT_EQ(l.toks[0].flags & kTokNonAscii, 0);
  Lexed ascii = Lex("cafe_x1 = é\n");
  EXPECT_EQ(ascii.toks[0].flags & kTokNonAscii, 0);
  EXPECT_EQ(ascii.toks[2].flags & kTokNonAscii, kTokNonAscii);
}

TEST(PythonTokenizer, EveryKeywordAndNearMisses) {
  const char* kws[] = {"False", "None", "True", "and", "as", "assert", "async", "await",
                       "break", "class", "continue", "def", "del", "elif", "else", "except",
                       "finally", "for", "from", "global", "if", "import", "in", "is",
                       "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
                       "while", "with", "yield"};
  for (const char* kw : kws) {
    Lexed l = Lex(std::string(kw) + "\n");
    EXPECT_STREQ(TokName(l.toks[0].kind), ("'" + std::string(kw) + "'").c_str());
    // One letter changed or added: plain names.
    std::string w = kw;
    for (std::string near : {w.substr(0, w.size() - 1) + "_", w + "x", "x" + w, "_" + w}) {
      Lexed n = Lex(near + "\n");
      EXPECT_EQ(n.toks[0].kind, Tok::kName) << near;
    }
  }
}

TEST(PythonTokenizer, InvalidIdentifierCharacters) {
  for (const char* bad : {"x\xE2\x82\xAC = 1\n",      // euro sign
                          "exec\xC2\xA0(1)\n",         // no-break space
                          "ev\xE2\x80\x8B" "al(1)\n",     // zero width space
                          "\xCC\x81x = 1\n"}) {        // combining mark first
    Lexed l = Lex(bad);
    EXPECT_EQ(l.errs.size(), 1u) << bad;
  }
  for (const char* good : {"caf\xC3\xA9 = 1\n", "x\xCC\x81 = 1\n",
                           "\xD0\xBF\xD1\x80\xD0\xB8 = 1\n"}) {
    Lexed l = Lex(good);
    EXPECT_TRUE(l.errs.empty()) << good;
  }
}

TEST(PythonTokenizer, Python2AndGarbageKeepGoing) {
  Lexed l = Lex("print `x` <> 1\n$ ? \x01\nok = 1\n");
  EXPECT_GE(l.errs.size(), 4u);
  EXPECT_EQ(l.errs[0].line, 1u);
  EXPECT_EQ(l.toks.back().kind, Tok::kEnd);
  bool saw_ok = false;
  for (size_t i = 0; i < l.toks.size(); ++i)
    if (l.toks[i].kind == Tok::kName && l.Text(i) == "ok") {
      saw_ok = true;
      EXPECT_EQ(l.toks[i].line, 3u);
    }
  EXPECT_TRUE(saw_ok);
}

TEST(PythonTokenizer, UnterminatedStringsRecordErrors) {
  Lexed l = Lex("x = 'abc\ny = \"\"\"never\n");
  EXPECT_EQ(l.errs.size(), 2u);
  EXPECT_EQ(l.errs[0].line, 1u);
}

TEST(PythonTokenizer, DeepBracketsAreLinear) {
  std::string s(100000, '(');
  Lexed l = Lex(s);
  EXPECT_FALSE(l.errs.empty());
  EXPECT_EQ(l.toks.back().kind, Tok::kEnd);
}

TEST(PythonTokenizer, BomAndLatin1Cookie) {
  PreparedSource p;
  PrepareSource("\xEF\xBB\xBFx = 1\n", &p);
  EXPECT_EQ(p.text, "x = 1\n");
  PrepareSource("# -*- coding: latin-1 -*-\ns = '\xE9'\n", &p);
  EXPECT_EQ(p.encoding, "latin-1");
  EXPECT_NE(p.text.find("\xC3\xA9"), std::string_view::npos);
  PrepareSource("#!/usr/bin/python\n# vim: set fileencoding=utf-8 :\n", &p);
  EXPECT_EQ(p.encoding, "utf-8");
  // Other encodings go through iconv: cp1252's 0x80 is the euro sign,
  // koi8-r's 0xC1 is Cyrillic a.
  PrepareSource("# coding: cp1252\ns = '\x80'\n", &p);
  EXPECT_NE(p.text.find("\xE2\x82\xAC"), std::string_view::npos);
  PrepareSource("# -*- coding: koi8-r -*-\ns = '\xC1'\n", &p);
  EXPECT_NE(p.text.find("\xD0\xB0"), std::string_view::npos);
  EXPECT_TRUE(p.error.empty());
  PrepareSource("# coding: no-such-codec\ns = '\xC1'\n", &p);
  EXPECT_FALSE(p.error.empty());
  PrepareSource("# coding: uft-8\ns = 1\n", &p);
  EXPECT_FALSE(p.error.empty());
  PrepareSource("\xEF\xBB\xBF# coding: latin-1\ns = 1\n", &p);
  EXPECT_FALSE(p.error.empty());
  PrepareSource("\xEF\xBB\xBF# coding: utf8\ns = 1\n", &p);
  EXPECT_FALSE(p.error.empty());
  PrepareSource("\xEF\xBB\xBF# coding: utf-8\ns = 1\n", &p);
  EXPECT_TRUE(p.error.empty());
  PrepareSource("# coding: ascii\ns = 1\n", &p);
  EXPECT_TRUE(p.error.empty());
}

}  // namespace
}  // namespace python
}  // namespace pyward
