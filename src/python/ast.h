// The compact Python AST: every node lives in one vector (Ast::nodes) and
// refers to its children by index; lists of children are ranges of
// Ast::lists; names and literals are token indices into Ast::tokens, whose
// offsets point into the source text. Index 0 is the "no node" sentinel.
//
// Field use per kind (unlisted fields are 0; `seq` means a kSeq node whose
// list holds the items; `tok` kNoTok when absent):
//   Module            list=body
//   FunctionDef/AsyncFunctionDef
//                     tok=name a=arguments b=returns c=decorators(seq)
//                     d=type params(seq) list=body
//   ClassDef          tok=name a=bases and keywords(seq) c=decorators(seq)
//                     d=type params(seq) list=body
//   Return            a=value            Delete   list=targets
//   Assign            a=value list=targets
//   AugAssign         a=target op=BinOp b=value
//   AnnAssign         a=target b=annotation c=value
//   TypeAlias         a=name b=value d=type params(seq)
//   For/AsyncFor      a=target b=iter c=orelse(seq) list=body
//   While             a=test c=orelse(seq) list=body
//   If                a=test c=orelse(seq) list=body   (elif: If in orelse)
//   With/AsyncWith    a=items(seq of WithItem) list=body
//   WithItem          a=context b=optional vars
//   Match             a=subject list=cases;  MatchCase a=pattern b=guard
//                     list=body
//   Raise             a=exc b=cause      Assert   a=test b=msg
//   Try/TryStar       a=handlers(seq) b=orelse(seq) c=finalbody(seq)
//                     list=body
//   ExceptHandler     a=type tok=name list=body
//   Import            list=aliases;  Alias: a,b = offset,length of the dotted
//                     name in Ast::strings, tok=asname
//   ImportFrom        a,b = module in Ast::strings, op=level, list=aliases
//   Global/Nonlocal   list=Name nodes     Expr a=value
//   Print2/Exec2      Python 2 statements: list=operands
//   BoolOp            op=And|Or list=values
//   NamedExpr         a=target b=value    BinOp a=left op b=right
//   UnaryOp           op a=operand        Lambda a=arguments b=body
//   IfExp             a=test b=body c=orelse
//   Dict              list=key,value pairs (key 0 for `**value`)
//   Set/List/Tuple    list=elements
//   ListComp/SetComp/GeneratorExp  a=element list=comprehensions
//   DictComp          a=key b=value list=comprehensions
//   Comprehension     a=target b=iter list=ifs flags=kFlagAsync
//   Await/Yield/YieldFrom/Starred/Repr2  a=value
//   Compare           a=left list=op,comparator pairs (op is a CmpOp)
//   Call              a=func list=args then Keyword nodes
//   Keyword           tok=arg (kNoTok for **) a=value
//   FormattedValue    a=value op=conversion char b=format spec (JoinedStr)
//                     flags=kFlagDebug for `{x=}`
//   JoinedStr         list=parts (Constant string parts, FormattedValue)
//   Constant          flags=ConstKind; strings: tok=first token, a=count of
//                     adjacent tokens; f-string literal parts: tok=the
//                     FSTRING_MIDDLE token (kConstFMiddle, kFlagRaw if raw)
//   Attribute         a=value tok=attr   Subscript a=value b=slice
//   Name              tok=id             Slice a=lower b=upper c=step
//   Arguments         list=Arg nodes;  Arg tok=name a=annotation b=default
//                     op=ArgKind
//   TypeVar/ParamSpec/TypeVarTuple  tok=name a=bound b=default
//   MatchValue a=value; MatchSingleton tok; MatchSequence list;
//   MatchMapping list=key,pattern pairs tok=rest; MatchClass a=cls
//   list=patterns b=keyword patterns(seq of Keyword); MatchStar tok;
//   MatchAs a=pattern tok=name; MatchOr list
//   ErrorStmt         list=statements recovered inside a broken statement
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "python/tokenizer.h"

