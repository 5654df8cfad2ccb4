// Recursive-descent parser for Python 3.12 over the token stream, with
// statement-level error recovery. Recursion is bounded: expression nesting
// by kMaxNestingDepth, block nesting by the tokenizer's indentation limit.
#include <cstdio>
#include <cstring>
#include <string>

#include "python/ast.h"
#include "python/literals.h"

namespace pyward {
namespace python {

namespace {

constexpr size_t kMaxErrors = 1000;

struct ParseFail {};

class Parser {
 public:
  explicit Parser(Ast* ast) : ast_(ast), t_(ast->tokens) {}

  void ParseModule();

 private:
  // --- token access ---
  Tok K() const { return t_[p_].kind; }
  Tok K1() const { return p_ + 1 < t_.size() ? t_[p_ + 1].kind : Tok::kEnd; }
  Tok K2() const { return p_ + 2 < t_.size() ? t_[p_ + 2].kind : Tok::kEnd; }
  void Next() {
    if (t_[p_].kind != Tok::kEnd) ++p_;
  }
  bool Accept(Tok k) {
    if (K() != k) return false;
    Next();
    return true;
  }
  std::string_view Text(size_t i) const { return ast_->TokText(i); }
  bool IsName(std::string_view s) const {
    return K() == Tok::kName && Text(p_) == s;
  }
  void AddError(size_t tok, std::string msg);
  // Records an error for a malformed escape in STRING token `tok`.
  void CheckEscapes(size_t tok) {
    std::string err;
    if (!CheckStringEscapes(Text(tok), &err))
      AddError(tok, "invalid escape in string literal: " + err);
  }
  [[noreturn]] void Fail(const char* expected);
  void Expect(Tok k) {
    if (K() != k) Fail(TokName(k));
    Next();
  }
  uint32_t ExpectName() {
    if (K() != Tok::kName) Fail("a name");
    return static_cast<uint32_t>(p_++);
  }

  // --- node building ---
  uint32_t NewNode(NodeKind k, size_t tok) {
    Node n{};
    n.kind = k;
    n.tok = kNoTok;
    n.line = t_[tok].line;
    n.col = t_[tok].col;
    ast_->nodes.push_back(n);
    return static_cast<uint32_t>(ast_->nodes.size() - 1);
  }
  Node& N(uint32_t i) { return ast_->nodes[i]; }
  // Moves scratch_[mark..] into Ast::lists as node i's list.
  void SetList(uint32_t i, size_t mark) {
    Node& n = N(i);
    n.list = static_cast<uint32_t>(ast_->lists.size());
    n.count = static_cast<uint32_t>(scratch_.size() - mark);
    ast_->lists.insert(ast_->lists.end(), scratch_.begin() + mark,
                       scratch_.end());
    scratch_.resize(mark);
  }
  uint32_t NewSeq(size_t tok, size_t mark) {
    uint32_t s = NewNode(NodeKind::kSeq, tok);
    SetList(s, mark);
    return s;
  }
  uint32_t AddString(std::string_view s) {
    uint32_t off = static_cast<uint32_t>(ast_->strings.size());
    ast_->strings.append(s);
    return off;
  }

  struct DepthGuard {
    Parser* p;
    explicit DepthGuard(Parser* parser) : p(parser) {
      if (++p->depth_ > kMaxNestingDepth) {
        p->Fail("less nesting (too deeply nested)");
      }
    }
    ~DepthGuard() { --p->depth_; }
  };

  // --- statements ---
  void ParseBlockBody(size_t mark);  // statements until DEDENT/END
  void ParseStatementSafe();
  void Recover();
  void ParseStatement();
  void ParseSimpleStatements();
  void ParseSmallStatement();
  void ParseBlock(uint32_t owner);  // ':' then suite; sets owner's list
  uint32_t ParseBlockSeq();         // ':' then suite as a kSeq node
  void ParseFuncDef(size_t start, uint32_t decorators, bool is_async);
  void ParseClassDef(size_t start, uint32_t decorators);
  void ParseDecorated();
  void ParseIf();
  void ParseWhile();
  void ParseFor(size_t start, bool is_async);
  void ParseWith(size_t start, bool is_async);
  void ParseTry();
  void ParseMatch();
  void ParseTypeAlias();
  void ParseImport();
  void ParseFromImport();
  bool LooksLikeMatch() const;
  bool ParenthesizedWithItems() const;
  uint32_t ParseTypeParams();  // '[' ... ']' as a kSeq, or 0

  // --- expressions ---
  uint32_t ParseStarExpressions();   // tuple when commas
  uint32_t ParseStarExpression();
  uint32_t ParseStarNamedExpression();
  uint32_t ParseNamedExpression();
  uint32_t ParseExpression();
  uint32_t ParseYieldOrStar();
  uint32_t ParseYield();
  uint32_t ParseLambda();
  uint32_t ParseDisjunction();
  uint32_t ParseConjunction();
  uint32_t ParseInversion();
  uint32_t ParseComparison();
  uint32_t ParseBinary(int min_prec);
  uint32_t ParseFactor();
  uint32_t ParsePower();
  uint32_t ParsePrimary();
  uint32_t ParseAtom();
  uint32_t ParseStrings();
  void ParseFStringParts();  // appends parts to scratch_
  uint32_t ParseReplacementField();
  uint32_t ParseParenAtom(size_t start);
  uint32_t ParseListAtom(size_t start);
  uint32_t ParseBraceAtom(size_t start);
  void ParseComprehensions();  // appends Comprehension nodes to scratch_
  void ParseCallArgs();        // after '(' up to ')', appends to scratch_
  uint32_t ParseSlices();
  uint32_t ParseSlice();
  uint32_t ParseTargetList();  // for-loop targets
  uint32_t ParseTarget();
  uint32_t ParseArguments(Tok close, bool annotations);
  bool StartsExpression(Tok k) const;

  // --- patterns ---
  uint32_t ParsePatterns();
  uint32_t ParsePattern();
  uint32_t ParseOrPattern();
  uint32_t ParseClosedPattern();
  uint32_t ParseLiteralOrValuePattern();

