#include "util/file_util.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace fs = std::filesystem;

namespace pyward {

bool ReadFile(const std::string& path, uint64_t max_bytes, std::string* out,
              std::string* err) {
  std::error_code ec;
  auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    *err = "cannot open " + path + ": no such file";
    return false;
  }
  if (fs::is_directory(st)) {
    *err = "cannot read " + path + ": it is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *err = "cannot open " + path + ": permission denied or unreadable";
    return false;
  }
  out->clear();
  // Room for the whole file up front (a regular file's size, within the
  // limit): no regrowth while reading.
  if (fs::is_regular_file(st)) {
    uint64_t size = fs::file_size(path, ec);
    if (!ec) out->reserve(std::min<uint64_t>(size, max_bytes));
  }
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    std::streamsize n = in.gcount();
    if (n <= 0) break;
    if (out->size() + static_cast<uint64_t>(n) > max_bytes) {
      *err = "cannot read " + path + ": larger than the limit of " +
             std::to_string(max_bytes) + " bytes";
      return false;
    }
    out->append(buf, static_cast<size_t>(n));
  }
  if (in.bad()) {
    *err = "error reading " + path;
    return false;
  }
  return true;
}

PathKind GetPathKind(const std::string& path) {
  std::error_code ec;
  auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return PathKind::kMissing;
  if (fs::is_regular_file(st)) return PathKind::kFile;
  if (fs::is_directory(st)) return PathKind::kDirectory;
  return PathKind::kOther;
}

bool ListFilesRecursive(const std::string& dir, std::vector<std::string>* files,
                        std::vector<std::string>* links, std::string* err) {
  std::error_code ec;
  fs::recursive_directory_iterator it(
      dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    *err = "cannot list " + dir + ": " + ec.message();
    return false;
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      *err = "cannot list " + dir + ": " + ec.message();
      return false;
    }
    const fs::directory_entry& e = *it;
    std::string rel = e.path().lexically_relative(dir).generic_string();
    if (e.is_symlink(ec)) {
      if (links) links->push_back(rel);
      if (e.is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (e.is_regular_file(ec)) files->push_back(rel);
  }
  std::sort(files->begin(), files->end());
  if (links) std::sort(links->begin(), links->end());
  return true;
}

bool ListDir(const std::string& dir, std::vector<std::string>* names,
             std::string* err) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    *err = "cannot list " + dir + ": " + ec.message();
    return false;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) {
      *err = "cannot list " + dir + ": " + ec.message();
      return false;
    }
    names->push_back(it->path().filename().string());
  }
  std::sort(names->begin(), names->end());
  return true;
}

}  // namespace pyward
