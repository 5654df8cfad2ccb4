// The folders a module puts on sys.path by constant (sys.path.insert(0,
// 'tools'), sys.path.append(os.path.join(os.path.dirname(__file__), 'lib'))):
// the modules it then imports may be files of those folders.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pyward {

// The folders `text` adds to sys.path with sys.path.insert / append, as
// paths below the package root ("" for the root itself, no trailing slash).
// `module_dir` is the folder of the module holding `text` below the root
// ("" or "pkg/sub/"): paths built from `__file__` (os.path.dirname,
// pathlib's .parent) start there; constant relative paths start at the root,
// the folder pip runs setup.py in. An argument holding anything but string
// literals, `__file__` and os.path / pathlib calls, or leading out of the
// root, gives nothing. A line scan, not a parse; at most 64 folders.
std::vector<std::string> SysPathDirs(std::string_view text, std::string_view module_dir);

}  // namespace pyward
