// Scanning one target end to end: bytes -> archive -> package model ->
// rules -> verdict. A Scanner is immutable and shared by all threads.
#pragma once

#include <string>
#include <string_view>

#include "analysis/rules.h"
#include "archive/archive_reader.h"
#include "names/name_checker.h"
#include "report/finding.h"

namespace pyward {

class Policy;
class YaraRules;

struct ScanOptions {
  ArchiveOptions archive;  // limits also bound source trees
  const YaraRules* yara = nullptr;  // user rules (--rules); not owned
  const Policy* policy = nullptr;   // suppressions (--policy); not owned
  std::string today;                // "YYYY-MM-DD": when policy entries expire
  bool unpack = true;  // false: hidden payloads are not decoded (to measure their cost)
};

class Scanner {
 public:
  // `rules` (and `names`, when given) must outlive the scanner. With `names`,
  // each artifact's name is also checked for typosquatting and the like.
  Scanner(const RuleSet* rules, ScanOptions opts, const NameChecker* names = nullptr)
      : rules_(rules), names_(names), opts_(std::move(opts)) {}

  // Scans the artifact in `bytes`, reported as `target`; `file_name` gives
  // the name and version when the artifact carries no metadata. Never
  // throws: unreadable input gives verdict kError with a message.
  ScanResult ScanBytes(const std::string& target, std::string_view file_name,
                       std::string_view bytes) const;

  // Scans a file or a source tree on disk.
  ScanResult ScanPath(const std::string& path) const;

  const ScanOptions& options() const { return opts_; }

 private:
  ScanResult ScanTree(const std::string& dir) const;
  void Finish(const std::string& file_name, const Archive& archive, bool tree,
              bool single_file, ScanResult* r) const;
  const RuleSet* rules_;
  const NameChecker* names_;
  ScanOptions opts_;
};

// True when `dir` is a source tree (holds setup.py, pyproject.toml or
// PKG-INFO at its top) rather than a folder of artifacts.
bool IsSourceTree(const std::string& dir);

}  // namespace pyward
