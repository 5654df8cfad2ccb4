// pyward_pep440: a line-oriented oracle for the PEP 440 conformance test
// (tests/audit/pep440_conformance.py drives it and compares every answer
// with Python's `packaging`). Each input line is tab-separated:
//   parse<TAB>V            -> "valid<TAB><normalized>" | "invalid"
//   cmp<TAB>A<TAB>B        -> "-1" | "0" | "1"
//   contains<TAB>SPEC<TAB>V -> "true" | "false" | "invalid-spec"
#include <iostream>
#include <string>
#include <vector>

#include "audit/pep440.h"
#include "util/strings.h"

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    std::vector<std::string_view> f = pyward::Split(line, '\t');
    if (f[0] == "parse" && f.size() == 2) {
      pyward::Version v = pyward::Version::Parse(f[1]);
      if (v.is_legacy()) std::cout << "invalid\n";
      else std::cout << "valid\t" << v.Normalized() << "\n";
    } else if (f[0] == "cmp" && f.size() == 3) {
      int c = Compare(pyward::Version::Parse(f[1]), pyward::Version::Parse(f[2]));
      std::cout << c << "\n";
    } else if (f[0] == "contains" && f.size() == 3) {
      pyward::SpecifierSet s;
      std::string err;
      if (!pyward::SpecifierSet::Parse(f[1], &s, &err)) {
        std::cout << "invalid-spec\n";
      } else {
        std::cout << (s.Contains(pyward::Version::Parse(f[2])) ? "true" : "false")
                  << "\n";
      }
    } else {
      std::cout << "bad-command\n";
    }
  }
  return 0;
}
