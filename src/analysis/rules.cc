#include "analysis/rules.h"

#include "analysis/native_binary.h"
#include "util/data_files.h"
#include "util/strings.h"

namespace pyward {
namespace {

void CheckNative(const Package& pkg, const PackageFile& f, std::vector<Finding>* out) {
  NativeInfo info = ClassifyNative(f.data());
  if (info.kind == NativeKind::kNone) return;
  bool built = pkg.kind == ArtifactKind::kWheel || pkg.kind == ArtifactKind::kEgg;
  Finding fd;
  fd.file = f.path;
  fd.phase = Phase::kRuntime;
  if (info.kind == NativeKind::kExecutable) {
    fd.rule = "bundled-executable";
    // Source distributions should hold source; built ones sometimes ship launchers.
    fd.severity = built ? Severity::kMedium : Severity::kHigh;
    fd.message = std::string("bundled native ") + std::string(info.format) +
                 " executable: a program that can be started outside Python";
  } else {
    if (built) return;  // extension modules are expected in built distributions
    fd.rule = "bundled-native-code";
    fd.severity = Severity::kLow;
    fd.message = std::string("prebuilt native ") + std::string(info.format) +
                 " code in a source distribution";
  }
  out->push_back(std::move(fd));
}

}  // namespace

bool RuleSet::LoadDefault(std::string* err) {
  std::string data;
  if (!ReadDataFile("rules/install-exec.txt", &data, err)) return false;
  return LoadFromData(data, err) && LoadIndicators(DataDir() + "/indicators", err);
}

bool RuleSet::LoadFromData(std::string_view install_exec_data, std::string* err) {
  return install_exec_.Load(install_exec_data, err);
}

void RuleSet::Scan(const Package& pkg, std::vector<Finding>* out) const {
  for (const PackageFile& f : pkg.files) {
    size_t before = out->size();
    if (f.role == FileRole::kInstall) {
      if (EndsWithIgnoreCase(f.rel, ".pth")) install_exec_.CheckPth(f.path, f.data(), out);
      else if (EndsWithIgnoreCase(f.rel, ".py")) install_exec_.CheckSource(f.path, f.data(), out);
    }
    CheckNative(pkg, f, out);
    for (size_t i = before; i < out->size(); ++i) {
      if (f.role == FileRole::kTest) {
        (*out)[i].weight = kTestWeight;
        (*out)[i].phase = Phase::kNone;
      }
    }
  }
  AppendPackageIndicatorFindings(indicators_, pkg, out);
}

}  // namespace pyward
