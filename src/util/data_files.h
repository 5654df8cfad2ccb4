// Locating pyward's data files (data/ in the source tree): lists a user may
// read and extend, such as indicator domains and popular package names.
#pragma once

#include <string>

namespace pyward {

// The folder holding pyward's data files: $PYWARD_DATA_DIR when set, else
// data/ beside or above the executable, else the build's source data/.
std::string DataDir();

// Reads data file `relative` (e.g. "names/popular.tsv") into *out.
bool ReadDataFile(const std::string& relative, std::string* out,
                  std::string* err);

}  // namespace pyward
