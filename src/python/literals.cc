#include "python/literals.h"

#include "python/unicode_data.h"

namespace pyward {
namespace python {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads exactly `n` hex digits at s[i]; -1 when they are not there.
int64_t Hex(std::string_view s, size_t i, int n) {
  if (i + n > s.size()) return -1;
  int64_t v = 0;
  for (int k = 0; k < n; ++k) {
    int h = HexValue(s[i + k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// Decodes escapes of `body` (no quotes) into *out. `fstring` also
// undoubles braces.
bool DecodeBody(std::string_view body, bool raw, bool bytes, bool fstring,
                std::string* out, std::string* err) {
  bool ok = true;
  auto bad = [&](const char* what) {
    if (ok) *err = what;
    ok = false;
  };
  size_t i = 0, n = body.size();
  out->reserve(out->size() + n);
  while (i < n) {
    char c = body[i];
    if (fstring && (c == '{' || c == '}') && i + 1 < n && body[i + 1] == c) {
      out->push_back(c);
      i += 2;
      continue;
    }
    if (c != '\\' || raw) {
      if (fstring) {
        out->push_back(c);
        ++i;
        continue;
      }
      // Plain text up to the next escape (all of it when raw), in one copy.
      size_t j = raw ? n : body.find('\\', i);
      if (j == std::string_view::npos) j = n;
      out->append(body.data() + i, j - i);
      i = j;
      continue;
    }
    if (i + 1 >= n) {
      out->push_back('\\');
      ++i;
      continue;
    }
    char e = body[i + 1];
    i += 2;
    switch (e) {
      case '\n': break;
      case '\r':
        if (i < n && body[i] == '\n') ++i;
        break;
      case '\\': out->push_back('\\'); break;
      case '\'': out->push_back('\''); break;
      case '"': out->push_back('"'); break;
      case 'a': out->push_back('\a'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'v': out->push_back('\v'); break;
      case '0': case '1': case '2': case '3':
      case '4': case '5': case '6': case '7': {
        uint32_t v = e - '0';
        for (int k = 0; k < 2 && i < n && body[i] >= '0' && body[i] <= '7';
             ++k)
          v = v * 8 + (body[i++] - '0');
        if (bytes) {
          out->push_back(static_cast<char>(v & 0xFF));
        } else {
          AppendUtf8(v, out);
        }
        break;
      }
      case 'x': {
        int64_t v = Hex(body, i, 2);
        if (v < 0) {
          bad("truncated \\xXX escape");
          out->append("\\x");
          break;
        }
        i += 2;
        if (bytes) {
          out->push_back(static_cast<char>(v));
        } else {
          AppendUtf8(static_cast<char32_t>(v), out);
        }
        break;
      }
      case 'u':
      case 'U': {
        if (bytes) {
          out->push_back('\\');
          out->push_back(e);
          break;
        }
        int digits = e == 'u' ? 4 : 8;
        int64_t v = Hex(body, i, digits);
        if (v < 0 || v > 0x10FFFF) {
          bad(e == 'u' ? "truncated \\uXXXX escape"
                       : "illegal Unicode character in \\U escape");
          out->push_back('\\');
          out->push_back(e);
          break;
        }
        i += digits;
        AppendUtf8(static_cast<char32_t>(v), out);
        break;
      }
      case 'N': {
        if (bytes) {
          out->append("\\N");
          break;
        }
        size_t close = i < n && body[i] == '{' ? body.find('}', i) : std::string_view::npos;
        char32_t cp;
        if (close == std::string_view::npos ||
            !LookupUnicodeName(body.substr(i + 1, close - i - 1), &cp)) {
          bad("unknown Unicode character name in \\N{...} escape");
          out->append("\\N");
          break;
        }
        AppendUtf8(cp, out);
        i = close + 1;
        break;
      }
      default:
        // Unknown escapes are kept as written (CPython warns).
        out->push_back('\\');
        out->push_back(e);
        break;
    }
  }
  return ok;
}

// Syntax-only escape check of `body` (see CheckStringEscapes).
bool CheckBody(std::string_view body, bool bytes, std::string* err) {
  size_t i = body.find('\\');
  while (i != std::string_view::npos && i + 1 < body.size()) {
    char e = body[i + 1];
    size_t next = i + 2;
    int digits = 0;
    if (e == 'x') {
      digits = 2;
    } else if (!bytes && e == 'u') {
      digits = 4;
    } else if (!bytes && e == 'U') {
      digits = 8;
    } else if (!bytes && e == 'N') {
      size_t close = next < body.size() && body[next] == '{'
                         ? body.find('}', next)
                         : std::string_view::npos;
      if (close == std::string_view::npos || close == next + 1) {
        *err = "malformed \\N character escape";
        return false;
      }
      next = close + 1;
    }
    if (digits) {
      int64_t v = Hex(body, next, digits);
      if (v < 0) {
        *err = e == 'x' ? "truncated \\xXX escape"
               : e == 'u' ? "truncated \\uXXXX escape"
                          : "truncated \\UXXXXXXXX escape";
        return false;
      }
      if (v > 0x10FFFF) {
        *err = "illegal Unicode character in \\U escape";
        return false;
      }
      next += digits;
    }
    i = body.find('\\', next);
  }
  return true;
}

// Reads a string token's prefix letters (r, b, u, f in any case): sets *raw
// and *bytes and returns the index of the opening quote (token.size() when
// there is none).
size_t ReadPrefix(std::string_view token, bool* raw, bool* bytes) {
  size_t i = 0;
  while (i < token.size() && token[i] != '\'' && token[i] != '"') {
    char c = token[i] | 0x20;
    if (c == 'r') *raw = true;
    if (c == 'b') *bytes = true;
    ++i;
  }
  return i;
}

}  // namespace

bool CheckStringEscapes(std::string_view token, std::string* err) {
  if (token.find('\\') == std::string_view::npos) return true;
  bool raw = false, bytes = false;
  size_t i = ReadPrefix(token, &raw, &bytes);
  if (raw || i >= token.size()) return true;
  return CheckBody(token.substr(i), bytes, err);
}

bool CheckFStringMiddleEscapes(std::string_view text, bool raw,
                               std::string* err) {
  if (raw || text.find('\\') == std::string_view::npos) return true;
  return CheckBody(text, false, err);
}

bool DecodeStringToken(std::string_view token, std::string* out,
                       bool* is_bytes, std::string* err) {
  out->clear();
  bool raw = false, bytes = false;
  size_t i = ReadPrefix(token, &raw, &bytes);
  *is_bytes = bytes;
  if (i >= token.size()) {
    *err = "not a string literal";
    return false;
  }
  char q = token[i];
  size_t open = (i + 2 < token.size() && token[i + 1] == q && token[i + 2] == q)
                    ? 3 : 1;
  size_t start = i + open;
  size_t end = token.size();
  // An unterminated literal (recorded as a syntax error) has no closing
  // quote: decode what is there.
  bool closed = end >= start + open;
  if (closed) {
    for (size_t k = 0; k < open; ++k)
      if (token[end - 1 - k] != q) closed = false;
  }
  if (open == 3 && end - start < 3) closed = false;
  if (closed) end -= open;
  if (end < start) end = start;
  return DecodeBody(token.substr(start, end - start), raw, bytes, false, out,
                    err);
}

bool DecodeFStringMiddle(std::string_view text, bool raw, std::string* out,
                         std::string* err) {
  out->clear();
  return DecodeBody(text, raw, false, true, out, err);
}

bool ConstantValue(const Ast& ast, uint32_t node, std::string* out,
                   bool* is_bytes, std::string* err) {
  out->clear();
  if (node == 0 || node >= ast.nodes.size()) return false;
  const Node& n = ast.node(node);
  if (n.kind != NodeKind::kConstant) return false;
  ConstKind k = static_cast<ConstKind>(n.flags);
  if (k == ConstKind::kFMiddle) {
    *is_bytes = false;
    return DecodeFStringMiddle(ast.TokText(n.tok), n.a != 0, out, err);
  }
  if (k != ConstKind::kStr && k != ConstKind::kBytes) return false;
  bool ok = true;
  std::string piece;
  for (uint32_t t = n.tok; t < n.tok + n.a && t < ast.tokens.size(); ++t) {
    bool b;
    std::string e;
    // The first piece is decoded in place (*out is still empty).
    std::string* dest = t == n.tok ? out : &piece;
    if (!DecodeStringToken(ast.TokText(t), dest, &b, &e) && ok) {
      *err = e;
      ok = false;
    }
    if (t == n.tok) {
      *is_bytes = b;
    } else if (b != *is_bytes && ok) {
      *err = "cannot mix bytes and nonbytes literals";
      ok = false;
    }
    if (dest == &piece) out->append(piece);
  }
  return ok;
}

bool JoinedStrParts(const Ast& ast, uint32_t node,
                    std::vector<FStringPart>* parts, std::string* err) {
  parts->clear();
  if (node == 0 || node >= ast.nodes.size() ||
      ast.node(node).kind != NodeKind::kJoinedStr)
    return false;
  bool ok = true;
  std::string text;
  for (uint32_t child : ast.list(ast.node(node))) {
    const Node& c = ast.node(child);
    if (c.kind == NodeKind::kConstant) {
      bool b;
      std::string e;
      if (!ConstantValue(ast, child, &text, &b, &e) && ok) {
        *err = e;
        ok = false;
      }
      if (parts->empty() || parts->back().is_field) parts->emplace_back();
      parts->back().text += text;
    } else {
      FStringPart p;
      p.is_field = true;
      p.node = child;
      parts->push_back(std::move(p));
    }
  }
  return ok;
}

}  // namespace python
}  // namespace pyward