namespace pyward {
namespace python {

enum class NodeKind : uint8_t {
  kNone,
  kModule,
  // Statements.
  kFunctionDef, kAsyncFunctionDef, kClassDef, kReturn, kDelete, kAssign,
  kTypeAlias, kAugAssign, kAnnAssign, kFor, kAsyncFor, kWhile, kIf, kWith,
  kAsyncWith, kMatch, kRaise, kTry, kTryStar, kAssert, kImport, kImportFrom,
  kGlobal, kNonlocal, kExpr, kPass, kBreak, kContinue, kPrint2, kExec2,
  kErrorStmt,
  // Expressions.
  kBoolOp, kNamedExpr, kBinOp, kUnaryOp, kLambda, kIfExp, kDict, kSet,
  kListComp, kSetComp, kDictComp, kGeneratorExp, kAwait, kYield, kYieldFrom,
  kCompare, kCall, kFormattedValue, kJoinedStr, kConstant, kAttribute,
  kSubscript, kStarred, kName, kList, kTuple, kSlice, kRepr2,
  // Helpers.
  kSeq, kArguments, kArg, kKeyword, kAlias, kWithItem, kMatchCase,
  kExceptHandler, kComprehension, kTypeVar, kParamSpec, kTypeVarTuple,
  // Patterns.
  kMatchValue, kMatchSingleton, kMatchSequence, kMatchMapping, kMatchClass,
  kMatchStar, kMatchAs, kMatchOr,
  kCount
};

// The CPython class name of a kind ("FunctionDef", "Call").
const char* NodeKindName(NodeKind k);

enum class BinOp : uint16_t {
  kAdd, kSub, kMult, kMatMult, kDiv, kMod, kPow, kLShift, kRShift, kBitOr,
  kBitXor, kBitAnd, kFloorDiv
};
enum class UnaryOp : uint16_t { kInvert, kNot, kUAdd, kUSub };
enum class BoolOp : uint16_t { kAnd, kOr };
enum class CmpOp : uint32_t {
  kEq, kNotEq, kLt, kLtE, kGt, kGtE, kIs, kIsNot, kIn, kNotIn
};
enum class ArgKind : uint16_t { kPosOnly, kNormal, kVarArg, kKwOnly, kKwArg };
enum class ConstKind : uint8_t {
  kStr, kBytes, kNumber, kNone, kTrue, kFalse, kEllipsis, kFMiddle
};

enum NodeFlag : uint8_t { kFlagAsync = 1, kFlagDebug = 2, kFlagRaw = 4 };

constexpr uint32_t kNoTok = 0xFFFFFFFFu;

struct Node {
  NodeKind kind;
  uint8_t flags;   // NodeFlag bits, or the ConstKind of a Constant
  uint16_t op;     // operator / conversion / level, per kind
  uint32_t line;   // 1-based line where the node starts
  uint32_t col;    // 0-based byte column where it starts
  uint32_t tok;    // a token index (name, attribute, literal), or kNoTok
  uint32_t a, b, c, d;     // children / values, per kind (0 = none)
  uint32_t list, count;    // a range of Ast::lists
};

// One parsed file. It holds views into the bytes given to Parse(), which
// must outlive it (unless the source was transcoded, see PreparedSource).
struct Ast {
  PreparedSource source;
  TokenVector tokens;
  std::vector<Node> nodes;       // nodes[0] is the sentinel
  std::vector<uint32_t> lists;   // child index ranges
  std::string strings;           // dotted names of imports
  std::vector<SyntaxError> errors;  // tokenizer and parser errors, in order
  uint32_t root = 0;             // the Module node

  const Node& node(uint32_t i) const { return nodes[i]; }
  std::span<const uint32_t> list(const Node& n) const {
    return {lists.data() + n.list, n.count};
  }
  std::string_view TokText(uint32_t t) const {
    if (t >= tokens.size()) return {};
    return source.text.substr(tokens[t].off, tokens[t].len);
  }
  std::string_view Str(uint32_t off, uint32_t len) const {
    return std::string_view(strings).substr(off, len);
  }
  bool ok() const { return errors.empty(); }
};

// The child nodes of `node` in source order (operators, names, string
// offsets and empty slots left out) into *out: what a tree walk follows.
void Children(const Ast& ast, uint32_t node, std::vector<uint32_t>* out);
// The same children appended to *out (what was in it is kept).
void AppendChildren(const Ast& ast, uint32_t node, std::vector<uint32_t>* out);

// What a WalkTree visitor wants after seeing a node.
enum class Walk { kInto, kSkip, kStop };

// Visits `root` and its subtree depth-first, at most `budget` nodes (the
// empty node 0 is counted but not visited); `visit(n)` says whether to go
// into n's children, skip them, or stop. True when the visitor stopped.
template <class Visit>
bool WalkTree(const Ast& ast, uint32_t root, size_t budget, Visit&& visit) {
  std::vector<uint32_t> stack;
  stack.reserve(64);
  stack.push_back(root);
  while (!stack.empty() && budget-- > 0) {
    uint32_t n = stack.back();
    stack.pop_back();
    if (n == 0) continue;
    Walk w = visit(n);
    if (w == Walk::kStop) return true;
    if (w == Walk::kSkip) continue;
    AppendChildren(ast, n, &stack);
  }
  return false;
}

// Bound on expression and pattern nesting (brackets, unary operators,
// lambdas, conditional expressions): deeper input yields an error.
constexpr int kMaxNestingDepth = 300;

// Parses `bytes` (a whole file; BOM and PEP 263 cookie honoured) into *ast.
// Linear time and memory in the input size; the recursion depth is bounded
// (about 1 MB of stack at most, a few MB under sanitizers).
// Never fails: errors are recorded in ast->errors, and parsing resumes at
// the next statement, so every parsable statement is in the tree.
void Parse(std::string_view bytes, Ast* ast);

}  // namespace python
}  // namespace pyward
