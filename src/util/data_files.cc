#include "util/data_files.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "util/file_util.h"

namespace fs = std::filesystem;

namespace pyward {

std::string DataDir() {
  if (const char* env = std::getenv("PYWARD_DATA_DIR"); env && *env) return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      fs::path cand = dir / "data";
      if (fs::is_directory(cand / "rules", ec) || fs::is_directory(cand / "names", ec))
        return cand.string();
      if (fs::exists(dir / "share" / "pyward" / "data", ec))
        return (dir / "share" / "pyward" / "data").string();
    }
  }
  return PYWARD_DATA_DIR;
}

bool ReadDataFile(const std::string& relative, std::string* out,
                  std::string* err) {
  std::string path = DataDir() + "/" + relative;
  if (!ReadFile(path, uint64_t{1} << 30, out, err)) {
    *err = "pyward data file missing or unreadable (" + *err +
           "); set PYWARD_DATA_DIR to the data/ folder";
    return false;
  }
  return true;
}

}  // namespace pyward
