#include "audit/audit_inputs.h"

#include "audit/environment.h"
#include "audit/lockfiles.h"

#include "audit/pyproject.h"
#include "audit/requirements_file.h"
#include "util/file_util.h"
#include "util/strings.h"

namespace pyward {

namespace {

constexpr uint64_t kMaxManifestBytes = 64ull << 20;

std::string_view BaseName(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool IsRequirementsName(std::string_view base) {
  std::string lower = ToLower(base);
  return lower.rfind("requirements", 0) == 0 &&
         (EndsWithIgnoreCase(lower, ".txt") || EndsWithIgnoreCase(lower, ".in"));
}

}  // namespace

InputKind ClassifyInputFile(std::string_view path) {
  std::string_view base = BaseName(path);
  if (base == "pyproject.toml") return InputKind::kPyproject;
  if (IsLockfileName(base)) return InputKind::kLockfile;
  return InputKind::kRequirements;
}

bool ExpandAuditInput(const std::string& arg, bool as_environment,
                      std::vector<AuditInput>* out, std::string* err) {
  PathKind kind = GetPathKind(arg);
  if (kind == PathKind::kMissing) {
    *err = "no such file or folder";
    return false;
  }
  if (as_environment) {
    out->push_back({arg, arg, InputKind::kEnvironment});
    return true;
  }
  if (kind != PathKind::kDirectory) {
    out->push_back({arg, arg, ClassifyInputFile(arg)});
    return true;
  }
  std::vector<std::string> names;
  if (!ListDir(arg, &names, err)) return false;
  bool env = false;
  for (const std::string& n : names)
    if (n == "pyvenv.cfg" || EndsWithIgnoreCase(n, ".dist-info")) env = true;
  if (env) {
    out->push_back({arg, arg, InputKind::kEnvironment});
    return true;
  }
  std::string dir = arg;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  size_t before = out->size();
  for (const std::string& n : names) {
    std::string path = dir + "/" + n;
    if (GetPathKind(path) != PathKind::kFile) continue;
    if (n == "pyproject.toml" || IsLockfileName(n) || IsRequirementsName(n))
      out->push_back({path, path, ClassifyInputFile(n)});
  }
  if (out->size() == before) {
    *err = "holds no requirements*.txt, pyproject.toml, lockfile or "
           "installed environment";
    return false;
  }
  return true;
}

bool ReadLockfileInput(const std::string& path, std::string_view content,
                       DependencySet* out, std::string* err) {
  return ReadLockfile(path, content, out, err);
}

bool ReadEnvironmentInput(const std::string& dir, DependencySet* out,
                          std::string* err) {
  return ReadEnvironment(dir, out, err);
}

bool ReadAuditInput(const AuditInput& in, DependencySet* set,
                    std::string* err) {
  if (in.kind == InputKind::kEnvironment)
    return ReadEnvironmentInput(in.path, set, err);
  std::string content;
  if (!ReadFile(in.path, kMaxManifestBytes, &content, err)) return false;
  switch (in.kind) {
    case InputKind::kPyproject:
      ReadPyproject(in.path, content, set);
      return true;
    case InputKind::kLockfile:
      return ReadLockfileInput(in.path, content, set, err);
    case InputKind::kRequirements:
    case InputKind::kEnvironment:
      break;
  }
  ReadRequirementsFile(in.path, content, DiskRequirementsContext(), set);
  return true;
}

}  // namespace pyward
