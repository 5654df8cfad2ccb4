#include "analysis/scanner.h"

#include <filesystem>
#include <system_error>

#include "analysis/suppression.h"
#include "analysis/verdict.h"
#include "analysis/yara_rules.h"
#include "names/dependency_names.h"
#include "names/name_findings.h"
#include "package/package.h"
#include "util/file_util.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace fs = std::filesystem;

namespace pyward {
namespace {

ScanResult ErrorResult(const std::string& target, std::string message) {
  ScanResult r;
  r.target = target;
  r.verdict = Verdict::kError;
  r.error = std::move(message);
  return r;
}

// Version-control folders are history, not the package.
bool IsVcsPath(const std::string& rel) {
  for (const char* d : {".git/", ".hg/", ".svn/"})
    if (rel.compare(0, std::string_view(d).size(), d) == 0) return true;
  return false;
}

// The container format a file name promises, or kUnknown when it promises none.
ContainerFormat FormatByName(std::string_view name) {
  struct Ending {
    const char* suffix;
    ContainerFormat format;
  };
  static const Ending kEndings[] = {
      {".tar.gz", ContainerFormat::kGzip}, {".tgz", ContainerFormat::kGzip},
      {".tar.bz2", ContainerFormat::kBzip2}, {".tar.xz", ContainerFormat::kXz},
      {".tar.zst", ContainerFormat::kZstd}, {".tar", ContainerFormat::kTar},
      {".zip", ContainerFormat::kZip}, {".whl", ContainerFormat::kZip},
      {".egg", ContainerFormat::kZip}};
  for (const Ending& e : kEndings)
    if (EndsWithIgnoreCase(name, e.suffix)) return e.format;
  return ContainerFormat::kUnknown;
}

}  // namespace

bool IsSourceTree(const std::string& dir) {
  for (const char* marker : {"setup.py", "pyproject.toml", "PKG-INFO", "setup.cfg"})
    if (GetPathKind(dir + "/" + marker) == PathKind::kFile) return true;
  return false;
}

void Scanner::Finish(const std::string& file_name, const Archive& archive, bool tree,
                     bool single_file, ScanResult* r) const {
  Package pkg;
  BuildPackage(file_name, archive, tree, single_file, &pkg);
  r->package_name = pkg.name;
  r->package_version = pkg.version;
  r->findings = archive.anomalies;
  // Structure anomalies inside test data (fixtures of archive tools) count less.
  for (Finding& f : r->findings) {
    std::string path = f.file;
    for (size_t p; (p = path.find("!/")) != std::string::npos;) path.replace(p, 2, "/");
    if (IsTestOrDocPath(path)) f.weight = kTestWeight;
  }
  r->findings.insert(r->findings.end(), pkg.findings.begin(), pkg.findings.end());
  rules_->Scan(pkg, &r->findings, opts_.unpack);
  if (opts_.yara) opts_.yara->ScanPackage(pkg, &r->findings);
  // A name is judged only when the artifact declares it in its metadata: a
  // file or folder name may be anyone's renaming (Debian's python-foo).
  if (names_ && !pkg.name.empty() && pkg.name_source != "file name")
    AppendNameFindings(names_->Check(pkg.name), &r->findings);
  // So is every dependency the artifact declares: a clean wrapper that
  // pulls a squatted dependency.
  if (names_) AppendDependencyFindings(*names_, pkg, &PublicIndexServes, &r->findings);
  if (opts_.policy) ApplyPolicy(*opts_.policy, opts_.today, r);
  Judgement j = Judge(r->findings);
  r->score = j.score;
  r->verdict = j.verdict;
  r->reasons = std::move(j.reasons);
}

ScanResult Scanner::ScanBytes(const std::string& target, std::string_view file_name,
                              std::string_view bytes) const {
  ScanResult r;
  r.target = target;
  r.sha256 = Sha256Hex(bytes);
  try {
    Archive archive;
    bool single = !IsArchive(DetectFormat(bytes));
    if (single) {
      ArchiveMember m;
      size_t slash = file_name.find_last_of('/');
      m.path = std::string(slash == std::string_view::npos ? file_name : file_name.substr(slash + 1));
      m.data = std::string(bytes);
      archive.members.push_back(std::move(m));
    } else {
      std::string err;
      if (!ReadArchive(bytes, opts_.archive, &archive, &err)) {
        ScanResult e = ErrorResult(target, err);
        e.sha256 = r.sha256;
        return e;
      }
    }
    ContainerFormat named = FormatByName(file_name);
    ContainerFormat actual = DetectFormat(bytes);
    if (named != ContainerFormat::kUnknown && named != actual) {
      Finding f;
      f.rule = "archive-format-mismatch";
      f.severity = Severity::kMedium;
      f.message = "the file name promises " + std::string(FormatName(named)) +
                  " data but the content is " +
                  (single ? std::string("not an archive") : std::string(FormatName(actual))) +
                  ": tools that trust the name read it differently";
      archive.anomalies.push_back(std::move(f));
    }
    Finish(std::string(file_name), archive, false, single, &r);
  } catch (const std::bad_alloc&) {
    ScanResult e = ErrorResult(target, "out of memory while scanning");
    e.sha256 = r.sha256;
    return e;
  }
  return r;
}

ScanResult Scanner::ScanTree(const std::string& dir) const {
  std::vector<std::string> files, links;
  std::string err;
  if (!ListFilesRecursive(dir, &files, &links, &err)) return ErrorResult(dir, err);
  Archive archive;
  archive.format = ContainerFormat::kUnknown;
  uint64_t total = 0;
  const ArchiveLimits& lim = opts_.archive.limits;
  for (const std::string& rel : files) {
    if (IsVcsPath(rel)) continue;
    if (archive.members.size() >= lim.max_members)
      return ErrorResult(dir, "source tree has more than the limit of " +
                                  std::to_string(lim.max_members) + " files (--max-members)");
    ArchiveMember m;
    m.path = rel;
    if (!ReadFile(dir + "/" + rel, lim.max_member_bytes, &m.data, &err))
      return ErrorResult(dir, err + " (--max-member-bytes)");
    total += m.data.size();
    if (total > lim.max_total_bytes)
      return ErrorResult(dir, "source tree holds more than the limit of " +
                                  std::to_string(lim.max_total_bytes) + " bytes (--max-bytes)");
    archive.members.push_back(std::move(m));
  }
  for (const std::string& rel : links) {
    if (IsVcsPath(rel)) continue;
    ArchiveMember m;
    m.path = rel;
    m.kind = MemberKind::kSymlink;
    std::error_code ec;
    m.link_target = fs::read_symlink(fs::path(dir) / rel, ec).string();
    CheckMemberPath(m, &archive.anomalies);
  }
  archive.total_bytes = total;
  // Nested archives inside a tree are opened like those inside an archive.
  ScanResult r;
  r.target = dir;
  Archive nested_holder;
  for (const ArchiveMember& m : archive.members) {
    if (m.kind != MemberKind::kFile || !IsArchive(DetectFormat(m.data))) continue;
    Archive inner;
    if (ReadArchive(m.data, opts_.archive, &inner, &err)) {
      for (ArchiveMember& im : inner.members) {
        im.container = m.path + "!/" + im.container;
        nested_holder.members.push_back(std::move(im));
      }
      for (Finding& f : inner.anomalies) {
        f.file = f.file.empty() ? m.path : m.path + "!/" + f.file;
        archive.anomalies.push_back(std::move(f));
      }
    } else {
      Finding f;
      f.rule = "archive-nested-unreadable";
      f.severity = Severity::kLow;
      f.file = m.path;
      f.message = "archive in the source tree could not be read: " + err;
      archive.anomalies.push_back(std::move(f));
    }
  }
  for (ArchiveMember& m : nested_holder.members) archive.members.push_back(std::move(m));
  std::string name = fs::path(dir).lexically_normal().filename().string();
  if (name.empty()) name = fs::path(dir).lexically_normal().parent_path().filename().string();
  Finish(name, archive, true, false, &r);
  return r;
}

ScanResult Scanner::ScanPath(const std::string& path) const {
  switch (GetPathKind(path)) {
    case PathKind::kMissing:
      return ErrorResult(path, "cannot read " + path + ": no such file or directory");
    case PathKind::kOther:
      return ErrorResult(path, "cannot scan " + path + ": not a regular file or directory");
    case PathKind::kDirectory:
      try {
        return ScanTree(path);
      } catch (const std::bad_alloc&) {
        return ErrorResult(path, "out of memory while scanning");
      }
    case PathKind::kFile: break;
  }
  std::string bytes, err;
  // The artifact itself is read whole: allow it up to the uncompressed limit.
  if (!ReadFile(path, opts_.archive.limits.max_total_bytes, &bytes, &err))
    return ErrorResult(path, err);
  return ScanBytes(path, path, bytes);
}

}  // namespace pyward
