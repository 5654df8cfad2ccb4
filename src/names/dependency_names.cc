#include "names/dependency_names.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "names/name_rules.h"
#include "names/public_names.h"
#include "util/file_util.h"
#include "util/gzip.h"
#include "util/strings.h"

namespace pyward {
namespace {

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// The base name of a metadata file that declares dependencies, or "".
std::string_view MetadataKind(std::string_view rel) {
  size_t slash = rel.rfind('/');
  std::string_view base = slash == std::string_view::npos ? rel : rel.substr(slash + 1);
  std::string_view dir = slash == std::string_view::npos ? "" : rel.substr(0, slash);
  if (base == "PKG-INFO" || base == "METADATA") return base;
  if (base == "requires.txt" && EndsWith(dir, ".egg-info")) return base;
  return "";
}

// The decompressed public name list (sorted, one normalised name a line)
// and the offsets of its lines.
struct PublicList {
  bool ok = false;
  std::string text;
  std::vector<uint32_t> starts;
};

const PublicList& LoadPublicList() {
  static PublicList list;
  static std::once_flag once;
  std::call_once(once, [] {
    std::string gz, err;
    if (!ReadFile(DefaultPublicNamesPath(), uint64_t{256} << 20, &gz, &err)) return;
    if (!Gunzip(gz, uint64_t{1} << 30, &list.text, &err) || list.text.size() >= (1ull << 32)) {
      list.text.clear();
      return;
    }
    for (size_t pos = 0; pos < list.text.size();) {
      size_t nl = list.text.find('\n', pos);
      if (nl == std::string::npos) nl = list.text.size();
      if (nl > pos) list.starts.push_back(static_cast<uint32_t>(pos));
      pos = nl + 1;
    }
    list.ok = !list.starts.empty();
  });
  return list;
}

}  // namespace

std::string_view RequirementName(std::string_view line) {
  line = Trim(line);
  size_t end = 0;
  auto ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.';
  };
  if (line.empty() || !ok(line[0]) || line[0] == '-' || line[0] == '.' || line[0] == '_')
    return {};
  while (end < line.size() && ok(line[end])) ++end;
  return line.substr(0, end);
}

std::vector<PackageRequirement> DeclaredDependencies(const Package& pkg, size_t max) {
  std::vector<PackageRequirement> out;
  std::set<std::string> seen;
  auto add = [&](std::string_view line, const std::string& file) {
    std::string_view name = RequirementName(line);
    if (name.empty() || out.size() >= max) return;
    if (!seen.insert(NormalizeName(name)).second) return;
    out.push_back({std::string(name), file});
  };
  for (const PackageFile& f : pkg.files) {
    std::string_view kind = MetadataKind(f.rel);
    if (kind.empty() || f.role == FileRole::kTest || f.dormant) continue;
    std::string_view data = f.data().substr(0, 1 << 20);
    size_t pos = 0;
    while (pos < data.size() && out.size() < max) {
      size_t nl = data.find('\n', pos);
      if (nl == std::string_view::npos) nl = data.size();
      std::string_view line = data.substr(pos, nl - pos);
      pos = nl + 1;
      if (kind == "requires.txt") {
        if (!Trim(line).empty() && Trim(line)[0] != '[' && Trim(line)[0] != '#') add(line, f.path);
        continue;
      }
      // PKG-INFO / METADATA: headers end at the first empty line.
      if (Trim(line).empty()) break;
      constexpr std::string_view kKey = "requires-dist:";
      if (line.size() > kKey.size() && ToLower(line.substr(0, kKey.size())) == kKey)
        add(line.substr(kKey.size()), f.path);
    }
  }
  return out;
}

bool PublicIndexServes(std::string_view normalized) {
  const PublicList& list = LoadPublicList();
  if (!list.ok) return true;
  auto line_at = [&](uint32_t start) {
    size_t nl = list.text.find('\n', start);
    if (nl == std::string::npos) nl = list.text.size();
    return std::string_view(list.text).substr(start, nl - start);
  };
  auto it = std::lower_bound(list.starts.begin(), list.starts.end(), normalized,
                             [&](uint32_t s, std::string_view n) { return line_at(s) < n; });
  return it != list.starts.end() && line_at(*it) == normalized;
}

void AppendDependencyFindings(const NameChecker& names, const Package& pkg,
                              bool (*serves)(std::string_view), std::vector<Finding>* out) {
  std::string own = NormalizeName(pkg.name);
  for (const PackageRequirement& d : DeclaredDependencies(pkg)) {
    NameReport r = names.Check(d.name);
    if (!r.valid || r.normalized == own || r.matches.empty()) continue;
    Finding f;
    f.phase = Phase::kInstall;
    f.file = d.file;
    f.evidence = d.name;
    bool stdlib = false, malicious = false;
    for (const NameMatch& m : r.matches) {
      stdlib |= m.kind == "stdlib-name";
      if (m.kind == "known-malicious") {
        malicious = true;
        f.message = "depends on '" + d.name + "', a package an advisory reports as malicious (" +
                    m.advisory + ") (ATT&CK T1195.002)";
      }
    }
    if (malicious) {
      f.rule = "dependency-known-malicious";
      f.severity = Severity::kCritical;
      out->push_back(std::move(f));
      continue;
    }
    if (stdlib) continue;  // 'os', 'json' listed as requirements: a mistake, not a squat
    const NameMatch& m = r.matches.front();
    static const std::set<std::string_view> kSquatKinds = {
        "typo", "typo2", "repeats", "lookalike", "too-similar", "delimiter", "reorder",
        "plural", "spelling"};
    if (!kSquatKinds.count(m.kind) || m.score < 45) continue;
    bool served = serves(r.normalized);
    if (served && m.score < kNameSuspiciousScore) continue;
    f.rule = "dependency-typosquat";
    f.severity = served ? Severity::kMedium : Severity::kHigh;
    f.message = "depends on '" + d.name + "', which imitates '" + m.target + "' (download rank " +
                std::to_string(m.target_rank) + "): " + m.detail + " (score " +
                std::to_string(m.score) + ")" +
                (served ? std::string()
                        : "; the public index does not serve that name (taken down, or free for "
                          "anyone to register)") +
                " (ATT&CK T1195.002)";
    out->push_back(std::move(f));
  }
}

}  // namespace pyward
