#include "analysis/code_mask.h"

namespace pyward {

std::string MaskStringsAndComments(std::string_view src) {
  std::string out(src);
  size_t i = 0, n = src.size();
  while (i < n) {
    char c = src[i];
    if (c == '#') {
      while (i < n && src[i] != '\n') out[i++] = ' ';
      continue;
    }
    if (c != '\'' && c != '"') {
      ++i;
      continue;
    }
    bool triple = i + 2 < n && src[i + 1] == c && src[i + 2] == c;
    size_t q = triple ? 3 : 1;
    i += q;
    while (i < n) {
      char d = src[i];
      if (d == '\\' && i + 1 < n) {
        out[i] = ' ';
        if (src[i + 1] != '\n') out[i + 1] = ' ';
        i += 2;
        continue;
      }
      if (d == '\n' && !triple) break;  // unterminated: ends at the line
      if (d == c && (!triple || (i + 2 < n && src[i + 1] == c && src[i + 2] == c))) {
        i += q;
        break;
      }
      if (d != '\n') out[i] = ' ';
      ++i;
    }
  }
  return out;
}

}  // namespace pyward
