// Fuzz target for the readers of dependency lists and advisory data: the
// text `pyward audit` and `pyward names` take from a user's project or from a
// downloaded database, none of which pyward wrote. The first byte picks the
// reader, the rest is its input:
//   0 requirements file (includes answered from memory, never the disk)
//   1 pyproject.toml                 2-6 poetry.lock, Pipfile.lock, uv.lock,
//   7 OSV advisory JSON                  pdm.lock, pylock.toml
//   8 policy TOML ([[allow]] / [[ignore]])
//   9 names config TOML              10 RECORD-style CSV
//  11 PEP 508 requirement, its marker evaluated
//  12 PEP 440 version and specifier set, compared and matched
//  13 Poetry constraint translated to PEP 440
// Built with libFuzzer when PYWARD_FUZZ=ON with clang; otherwise linked into
// fuzz_audit_replay, which ctest runs over fuzz/corpus/audit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "audit/environment.h"
#include "audit/lockfiles.h"
#include "audit/osv.h"
#include "audit/pep440.h"
#include "audit/pep508.h"
#include "audit/policy.h"
#include "audit/pyproject.h"
#include "audit/requirements_file.h"
#include "names/dep_confusion.h"

namespace {

using namespace pyward;

const MarkerEnvironment& Env() {
  static const MarkerEnvironment* env = [] {
    auto* e = new MarkerEnvironment;
    std::string err;
    if (!MarkerEnvironment::ForTarget("3.11", "linux", e, &err)) std::abort();
    return e;
  }();
  return *env;
}

// Exercises what the auditor does with a parsed dependency set.
void Touch(const DependencySet& set) {
  for (const auto& d : set.dependencies)
    if (d.version) Version::Parse(*d.version);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int which = data[0] % 14;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string err;
  switch (which) {
    case 0: {
      RequirementsContext ctx;
      // Every include resolves to the same input: cycles and depth limits
      // are reached without touching the disk.
      ctx.read_file = [in](const std::string&, std::string* content, std::string*) {
        *content = std::string(in);
        return true;
      };
      ctx.getenv = [](const std::string&) { return std::optional<std::string>("1.0"); };
      DependencySet set;
      ReadRequirementsFile("requirements.txt", in, ctx, &set);
      Touch(set);
      break;
    }
    case 1: {
      DependencySet set;
      ReadPyproject("pyproject.toml", in, &set);
      Touch(set);
      break;
    }
    case 2: case 3: case 4: case 5: case 6: {
      static const char* kNames[] = {"poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock",
                                     "pylock.toml"};
      DependencySet set;
      if (ReadLockfile(kNames[which - 2], in, &set, &err)) Touch(set);
      break;
    }
    case 7: {
      OsvAdvisory a;
      if (ParseOsvJson(in, &a, &err)) {
        Version v = Version::Parse("1.0");
        for (const auto& af : a.affected) {
          Affects(af, v);
          AffectedMatcher(af).Match(v, EqualityKey(v));
        }
      }
      break;
    }
    case 8: {
      Policy p;
      Policy::Parse(in, "policy.toml", &p, &err);
      break;
    }
    case 9: {
      NamesConfig c;
      ParseNamesConfig(in, "pyward-names.toml", &c, &err);
      break;
    }
    case 10:
      ParseCsv(in);
      break;
    case 11: {
      Requirement r;
      if (ParseRequirement(in, &r, &err)) {
        r.marker.Evaluate(Env());
        r.specifiers.Contains(Version::Parse("1.0"));
      }
      break;
    }
    case 12: {
      // "<version>\n<specifiers>"
      size_t nl = in.find('\n');
      std::string_view vtext = in.substr(0, nl);
      std::string_view stext = nl == std::string_view::npos ? in : in.substr(nl + 1);
      Version v = Version::Parse(vtext);
      Compare(v, Version::Parse(stext));
      EqualityKey(v);
      SpecifierSet s;
      if (SpecifierSet::Parse(stext, &s, &err)) {
        s.Contains(v, true);
        s.Contains(v, std::nullopt);
      }
      break;
    }
    case 13: {
      std::string out;
      PoetryToPep440(in, &out);
      break;
    }
  }
  return 0;
}