  Ast* ast_;
  const TokenVector& t_;
  size_t p_ = 0;
  int depth_ = 0;
  // A primary ParseExpression parsed ahead of the operator levels, taken by
  // the next ParsePower (0: none), and the token it started at.
  uint32_t pre_node_ = 0;
  size_t pre_start_ = 0;
  // Where the expression being parsed starts.
  size_t Start() const { return pre_node_ ? pre_start_ : p_; }
  std::vector<uint32_t> scratch_;
};

void Parser::AddError(size_t tok, std::string msg) {
  auto& errs = ast_->errors;
  if (errs.size() >= kMaxErrors) return;
  const Token& t = t_[tok < t_.size() ? tok : t_.size() - 1];
  errs.push_back({t.line, t.col, std::move(msg)});
}

void Parser::Fail(const char* expected) {
  std::string m = "invalid syntax: expected ";
  m += expected;
  m += ", got ";
  m += TokName(K());
  AddError(p_, std::move(m));
  throw ParseFail{};
}

// ---------------------------------------------------------------------------
// Statements.

void Parser::ParseModule() {
  ast_->nodes.clear();
  ast_->nodes.push_back(Node{});  // sentinel
  ast_->root = NewNode(NodeKind::kModule, 0);
  N(ast_->root).line = 1;
  N(ast_->root).col = 0;
  size_t mark = scratch_.size();
  while (K() != Tok::kEnd) {
    if (K() == Tok::kNewline || K() == Tok::kDedent) {
      Next();
      continue;
    }
    ParseStatementSafe();
  }
  SetList(ast_->root, mark);
}

void Parser::ParseBlockBody(size_t mark) {
  (void)mark;
  while (K() != Tok::kDedent && K() != Tok::kEnd) {
    if (K() == Tok::kNewline) {
      Next();
      continue;
    }
    ParseStatementSafe();
  }
}

void Parser::ParseStatementSafe() {
  size_t mark = scratch_.size();
  size_t start = p_;
  int depth = depth_;
  try {
    ParseStatement();
  } catch (const ParseFail&) {
    scratch_.resize(mark);
    depth_ = depth;
    pre_node_ = 0;
    Recover();
  }
  if (p_ == start && K() != Tok::kEnd && K() != Tok::kDedent) Next();
}

// Skips the rest of a broken logical line; an indented block that follows
// is parsed (its statements kept in an ErrorStmt) so its facts survive.
void Parser::Recover() {
  while (K() != Tok::kNewline && K() != Tok::kEnd && K() != Tok::kDedent &&
         K() != Tok::kIndent)
    Next();
  Accept(Tok::kNewline);
  if (K() == Tok::kIndent) {
    uint32_t err = NewNode(NodeKind::kErrorStmt, p_);
    Next();
    size_t mark = scratch_.size();
    ParseBlockBody(mark);
    Accept(Tok::kDedent);
    SetList(err, mark);
    scratch_.push_back(err);
  }
}

void Parser::ParseStatement() {
  size_t start = p_;
  switch (K()) {
    case Tok::kDef:
      ParseFuncDef(start, 0, false);
      return;
    case Tok::kClass:
      ParseClassDef(start, 0);
      return;
    case Tok::kAt:
      ParseDecorated();
      return;
    case Tok::kIf:
      ParseIf();
      return;
    case Tok::kWhile:
      ParseWhile();
      return;
    case Tok::kFor:
      ParseFor(start, false);
      return;
    case Tok::kTry:
      ParseTry();
      return;
    case Tok::kWith:
      ParseWith(start, false);
      return;
    case Tok::kAsync:
      Next();
      if (K() == Tok::kDef) {
        ParseFuncDef(start, 0, true);
      } else if (K() == Tok::kFor) {
        ParseFor(start, true);
      } else if (K() == Tok::kWith) {
        ParseWith(start, true);
      } else {
        Fail("'def', 'for' or 'with' after 'async'");
      }
      return;
    case Tok::kName:
      if (Text(p_) == "match" && LooksLikeMatch()) {
        ParseMatch();
        return;
      }
      if (Text(p_) == "type" && K1() == Tok::kName &&
          (K2() == Tok::kEqual || K2() == Tok::kLSqb)) {
        ParseTypeAlias();
        return;
      }
      break;
    case Tok::kIndent:
      AddError(p_, "unexpected indent");
      throw ParseFail{};
    default:
      break;
  }
  ParseSimpleStatements();
}

void Parser::ParseSimpleStatements() {
  for (;;) {
    ParseSmallStatement();
    if (Accept(Tok::kSemi)) {
      if (K() == Tok::kNewline || K() == Tok::kEnd) break;
      continue;
    }
    break;
  }
  if (K() == Tok::kEnd) return;
  Expect(Tok::kNewline);
}

bool Parser::StartsExpression(Tok k) const {
  switch (k) {
    case Tok::kName: case Tok::kNumber: case Tok::kString:
    case Tok::kFStringStart: case Tok::kLPar: case Tok::kLSqb:
    case Tok::kLBrace: case Tok::kMinus: case Tok::kPlus: case Tok::kTilde:
    case Tok::kNot: case Tok::kLambda: case Tok::kAwait: case Tok::kNone:
    case Tok::kTrue: case Tok::kFalse: case Tok::kEllipsis: case Tok::kStar:
    case Tok::kBacktick:
      return true;
    default:
      return false;
  }
}

void Parser::ParseSmallStatement() {
  size_t start = p_;
  uint32_t n = 0;
  switch (K()) {
    case Tok::kPass:
      Next();
      n = NewNode(NodeKind::kPass, start);
      break;
    case Tok::kBreak:
      Next();
      n = NewNode(NodeKind::kBreak, start);
      break;
    case Tok::kContinue:
      Next();
      n = NewNode(NodeKind::kContinue, start);
      break;
    case Tok::kReturn: {
      Next();
      n = NewNode(NodeKind::kReturn, start);
      if (K() != Tok::kNewline && K() != Tok::kSemi && K() != Tok::kEnd) {
        uint32_t v = ParseStarExpressions();
        N(n).a = v;
      }
      break;
    }
    case Tok::kRaise: {
      Next();
      n = NewNode(NodeKind::kRaise, start);
      if (K() != Tok::kNewline && K() != Tok::kSemi && K() != Tok::kEnd) {
        uint32_t e = ParseExpression();
        N(n).a = e;
        if (Accept(Tok::kFrom)) {
          uint32_t c = ParseExpression();
          N(n).b = c;
        } else if (K() == Tok::kComma) {
          AddError(p_, "Python 2 raise statement");
          while (Accept(Tok::kComma)) ParseExpression();
        }
      }
      break;
    }
    case Tok::kGlobal:
    case Tok::kNonlocal: {
      bool g = K() == Tok::kGlobal;
      Next();
      n = NewNode(g ? NodeKind::kGlobal : NodeKind::kNonlocal, start);
      size_t mark = scratch_.size();
      do {
        size_t nt = p_;
        ExpectName();
        uint32_t nm = NewNode(NodeKind::kName, nt);
        N(nm).tok = static_cast<uint32_t>(nt);
        scratch_.push_back(nm);
      } while (Accept(Tok::kComma));
      SetList(n, mark);
      break;
    }
    case Tok::kDel: {
      Next();
      n = NewNode(NodeKind::kDelete, start);
      size_t mark = scratch_.size();
      do {
        if (K() == Tok::kNewline || K() == Tok::kSemi) break;
        scratch_.push_back(ParseTarget());
      } while (Accept(Tok::kComma));
      SetList(n, mark);
      break;
    }
    case Tok::kAssert: {
      Next();
      n = NewNode(NodeKind::kAssert, start);
      uint32_t e = ParseExpression();
      N(n).a = e;
      if (Accept(Tok::kComma)) {
        uint32_t m = ParseExpression();
        N(n).b = m;
      }
      break;
    }
    case Tok::kImport:
      ParseImport();
      return;
    case Tok::kFrom:
      ParseFromImport();
      return;
    default: {
      // Python 2 print and exec statements.
      if (K() == Tok::kName) {
        std::string_view w = Text(p_);
        Tok k1 = K1();
        bool operand = k1 == Tok::kName || k1 == Tok::kNumber ||
                       k1 == Tok::kString || k1 == Tok::kFStringStart ||
                       k1 == Tok::kNone || k1 == Tok::kTrue ||
                       k1 == Tok::kFalse ||
                       (k1 == Tok::kNot && K2() != Tok::kIn) ||
                       k1 == Tok::kLambda || k1 == Tok::kBacktick;
        if (operand && (w == "print" || w == "exec")) {
          bool is_print = w == "print";
          AddError(p_, is_print ? "Python 2 print statement"
                                : "Python 2 exec statement");
          Next();
          n = NewNode(is_print ? NodeKind::kPrint2 : NodeKind::kExec2, start);
          size_t mark = scratch_.size();
          do {
            if (K() == Tok::kNewline || K() == Tok::kSemi ||
                K() == Tok::kEnd)
              break;
            scratch_.push_back(ParseExpression());
          } while (Accept(Tok::kComma));
          SetList(n, mark);
          break;
        }
      }
      uint32_t first = ParseYieldOrStar();
      Tok k = K();
      if (k == Tok::kColon) {
        Next();
        n = NewNode(NodeKind::kAnnAssign, start);
        uint32_t ann = ParseExpression();
        N(n).a = first;
        N(n).b = ann;
        if (Accept(Tok::kEqual)) {
          uint32_t v = ParseYieldOrStar();
          N(n).c = v;
        }
      } else if (k == Tok::kEqual) {
        n = NewNode(NodeKind::kAssign, start);
        size_t mark = scratch_.size();
        uint32_t last = first;
        while (Accept(Tok::kEqual)) {
          scratch_.push_back(last);
          last = ParseYieldOrStar();
        }
        N(n).a = last;
        SetList(n, mark);
      } else if (k >= Tok::kPlusEqual && k <= Tok::kAtEqual) {
        static const BinOp kAug[] = {
            BinOp::kAdd,    BinOp::kSub,    BinOp::kMult,   BinOp::kDiv,
            BinOp::kFloorDiv, BinOp::kMod,  BinOp::kPow,    BinOp::kBitOr,
            BinOp::kBitAnd, BinOp::kBitXor, BinOp::kLShift, BinOp::kRShift,
            BinOp::kMatMult};
        Next();
        n = NewNode(NodeKind::kAugAssign, start);
        uint32_t v = ParseYieldOrStar();
        N(n).a = first;
        N(n).op = static_cast<uint16_t>(
            kAug[static_cast<int>(k) - static_cast<int>(Tok::kPlusEqual)]);
        N(n).b = v;
      } else {
        n = NewNode(NodeKind::kExpr, start);
        N(n).a = first;
      }
      break;
    }
  }
  scratch_.push_back(n);
}

void Parser::ParseImport() {
  size_t start = p_;
  Next();
  uint32_t n = NewNode(NodeKind::kImport, start);
  size_t mark = scratch_.size();
  std::string name;
  do {
    size_t at = p_;
    name.clear();
    name.append(Text(ExpectName()));
    while (Accept(Tok::kDot)) {
      name += '.';
      name.append(Text(ExpectName()));
    }
    uint32_t al = NewNode(NodeKind::kAlias, at);
    uint32_t off = AddString(name);
    N(al).a = off;
    N(al).b = static_cast<uint32_t>(name.size());
    if (Accept(Tok::kAs)) N(al).tok = ExpectName();
    scratch_.push_back(al);
  } while (Accept(Tok::kComma));
  SetList(n, mark);
  scratch_.push_back(n);
}

void Parser::ParseFromImport() {
  size_t start = p_;
  Next();
  uint32_t n = NewNode(NodeKind::kImportFrom, start);
  int level = 0;
  for (;;) {
    if (Accept(Tok::kDot)) {
      ++level;
    } else if (Accept(Tok::kEllipsis)) {
      level += 3;
    } else {
      break;
    }
  }
  std::string mod;
  if (K() == Tok::kName) {
    mod.append(Text(ExpectName()));
    while (Accept(Tok::kDot)) {
      mod += '.';
      mod.append(Text(ExpectName()));
    }
  } else if (level == 0) {
    Fail("a module name");
  }
  N(n).a = AddString(mod);
  N(n).b = static_cast<uint32_t>(mod.size());
  N(n).op = static_cast<uint16_t>(level > 0xFFFF ? 0xFFFF : level);
  Expect(Tok::kImport);
  size_t mark = scratch_.size();
  if (K() == Tok::kStar) {
    uint32_t al = NewNode(NodeKind::kAlias, p_);
    Next();
    N(al).a = AddString("*");
    N(al).b = 1;
    scratch_.push_back(al);
  } else {
    bool paren = Accept(Tok::kLPar);
    do {
      if (paren && K() == Tok::kRPar) break;
      size_t at = p_;
      uint32_t nt = ExpectName();
      uint32_t al = NewNode(NodeKind::kAlias, at);
      std::string_view nm = Text(nt);
      N(al).a = AddString(nm);
      N(al).b = static_cast<uint32_t>(nm.size());
      if (Accept(Tok::kAs)) N(al).tok = ExpectName();
      scratch_.push_back(al);
    } while (Accept(Tok::kComma));
    if (paren) Expect(Tok::kRPar);
  }
  SetList(n, mark);
  scratch_.push_back(n);
}

// ':' followed by an indented block or simple statements on the same line.
void Parser::ParseBlock(uint32_t owner) {
  Expect(Tok::kColon);
  size_t mark = scratch_.size();
  if (K() == Tok::kNewline) {
    Next();
    if (K() != Tok::kIndent) {
      AddError(p_, "expected an indented block");
      throw ParseFail{};
    }
    Next();
    ParseBlockBody(mark);
    Accept(Tok::kDedent);
  } else {
    ParseSimpleStatements();
  }
  SetList(owner, mark);
}

uint32_t Parser::ParseBlockSeq() {
  uint32_t s = NewNode(NodeKind::kSeq, p_);
  ParseBlock(s);
  return s;
}

uint32_t Parser::ParseTypeParams() {
  if (K() != Tok::kLSqb) return 0;
  size_t start = p_;
  Next();
  size_t mark = scratch_.size();
  while (K() != Tok::kRSqb) {
    size_t at = p_;
    NodeKind k = NodeKind::kTypeVar;
    if (Accept(Tok::kStar)) {
      k = NodeKind::kTypeVarTuple;
    } else if (Accept(Tok::kDoubleStar)) {
      k = NodeKind::kParamSpec;
    }
    uint32_t nm = ExpectName();
    uint32_t tp = NewNode(k, at);
    N(tp).tok = nm;
    if (k == NodeKind::kTypeVar && Accept(Tok::kColon)) {
      uint32_t b = ParseExpression();
      N(tp).a = b;
    }
    if (Accept(Tok::kEqual)) {
      uint32_t d = K() == Tok::kStar ? ParseStarExpression() : ParseExpression();
      N(tp).b = d;
    }
    scratch_.push_back(tp);
    if (!Accept(Tok::kComma)) break;
  }
  Expect(Tok::kRSqb);
  return NewSeq(start, mark);
}

void Parser::ParseFuncDef(size_t start, uint32_t decorators, bool is_async) {
  Expect(Tok::kDef);
  uint32_t name = ExpectName();
  uint32_t n = NewNode(
      is_async ? NodeKind::kAsyncFunctionDef : NodeKind::kFunctionDef, start);
  N(n).tok = name;
  N(n).c = decorators;
  uint32_t tp = ParseTypeParams();
  N(n).d = tp;
  Expect(Tok::kLPar);
  uint32_t args = ParseArguments(Tok::kRPar, true);
  N(n).a = args;
  Expect(Tok::kRPar);
  if (Accept(Tok::kArrow)) {
    uint32_t r = ParseExpression();
    N(n).b = r;
  }
  ParseBlock(n);
  scratch_.push_back(n);
}

void Parser::ParseClassDef(size_t start, uint32_t decorators) {
  Expect(Tok::kClass);
  uint32_t name = ExpectName();
  uint32_t n = NewNode(NodeKind::kClassDef, start);
  N(n).tok = name;
  N(n).c = decorators;
  uint32_t tp = ParseTypeParams();
  N(n).d = tp;
  if (K() == Tok::kLPar) {
    size_t at = p_;
    Next();
    size_t mark = scratch_.size();
    ParseCallArgs();
    uint32_t bases = NewSeq(at, mark);
    N(n).a = bases;
  }
  ParseBlock(n);
  scratch_.push_back(n);
}

void Parser::ParseDecorated() {
  size_t mark = scratch_.size();
  size_t first = p_;
  while (Accept(Tok::kAt)) {
    scratch_.push_back(ParseNamedExpression());
    Expect(Tok::kNewline);
  }
  uint32_t decos = NewSeq(first, mark);
  size_t start = p_;
  if (K() == Tok::kDef) {
    ParseFuncDef(start, decos, false);
  } else if (K() == Tok::kAsync && K1() == Tok::kDef) {
    Next();
    ParseFuncDef(start, decos, true);
  } else if (K() == Tok::kClass) {
    ParseClassDef(start, decos);
  } else {
    Fail("'def' or 'class' after decorators");
  }
}

void Parser::ParseIf() {
  // if/elif chains are built iteratively: each elif is an If in the
  // previous one's orelse.
  size_t start = p_;
  Next();
  uint32_t top = NewNode(NodeKind::kIf, start);
  uint32_t test = ParseNamedExpression();
  N(top).a = test;
  ParseBlock(top);
  uint32_t cur = top;
  while (K() == Tok::kElif) {
    size_t at = p_;
    Next();
    uint32_t e = NewNode(NodeKind::kIf, at);
    uint32_t et = ParseNamedExpression();
    N(e).a = et;
    ParseBlock(e);
    size_t mark = scratch_.size();
    scratch_.push_back(e);
    uint32_t seq = NewSeq(at, mark);
    N(cur).c = seq;
    cur = e;
  }
  if (K() == Tok::kElse) {
    Next();
    uint32_t s = ParseBlockSeq();
    N(cur).c = s;
  }
  scratch_.push_back(top);
}

void Parser::ParseWhile() {
  size_t start = p_;
  Next();
  uint32_t n = NewNode(NodeKind::kWhile, start);
  uint32_t test = ParseNamedExpression();
  N(n).a = test;
  ParseBlock(n);
  if (Accept(Tok::kElse)) {
    uint32_t s = ParseBlockSeq();
    N(n).c = s;
  }
  scratch_.push_back(n);
}

void Parser::ParseFor(size_t start, bool is_async) {
  Expect(Tok::kFor);
  uint32_t n = NewNode(is_async ? NodeKind::kAsyncFor : NodeKind::kFor, start);
  uint32_t target = ParseTargetList();
  N(n).a = target;
  Expect(Tok::kIn);
  uint32_t iter = ParseStarExpressions();
  N(n).b = iter;
  ParseBlock(n);
  if (Accept(Tok::kElse)) {
    uint32_t s = ParseBlockSeq();
    N(n).c = s;
  }
  scratch_.push_back(n);
}

bool Parser::ParenthesizedWithItems() const {
  // '(' ... ')' ':' with the parenthesis closing right before the colon.
  if (K() != Tok::kLPar || K1() == Tok::kYield) return false;
  int depth = 0;
  for (size_t i = p_; i < t_.size(); ++i) {
    Tok k = t_[i].kind;
    if (k == Tok::kLPar || k == Tok::kLSqb || k == Tok::kLBrace) {
      ++depth;
    } else if (k == Tok::kRPar || k == Tok::kRSqb || k == Tok::kRBrace) {
      if (--depth == 0)
        return i + 1 < t_.size() && t_[i + 1].kind == Tok::kColon;
    } else if (k == Tok::kNewline || k == Tok::kEnd) {
      return false;
    }
  }
  return false;
}

void Parser::ParseWith(size_t start, bool is_async) {
  Expect(Tok::kWith);
  uint32_t n =
      NewNode(is_async ? NodeKind::kAsyncWith : NodeKind::kWith, start);
  size_t items_at = p_;
  size_t mark = scratch_.size();
  bool paren = ParenthesizedWithItems();
  if (paren) Next();
  do {
    if (paren && K() == Tok::kRPar) break;
    size_t at = p_;
    uint32_t item = NewNode(NodeKind::kWithItem, at);
    uint32_t ctx = ParseExpression();
    N(item).a = ctx;
    if (Accept(Tok::kAs)) {
      uint32_t v = ParseTarget();
      N(item).b = v;
    }
    scratch_.push_back(item);
  } while (Accept(Tok::kComma));
  if (paren) Expect(Tok::kRPar);
  uint32_t items = NewSeq(items_at, mark);
  N(n).a = items;
  ParseBlock(n);
  scratch_.push_back(n);
}

void Parser::ParseTry() {
  size_t start = p_;
  Next();
  uint32_t n = NewNode(NodeKind::kTry, start);
  ParseBlock(n);
  size_t mark = scratch_.size();
  size_t hstart = p_;
  while (K() == Tok::kExcept) {
    size_t at = p_;
    Next();
    if (Accept(Tok::kStar)) N(n).kind = NodeKind::kTryStar;
    uint32_t h = NewNode(NodeKind::kExceptHandler, at);
    if (K() != Tok::kColon) {
      uint32_t type = ParseExpression();
      N(h).a = type;
      if (Accept(Tok::kAs)) {
        N(h).tok = ExpectName();
      } else if (K() == Tok::kComma) {
        AddError(p_, "Python 2 except clause");
        Next();
        ParseTarget();
      }
    }
    ParseBlock(h);
    scratch_.push_back(h);
  }
  uint32_t handlers = NewSeq(hstart, mark);
  N(n).a = handlers;
  if (Accept(Tok::kElse)) {
    uint32_t s = ParseBlockSeq();
    N(n).b = s;
  }
  if (Accept(Tok::kFinally)) {
    uint32_t s = ParseBlockSeq();
    N(n).c = s;
  }
  if (N(handlers).count == 0 && N(n).c == 0)
    Fail("'except' or 'finally' block");
  scratch_.push_back(n);
}

bool Parser::LooksLikeMatch() const {
  // `match` subject ':' NEWLINE INDENT, the subject starting an expression.
  Tok k1 = K1();
  if (!StartsExpression(k1) && k1 != Tok::kYield) return false;
  size_t i = p_ + 1;
  // A ';' ends the scan: a match header never holds one, and stopping there
  // keeps `match;match;...` lines linear.
  while (i < t_.size() && t_[i].kind != Tok::kNewline &&
         t_[i].kind != Tok::kEnd && t_[i].kind != Tok::kSemi)
    ++i;
  if (i + 1 >= t_.size() || t_[i].kind != Tok::kNewline) return false;
  return t_[i - 1].kind == Tok::kColon && t_[i + 1].kind == Tok::kIndent;
}

void Parser::ParseMatch() {
  size_t start = p_;
  Next();
  uint32_t n = NewNode(NodeKind::kMatch, start);
  uint32_t subject;
  {
    size_t at = p_;
    uint32_t first = ParseStarNamedExpression();
    if (K() == Tok::kComma) {
      size_t mark = scratch_.size();
      scratch_.push_back(first);
      while (Accept(Tok::kComma)) {
        if (K() == Tok::kColon) break;
        scratch_.push_back(ParseStarNamedExpression());
      }
      subject = NewNode(NodeKind::kTuple, at);
      SetList(subject, mark);
    } else {
      subject = first;
    }
  }
  N(n).a = subject;
  Expect(Tok::kColon);
  Expect(Tok::kNewline);
  Expect(Tok::kIndent);
  size_t mark = scratch_.size();
  while (K() != Tok::kDedent && K() != Tok::kEnd) {
    size_t at = p_;
    if (!IsName("case")) Fail("'case'");
    Next();
    uint32_t c = NewNode(NodeKind::kMatchCase, at);
    uint32_t pat = ParsePatterns();
    N(c).a = pat;
    if (Accept(Tok::kIf)) {
      uint32_t g = ParseNamedExpression();
      N(c).b = g;
    }
    ParseBlock(c);
    scratch_.push_back(c);
  }
  Accept(Tok::kDedent);
  SetList(n, mark);
  scratch_.push_back(n);
}

void Parser::ParseTypeAlias() {
  size_t start = p_;
  Next();  // 'type'
  uint32_t n = NewNode(NodeKind::kTypeAlias, start);
  size_t nt = p_;
  ExpectName();
  uint32_t name = NewNode(NodeKind::kName, nt);
  N(name).tok = static_cast<uint32_t>(nt);
  N(n).a = name;
  uint32_t tp = ParseTypeParams();
  N(n).d = tp;
  Expect(Tok::kEqual);
  uint32_t v = ParseExpression();
  N(n).b = v;
  scratch_.push_back(n);
  if (K() == Tok::kSemi) {
    Next();
    if (K() != Tok::kNewline && K() != Tok::kEnd) {
      ParseSimpleStatements();
      return;
    }
  }
  if (K() != Tok::kEnd) Expect(Tok::kNewline);
}

// ---------------------------------------------------------------------------
// Expressions.

uint32_t Parser::ParseYieldOrStar() {
  if (K() == Tok::kYield) return ParseYield();
  return ParseStarExpressions();
}

uint32_t Parser::ParseYield() {
  size_t start = p_;
  Next();
  if (Accept(Tok::kFrom)) {
    uint32_t n = NewNode(NodeKind::kYieldFrom, start);
    uint32_t v = ParseExpression();
    N(n).a = v;
    return n;
  }
  uint32_t n = NewNode(NodeKind::kYield, start);
  if (StartsExpression(K()) || K() == Tok::kYield) {
    uint32_t v = ParseStarExpressions();
    N(n).a = v;
  }
  return n;
}

uint32_t Parser::ParseStarExpressions() {
  size_t start = p_;
  uint32_t first = ParseStarExpression();
  if (K() != Tok::kComma) return first;
  size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (Accept(Tok::kComma)) {
    if (!StartsExpression(K())) break;
    scratch_.push_back(ParseStarExpression());
  }
  uint32_t t = NewNode(NodeKind::kTuple, start);
  SetList(t, mark);
  return t;
}

uint32_t Parser::ParseStarExpression() {
  if (K() == Tok::kStar) {
    size_t start = p_;
    Next();
    uint32_t n = NewNode(NodeKind::kStarred, start);
    uint32_t v = ParseBinary(1);
    N(n).a = v;
    return n;
  }
  return ParseExpression();
}

uint32_t Parser::ParseStarNamedExpression() {
  if (K() == Tok::kStar) {
    size_t start = p_;
    Next();
    uint32_t n = NewNode(NodeKind::kStarred, start);
    uint32_t v = ParseBinary(1);
    N(n).a = v;
    return n;
  }
  return ParseNamedExpression();
}

uint32_t Parser::ParseNamedExpression() {
  if (K() == Tok::kName && K1() == Tok::kColonEqual) {
    size_t start = p_;
    uint32_t target = NewNode(NodeKind::kName, start);
    N(target).tok = static_cast<uint32_t>(start);
    Next();
    Next();
    uint32_t n = NewNode(NodeKind::kNamedExpr, start);
    uint32_t v = ParseExpression();
    N(n).a = target;
    N(n).b = v;
    return n;
  }
  return ParseExpression();
}

namespace {
// Tokens that no operator level takes after an operand (closing brackets,
// separators, `=`, end of line): an operand followed by one is the whole
// expression.
bool EndsExpression(Tok k) {
  switch (k) {
    case Tok::kComma: case Tok::kRPar: case Tok::kRSqb: case Tok::kRBrace:
    case Tok::kColon: case Tok::kEqual: case Tok::kNewline: case Tok::kSemi:
      return true;
    default:
      return false;
  }
}
}  // namespace

uint32_t Parser::ParseExpression() {
  if (K() == Tok::kLambda) {
    DepthGuard guard(this);
    return ParseLambda();
  }
  size_t start = p_;
  // Fast path: an expression that starts with a primary (no unary operator,
  // `not` or `await`) parses it first, since the descent through the eight
  // operator levels reaches it before anything else and builds nothing
  // around a bare operand. Followed by a token no level takes (`f(a, 1)`,
  // `x = y`, `g(x)` at the end of a line) it is the whole expression;
  // otherwise the levels run with it as their first operand (pre_node_).
  switch (K()) {
    case Tok::kName: case Tok::kNumber: case Tok::kString: case Tok::kNone:
    case Tok::kTrue: case Tok::kFalse:
      if (EndsExpression(K1())) return ParsePrimary();
      [[fallthrough]];
    case Tok::kFStringStart: case Tok::kEllipsis: case Tok::kLPar:
    case Tok::kLSqb: case Tok::kLBrace: {
      uint32_t e = ParsePrimary();
      if (EndsExpression(K())) return e;
      pre_node_ = e;
      pre_start_ = start;
      break;
    }
    default:
      break;
  }
  uint32_t body = ParseDisjunction();
  if (K() != Tok::kIf) return body;
  Next();
  uint32_t n = NewNode(NodeKind::kIfExp, start);
  uint32_t test = ParseDisjunction();
  Expect(Tok::kElse);
  DepthGuard guard(this);
  uint32_t orelse = ParseExpression();
  N(n).a = test;
  N(n).b = body;
  N(n).c = orelse;
  return n;
}

uint32_t Parser::ParseLambda() {
  size_t start = p_;
  Next();
  uint32_t n = NewNode(NodeKind::kLambda, start);
  uint32_t args = ParseArguments(Tok::kColon, false);
  N(n).a = args;
  Expect(Tok::kColon);
  uint32_t body = ParseExpression();
  N(n).b = body;
  return n;
}

uint32_t Parser::ParseDisjunction() {
  size_t start = Start();
  uint32_t first = ParseConjunction();
  if (K() != Tok::kOr) return first;
  size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (Accept(Tok::kOr)) scratch_.push_back(ParseConjunction());
  uint32_t n = NewNode(NodeKind::kBoolOp, start);
  N(n).op = static_cast<uint16_t>(BoolOp::kOr);
  SetList(n, mark);
  return n;
}

uint32_t Parser::ParseConjunction() {
  size_t start = Start();
  uint32_t first = ParseInversion();
  if (K() != Tok::kAnd) return first;
  size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (Accept(Tok::kAnd)) scratch_.push_back(ParseInversion());
  uint32_t n = NewNode(NodeKind::kBoolOp, start);
  N(n).op = static_cast<uint16_t>(BoolOp::kAnd);
  SetList(n, mark);
  return n;
}

uint32_t Parser::ParseInversion() {
  if (!pre_node_ && K() == Tok::kNot) {
    DepthGuard guard(this);
    size_t start = p_;
    Next();
    uint32_t n = NewNode(NodeKind::kUnaryOp, start);
    N(n).op = static_cast<uint16_t>(UnaryOp::kNot);
    uint32_t v = ParseInversion();
    N(n).a = v;
    return n;
  }
  return ParseComparison();
}

uint32_t Parser::ParseComparison() {
  size_t start = Start();
  uint32_t left = ParseBinary(1);
  size_t mark = scratch_.size();
  for (;;) {
    CmpOp op;
    switch (K()) {
      case Tok::kEqEqual: op = CmpOp::kEq; Next(); break;
      case Tok::kNotEqual: op = CmpOp::kNotEq; Next(); break;
      case Tok::kLess: op = CmpOp::kLt; Next(); break;
      case Tok::kLessEqual: op = CmpOp::kLtE; Next(); break;
      case Tok::kGreater: op = CmpOp::kGt; Next(); break;
      case Tok::kGreaterEqual: op = CmpOp::kGtE; Next(); break;
      case Tok::kIn: op = CmpOp::kIn; Next(); break;
      case Tok::kNot:
        if (K1() != Tok::kIn) goto done;
        op = CmpOp::kNotIn;
        Next();
        Next();
        break;
      case Tok::kIs:
        Next();
        op = Accept(Tok::kNot) ? CmpOp::kIsNot : CmpOp::kIs;
        break;
      default:
        goto done;
    }
    scratch_.push_back(static_cast<uint32_t>(op));
    scratch_.push_back(ParseBinary(1));
  }
done:
  if (scratch_.size() == mark) return left;
  uint32_t n = NewNode(NodeKind::kCompare, start);
  N(n).a = left;
  SetList(n, mark);
  return n;
}

namespace {
// Binary operator precedence (1 = loosest) and AST operator of a token.
int Precedence(Tok k, BinOp* op) {
  switch (k) {
    case Tok::kVBar: *op = BinOp::kBitOr; return 1;
    case Tok::kCircumflex: *op = BinOp::kBitXor; return 2;
    case Tok::kAmper: *op = BinOp::kBitAnd; return 3;
    case Tok::kLeftShift: *op = BinOp::kLShift; return 4;
    case Tok::kRightShift: *op = BinOp::kRShift; return 4;
    case Tok::kPlus: *op = BinOp::kAdd; return 5;
    case Tok::kMinus: *op = BinOp::kSub; return 5;
    case Tok::kStar: *op = BinOp::kMult; return 6;
    case Tok::kSlash: *op = BinOp::kDiv; return 6;
    case Tok::kDoubleSlash: *op = BinOp::kFloorDiv; return 6;
    case Tok::kPercent: *op = BinOp::kMod; return 6;
    case Tok::kAt: *op = BinOp::kMatMult; return 6;
    default: return 0;
  }
}
}  // namespace

// Precedence climbing over the left-associative binary operators: one call
// per operand; recursion only goes up in precedence (at most 6 deep).
uint32_t Parser::ParseBinary(int min_prec) {
  size_t start = Start();
  uint32_t left = ParseFactor();
  for (;;) {
    BinOp op = BinOp::kAdd;
    int prec = Precedence(K(), &op);
    if (prec < min_prec) return left;
    Next();
    uint32_t right = ParseBinary(prec + 1);
    uint32_t n = NewNode(NodeKind::kBinOp, start);
    N(n).a = left;
    N(n).op = static_cast<uint16_t>(op);
    N(n).b = right;
    left = n;
  }
}

uint32_t Parser::ParseFactor() {
  if (pre_node_) return ParsePower();
  UnaryOp op;
  switch (K()) {
    case Tok::kPlus: op = UnaryOp::kUAdd; break;
    case Tok::kMinus: op = UnaryOp::kUSub; break;
    case Tok::kTilde: op = UnaryOp::kInvert; break;
    default: return ParsePower();
  }
  DepthGuard guard(this);
  size_t start = p_;
  Next();
  uint32_t n = NewNode(NodeKind::kUnaryOp, start);
  N(n).op = static_cast<uint16_t>(op);
  uint32_t v = ParseFactor();
  N(n).a = v;
  return n;
}

uint32_t Parser::ParsePower() {
  size_t start = Start();
  uint32_t base;
  if (pre_node_) {  // the primary ParseExpression already parsed
    base = pre_node_;
    pre_node_ = 0;
  } else if (K() == Tok::kAwait) {
    DepthGuard guard(this);
    Next();
    base = NewNode(NodeKind::kAwait, start);
    uint32_t v = ParsePrimary();
    N(base).a = v;
  } else {
    base = ParsePrimary();
  }
  if (K() != Tok::kDoubleStar) return base;
  DepthGuard guard(this);
  Next();
  uint32_t n = NewNode(NodeKind::kBinOp, start);
  uint32_t exp = ParseFactor();
  N(n).a = base;
  N(n).op = static_cast<uint16_t>(BinOp::kPow);
  N(n).b = exp;
  return n;
}

uint32_t Parser::ParsePrimary() {
  size_t start = p_;
  uint32_t e = ParseAtom();
  for (;;) {
    switch (K()) {
      case Tok::kDot: {
        Next();
        uint32_t name = ExpectName();
        uint32_t n = NewNode(NodeKind::kAttribute, start);
        N(n).a = e;
        N(n).tok = name;
        e = n;
        break;
      }
      case Tok::kLPar: {
        DepthGuard guard(this);
        Next();
        uint32_t n = NewNode(NodeKind::kCall, start);
        size_t mark = scratch_.size();
        ParseCallArgs();
        N(n).a = e;
        SetList(n, mark);
        e = n;
        break;
      }
      case Tok::kLSqb: {
        DepthGuard guard(this);
        Next();
        uint32_t n = NewNode(NodeKind::kSubscript, start);
        uint32_t s = ParseSlices();
        Expect(Tok::kRSqb);
        N(n).a = e;
        N(n).b = s;
        e = n;
        break;
      }
      default:
        return e;
    }
  }
}

void Parser::ParseCallArgs() {
  while (K() != Tok::kRPar) {
    size_t at = p_;
    if (K() == Tok::kStar) {
      Next();
      uint32_t n = NewNode(NodeKind::kStarred, at);
      uint32_t v = ParseExpression();
      N(n).a = v;
      scratch_.push_back(n);
    } else if (K() == Tok::kDoubleStar) {
      Next();
      uint32_t n = NewNode(NodeKind::kKeyword, at);
      uint32_t v = ParseExpression();
      N(n).a = v;
      scratch_.push_back(n);
    } else if (K() == Tok::kName && K1() == Tok::kEqual) {
      uint32_t name = static_cast<uint32_t>(p_);
      Next();
      Next();
      uint32_t n = NewNode(NodeKind::kKeyword, at);
      N(n).tok = name;
      uint32_t v = ParseExpression();
      N(n).a = v;
      scratch_.push_back(n);
    } else {
      uint32_t v = ParseNamedExpression();
      if (K() == Tok::kFor || (K() == Tok::kAsync && K1() == Tok::kFor)) {
        uint32_t g = NewNode(NodeKind::kGeneratorExp, at);
        size_t mark = scratch_.size();
        ParseComprehensions();
        N(g).a = v;
        SetList(g, mark);
        v = g;
      }
      scratch_.push_back(v);
    }
    if (!Accept(Tok::kComma)) break;
  }
  Expect(Tok::kRPar);
}

uint32_t Parser::ParseSlices() {
  size_t start = p_;
  uint32_t first = ParseSlice();
  if (K() != Tok::kComma) return first;
  size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (Accept(Tok::kComma)) {
    if (K() == Tok::kRSqb) break;
    scratch_.push_back(ParseSlice());
  }
  uint32_t t = NewNode(NodeKind::kTuple, start);
  SetList(t, mark);
  return t;
}

uint32_t Parser::ParseSlice() {
  size_t start = p_;
  uint32_t lower = 0;
  if (K() != Tok::kColon) {
    lower = ParseStarNamedExpression();
    if (K() != Tok::kColon) return lower;
  }
  Next();  // ':'
  uint32_t n = NewNode(NodeKind::kSlice, start);
  N(n).a = lower;
  if (K() != Tok::kColon && K() != Tok::kComma && K() != Tok::kRSqb) {
    uint32_t u = ParseExpression();
    N(n).b = u;
  }
  if (Accept(Tok::kColon)) {
    if (K() != Tok::kComma && K() != Tok::kRSqb) {
      uint32_t s = ParseExpression();
      N(n).c = s;
    }
  }
  return n;
}

void Parser::ParseComprehensions() {
  while (K() == Tok::kFor || (K() == Tok::kAsync && K1() == Tok::kFor)) {
    size_t at = p_;
    bool is_async = Accept(Tok::kAsync);
    Next();  // 'for'
    uint32_t c = NewNode(NodeKind::kComprehension, at);
    if (is_async) N(c).flags = kFlagAsync;
    uint32_t target = ParseTargetList();
    Expect(Tok::kIn);
    uint32_t iter = ParseDisjunction();
    N(c).a = target;
    N(c).b = iter;
    size_t mark = scratch_.size();
    while (Accept(Tok::kIf)) scratch_.push_back(ParseDisjunction());
    SetList(c, mark);
    scratch_.push_back(c);
  }
}

uint32_t Parser::ParseTarget() {
  if (K() == Tok::kStar) {
    size_t start = p_;
    Next();
    uint32_t n = NewNode(NodeKind::kStarred, start);
    uint32_t v = ParseBinary(1);
    N(n).a = v;
    return n;
  }
  return ParseBinary(1);
}

uint32_t Parser::ParseTargetList() {
  size_t start = p_;
  uint32_t first = ParseTarget();
  if (K() != Tok::kComma) return first;
  size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (Accept(Tok::kComma)) {
    if (K() == Tok::kIn) break;
    scratch_.push_back(ParseTarget());
  }
  uint32_t t = NewNode(NodeKind::kTuple, start);
  SetList(t, mark);
  return t;
}

uint32_t Parser::ParseArguments(Tok close, bool annotations) {
  uint32_t n = NewNode(NodeKind::kArguments, p_);
  size_t mark = scratch_.size();
  ArgKind kind = ArgKind::kNormal;
  while (K() != close) {
    size_t at = p_;
    if (Accept(Tok::kSlash)) {
      for (size_t i = mark; i < scratch_.size(); ++i)
        N(scratch_[i]).op = static_cast<uint16_t>(ArgKind::kPosOnly);
    } else {
      ArgKind this_kind = kind;
      if (Accept(Tok::kStar)) {
        kind = ArgKind::kKwOnly;
        if (K() == Tok::kComma || K() == close) {
          if (!Accept(Tok::kComma)) break;
          continue;
        }
        this_kind = ArgKind::kVarArg;
      } else if (Accept(Tok::kDoubleStar)) {
        this_kind = ArgKind::kKwArg;
      }
      if (K() == Tok::kLPar) {
        AddError(p_, "Python 2 tuple parameter");
        throw ParseFail{};
      }
      uint32_t name = ExpectName();
      uint32_t arg = NewNode(NodeKind::kArg, at);
      N(arg).tok = name;
      N(arg).op = static_cast<uint16_t>(this_kind);
      if (annotations && Accept(Tok::kColon)) {
        uint32_t ann = K() == Tok::kStar ? ParseStarExpression()
                                         : ParseExpression();
        N(arg).a = ann;
      }
      if (Accept(Tok::kEqual)) {
        uint32_t d = ParseExpression();
        N(arg).b = d;
      }
      scratch_.push_back(arg);
    }
    if (!Accept(Tok::kComma)) break;
  }
  SetList(n, mark);
  return n;
}

uint32_t Parser::ParseAtom() {
  size_t start = p_;
  switch (K()) {
    case Tok::kName: {
      Next();
      uint32_t n = NewNode(NodeKind::kName, start);
      N(n).tok = static_cast<uint32_t>(start);
      return n;
    }
    case Tok::kNumber:
    case Tok::kNone:
    case Tok::kTrue:
    case Tok::kFalse:
    case Tok::kEllipsis: {
      ConstKind ck = K() == Tok::kNumber  ? ConstKind::kNumber
                     : K() == Tok::kNone  ? ConstKind::kNone
                     : K() == Tok::kTrue  ? ConstKind::kTrue
                     : K() == Tok::kFalse ? ConstKind::kFalse
                                          : ConstKind::kEllipsis;
      Next();
      uint32_t n = NewNode(NodeKind::kConstant, start);
      N(n).flags = static_cast<uint8_t>(ck);
      N(n).tok = static_cast<uint32_t>(start);
      return n;
    }
    case Tok::kString:
    case Tok::kFStringStart:
      return ParseStrings();
    case Tok::kLPar: {
      DepthGuard guard(this);
      return ParseParenAtom(start);
    }
    case Tok::kLSqb: {
      DepthGuard guard(this);
      return ParseListAtom(start);
    }
    case Tok::kLBrace: {
      DepthGuard guard(this);
      return ParseBraceAtom(start);
    }
    case Tok::kBacktick: {
      DepthGuard guard(this);
      AddError(p_, "Python 2 backtick repr");
      Next();
      uint32_t n = NewNode(NodeKind::kRepr2, start);
      uint32_t v = ParseStarExpressions();
      N(n).a = v;
      Expect(Tok::kBacktick);
      return n;
    }
    default:
      Fail("an expression");
  }
}

uint32_t Parser::ParseStrings() {
  size_t start = p_;
  bool any_f = false;
  size_t count = 0;
  for (size_t i = p_;; ++i) {
    Tok k = t_[i].kind;
    if (k == Tok::kFStringStart) {
      any_f = true;
    } else if (k != Tok::kString && k != Tok::kFStringMiddle &&
               k != Tok::kFStringEnd) {
      break;
    }
    if (k == Tok::kString) ++count;
    if (any_f) break;
  }
  if (!any_f) {
    // Plain strings only: one Constant over adjacent tokens.
    uint32_t n = NewNode(NodeKind::kConstant, start);
    bool bytes = false;
    std::string_view first = Text(p_);
    for (char c : first) {
      if (c == '\'' || c == '"') break;
      if ((c | 0x20) == 'b') bytes = true;
    }
    size_t k = 0;
    while (K() == Tok::kString) {
      CheckEscapes(p_);
      Next();
      ++k;
    }
    N(n).flags =
        static_cast<uint8_t>(bytes ? ConstKind::kBytes : ConstKind::kStr);
    N(n).tok = static_cast<uint32_t>(start);
    N(n).a = static_cast<uint32_t>(k);
    return n;
  }
  uint32_t n = NewNode(NodeKind::kJoinedStr, start);
  size_t mark = scratch_.size();
  while (K() == Tok::kString || K() == Tok::kFStringStart) {
    if (K() == Tok::kString) {
      uint32_t c = NewNode(NodeKind::kConstant, p_);
      N(c).flags = static_cast<uint8_t>(ConstKind::kStr);
      N(c).tok = static_cast<uint32_t>(p_);
      N(c).a = 1;
      scratch_.push_back(c);
      CheckEscapes(p_);
      Next();
    } else {
      ParseFStringParts();
    }
  }
  SetList(n, mark);
  return n;
}

void Parser::ParseFStringParts() {
  DepthGuard guard(this);
  std::string_view prefix = Text(p_);
  bool raw = false;
  for (char c : prefix) {
    if (c == '\'' || c == '"') break;
    if ((c | 0x20) == 'r') raw = true;
  }
  Expect(Tok::kFStringStart);
  for (;;) {
    if (K() == Tok::kFStringMiddle) {
      uint32_t c = NewNode(NodeKind::kConstant, p_);
      N(c).flags = static_cast<uint8_t>(ConstKind::kFMiddle);
      N(c).tok = static_cast<uint32_t>(p_);
      N(c).a = raw ? 1 : 0;
      scratch_.push_back(c);
      std::string err;
      if (!CheckFStringMiddleEscapes(Text(p_), raw, &err))
        AddError(p_, "invalid escape in f-string: " + err);
      Next();
    } else if (K() == Tok::kLBrace) {
      scratch_.push_back(ParseReplacementField());
    } else {
      break;
    }
  }
  Expect(Tok::kFStringEnd);
}

uint32_t Parser::ParseReplacementField() {
  DepthGuard guard(this);
  size_t start = p_;
  Next();  // '{'
  uint32_t n = NewNode(NodeKind::kFormattedValue, p_);
  uint32_t v = ParseYieldOrStar();
  N(n).a = v;
  if (Accept(Tok::kEqual)) N(n).flags |= kFlagDebug;
  if (Accept(Tok::kExclaim)) {
    uint32_t conv = ExpectName();
    std::string_view c = Text(conv);
    N(n).op = c.empty() ? 0 : static_cast<uint16_t>(c[0]);
  }
  if (K() == Tok::kColon) {
    size_t at = p_;
    Next();
    uint32_t spec = NewNode(NodeKind::kJoinedStr, at);
    size_t mark = scratch_.size();
    for (;;) {
      if (K() == Tok::kFStringMiddle) {
        uint32_t c = NewNode(NodeKind::kConstant, p_);
        N(c).flags = static_cast<uint8_t>(ConstKind::kFMiddle);
        N(c).tok = static_cast<uint32_t>(p_);
        scratch_.push_back(c);
        Next();
      } else if (K() == Tok::kLBrace) {
        scratch_.push_back(ParseReplacementField());
      } else {
        break;
      }
    }
    SetList(spec, mark);
    N(n).b = spec;
  }
  (void)start;
  Expect(Tok::kRBrace);
  return n;
}

uint32_t Parser::ParseParenAtom(size_t start) {
  Next();  // '('
  if (Accept(Tok::kRPar)) return NewNode(NodeKind::kTuple, start);
  if (K() == Tok::kYield) {
    uint32_t y = ParseYield();
    Expect(Tok::kRPar);
    return y;
  }
  uint32_t first = ParseStarNamedExpression();
  if (K() == Tok::kFor || (K() == Tok::kAsync && K1() == Tok::kFor)) {
    uint32_t g = NewNode(NodeKind::kGeneratorExp, start);
    size_t mark = scratch_.size();
    ParseComprehensions();
    N(g).a = first;
    SetList(g, mark);
    Expect(Tok::kRPar);
    return g;
  }
  if (K() != Tok::kComma) {
    Expect(Tok::kRPar);
    return first;
  }
  size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (Accept(Tok::kComma)) {
    if (K() == Tok::kRPar) break;
    scratch_.push_back(ParseStarNamedExpression());
  }
  Expect(Tok::kRPar);
  uint32_t t = NewNode(NodeKind::kTuple, start);
  SetList(t, mark);
  return t;
}

uint32_t Parser::ParseListAtom(size_t start) {
  Next();  // '['
  if (Accept(Tok::kRSqb)) return NewNode(NodeKind::kList, start);
  uint32_t first = ParseStarNamedExpression();
  if (K() == Tok::kFor || (K() == Tok::kAsync && K1() == Tok::kFor)) {
    uint32_t g = NewNode(NodeKind::kListComp, start);
    size_t mark = scratch_.size();
    ParseComprehensions();
    N(g).a = first;
    SetList(g, mark);
    Expect(Tok::kRSqb);
    return g;
  }
  size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (Accept(Tok::kComma)) {
    if (K() == Tok::kRSqb) break;
    scratch_.push_back(ParseStarNamedExpression());
  }
  Expect(Tok::kRSqb);
  uint32_t l = NewNode(NodeKind::kList, start);
  SetList(l, mark);
  return l;
}

uint32_t Parser::ParseBraceAtom(size_t start) {
  Next();  // '{'
  if (Accept(Tok::kRBrace)) return NewNode(NodeKind::kDict, start);
  size_t mark = scratch_.size();
  bool is_dict;
  if (K() == Tok::kDoubleStar) {
    Next();
    is_dict = true;
    scratch_.push_back(0);
    scratch_.push_back(ParseBinary(1));
  } else {
    uint32_t first = ParseStarNamedExpression();
    if (Accept(Tok::kColon)) {
      is_dict = true;
      uint32_t v = ParseExpression();
      if (K() == Tok::kFor || (K() == Tok::kAsync && K1() == Tok::kFor)) {
        uint32_t g = NewNode(NodeKind::kDictComp, start);
        ParseComprehensions();
        N(g).a = first;
        N(g).b = v;
        SetList(g, mark);
        Expect(Tok::kRBrace);
        return g;
      }
      scratch_.push_back(first);
      scratch_.push_back(v);
    } else {
      is_dict = false;
      if (K() == Tok::kFor || (K() == Tok::kAsync && K1() == Tok::kFor)) {
        uint32_t g = NewNode(NodeKind::kSetComp, start);
        ParseComprehensions();
        N(g).a = first;
        SetList(g, mark);
        Expect(Tok::kRBrace);
        return g;
      }
      scratch_.push_back(first);
    }
  }
  while (Accept(Tok::kComma)) {
    if (K() == Tok::kRBrace) break;
    if (is_dict) {
      if (Accept(Tok::kDoubleStar)) {
        scratch_.push_back(0);
        scratch_.push_back(ParseBinary(1));
      } else {
        scratch_.push_back(ParseExpression());
        Expect(Tok::kColon);
        scratch_.push_back(ParseExpression());
      }
    } else {
      scratch_.push_back(ParseStarNamedExpression());
    }
  }
  Expect(Tok::kRBrace);
  uint32_t d = NewNode(is_dict ? NodeKind::kDict : NodeKind::kSet, start);
  SetList(d, mark);
  return d;
}

// ---------------------------------------------------------------------------
// Patterns (match statement).

uint32_t Parser::ParsePatterns() {
  size_t start = p_;
  uint32_t first = K() == Tok::kStar ? ParseClosedPattern() : ParsePattern();
  if (K() != Tok::kComma) return first;
  size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (Accept(Tok::kComma)) {
    if (K() == Tok::kColon || K() == Tok::kIf) break;
    scratch_.push_back(K() == Tok::kStar ? ParseClosedPattern()
                                         : ParsePattern());
  }
  uint32_t n = NewNode(NodeKind::kMatchSequence, start);
  SetList(n, mark);
  return n;
}

uint32_t Parser::ParsePattern() {
  size_t start = p_;
  uint32_t p = ParseOrPattern();
  if (!Accept(Tok::kAs)) return p;
  uint32_t n = NewNode(NodeKind::kMatchAs, start);
  N(n).a = p;
  N(n).tok = ExpectName();
  return n;
}

uint32_t Parser::ParseOrPattern() {
  size_t start = p_;
  uint32_t first = ParseClosedPattern();
  if (K() != Tok::kVBar) return first;
  size_t mark = scratch_.size();
  scratch_.push_back(first);
  while (Accept(Tok::kVBar)) scratch_.push_back(ParseClosedPattern());
  uint32_t n = NewNode(NodeKind::kMatchOr, start);
  SetList(n, mark);
  return n;
}

uint32_t Parser::ParseLiteralOrValuePattern() {
  size_t start = p_;
  uint32_t v = ParseBinary(5);  // signed numbers, complex sums, names
  uint32_t n = NewNode(NodeKind::kMatchValue, start);
  N(n).a = v;
  return n;
}

uint32_t Parser::ParseClosedPattern() {
  DepthGuard guard(this);
  size_t start = p_;
  switch (K()) {
    case Tok::kStar: {
      Next();
      uint32_t n = NewNode(NodeKind::kMatchStar, start);
      N(n).tok = ExpectName();
      return n;
    }
    case Tok::kNone:
    case Tok::kTrue:
    case Tok::kFalse: {
      uint32_t n = NewNode(NodeKind::kMatchSingleton, start);
      N(n).tok = static_cast<uint32_t>(p_);
      Next();
      return n;
    }
    case Tok::kNumber:
    case Tok::kMinus:
    case Tok::kString:
    case Tok::kFStringStart:
      return ParseLiteralOrValuePattern();
    case Tok::kLPar:
    case Tok::kLSqb: {
      Tok close = K() == Tok::kLPar ? Tok::kRPar : Tok::kRSqb;
      bool paren = K() == Tok::kLPar;
      Next();
      size_t mark = scratch_.size();
      bool comma = false;
      while (K() != close) {
        scratch_.push_back(K() == Tok::kStar ? ParseClosedPattern()
                                             : ParsePattern());
        if (!Accept(Tok::kComma)) break;
        comma = true;
      }
      Expect(close);
      if (paren && !comma && scratch_.size() - mark == 1) {
        uint32_t only = scratch_.back();
        scratch_.pop_back();
        return only;  // a group
      }
      uint32_t n = NewNode(NodeKind::kMatchSequence, start);
      SetList(n, mark);
      return n;
    }
    case Tok::kLBrace: {
      Next();
      uint32_t n = NewNode(NodeKind::kMatchMapping, start);
      size_t mark = scratch_.size();
      while (K() != Tok::kRBrace) {
        if (Accept(Tok::kDoubleStar)) {
          N(n).tok = ExpectName();
        } else {
          if (K() == Tok::kNone || K() == Tok::kTrue || K() == Tok::kFalse) {
            uint32_t c = NewNode(NodeKind::kConstant, p_);
            N(c).tok = static_cast<uint32_t>(p_);
            N(c).flags = static_cast<uint8_t>(
                K() == Tok::kNone   ? ConstKind::kNone
                : K() == Tok::kTrue ? ConstKind::kTrue
                                    : ConstKind::kFalse);
            Next();
            scratch_.push_back(c);
          } else {
            scratch_.push_back(ParseBinary(5));
          }
          Expect(Tok::kColon);
          scratch_.push_back(ParsePattern());
        }
        if (!Accept(Tok::kComma)) break;
      }
      Expect(Tok::kRBrace);
      SetList(n, mark);
      return n;
    }
    case Tok::kName: {
      // Capture, wildcard, value (dotted) or class pattern.
      uint32_t name = NewNode(NodeKind::kName, start);
      N(name).tok = static_cast<uint32_t>(p_);
      Next();
      uint32_t e = name;
      bool dotted = false;
      while (Accept(Tok::kDot)) {
        dotted = true;
        uint32_t attr = ExpectName();
        uint32_t a = NewNode(NodeKind::kAttribute, start);
        N(a).a = e;
        N(a).tok = attr;
        e = a;
      }
      if (K() == Tok::kLPar) {
        Next();
        uint32_t n = NewNode(NodeKind::kMatchClass, start);
        N(n).a = e;
        size_t mark = scratch_.size();
        size_t kw_mark = 0;
        std::vector<uint32_t> kws;
        while (K() != Tok::kRPar) {
          if (K() == Tok::kName && K1() == Tok::kEqual) {
            size_t at = p_;
            uint32_t kn = static_cast<uint32_t>(p_);
            Next();
            Next();
            uint32_t kw = NewNode(NodeKind::kKeyword, at);
            N(kw).tok = kn;
            uint32_t pat = ParsePattern();
            N(kw).a = pat;
            kws.push_back(kw);
          } else {
            scratch_.push_back(ParsePattern());
          }
          if (!Accept(Tok::kComma)) break;
        }
        (void)kw_mark;
        Expect(Tok::kRPar);
        SetList(n, mark);
        size_t km = scratch_.size();
        scratch_.insert(scratch_.end(), kws.begin(), kws.end());
        uint32_t seq = NewSeq(start, km);
        N(n).b = seq;
        return n;
      }
      if (dotted) {
        uint32_t n = NewNode(NodeKind::kMatchValue, start);
        N(n).a = e;
        return n;
      }
      uint32_t n = NewNode(NodeKind::kMatchAs, start);
      if (Text(N(name).tok) != "_") N(n).tok = N(name).tok;
      return n;
    }
    default:
      Fail("a pattern");
  }
}

// Offset of the first byte that is not part of a well-formed UTF-8
// sequence (overlongs, surrogates and code points past U+10FFFF included),
// or npos.
size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    // ASCII runs eight bytes at a time (most source is ASCII).
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    uint32_t min;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + len > n) return i;
    uint32_t cp = c & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
      unsigned char d = s[i + k];
      if ((d & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace

void Parse(std::string_view bytes, Ast* ast) {
  ast->tokens.clear();
  ast->nodes.clear();
  ast->lists.clear();
  ast->strings.clear();
  ast->errors.clear();
  PrepareSource(bytes, &ast->source);
  Tokenize(ast->source.text, &ast->tokens, &ast->errors);
  const std::string& enc = ast->source.encoding;
  if (!ast->source.error.empty()) {
    ast->errors.insert(ast->errors.begin(),
                       SyntaxError{1, 0, ast->source.error});
  } else if (enc.empty() || enc == "utf-8" || enc == "utf8" ||
             enc == "utf_8" || enc.rfind("utf-8-", 0) == 0 ||
             enc.rfind("utf_8_", 0) == 0) {
    size_t bad = FirstInvalidUtf8(ast->source.text);
    if (bad != std::string_view::npos) {
      std::string_view before = ast->source.text.substr(0, bad);
      uint32_t line = 1;
      size_t last_nl = std::string_view::npos;
      for (size_t i = 0; i < before.size(); ++i) {
        if (before[i] == '\n') {
          ++line;
          last_nl = i;
        }
      }
      uint32_t col = static_cast<uint32_t>(
          last_nl == std::string_view::npos ? bad : bad - last_nl - 1);
      char msg[80];
      std::snprintf(msg, sizeof msg, "invalid UTF-8 byte 0x%02x",
                    static_cast<unsigned char>(ast->source.text[bad]));
      ast->errors.insert(ast->errors.begin(), SyntaxError{line, col, msg});
    }
  }
  ast->nodes.reserve(ast->tokens.size() + 16);
  ast->lists.reserve(ast->tokens.size() / 4 + 16);
  Parser p(ast);
  p.ParseModule();
}

}  // namespace python
}  // namespace pyward
