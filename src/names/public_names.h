// The project names the public index (PyPI) serves, kept offline as a
// gzip-compressed list (data/names/pypi-names.txt.gz, one name per line) and
// refreshed from a downloaded simple-index listing. No network code.
#pragma once

#include "util/gzip.h"  // Gunzip, Gzip

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pyward {


// Project names from a listing: a PEP 503 simple-index page (HTML anchors),
// a PEP 691 JSON page ({"projects": [{"name": ...}]}) or a plain list (one
// name per line, '#' comments). Names are normalised, invalid ones dropped
// (counted in *skipped), the result sorted and unique.
bool ParseNameListing(std::string_view text, std::vector<std::string>* names,
                      size_t* skipped, std::string* err);

// Reads a name list file (gzip-compressed when it starts with the gzip magic,
// plain otherwise; any format ParseNameListing accepts) and calls
// keep(normalized) for each name; names for which it returns true are
// appended to *kept (all names when keep is empty).
bool ReadNameList(const std::string& path,
                  const std::function<bool(std::string_view)>& keep,
                  std::vector<std::string>* kept, std::string* err);

// Writes `names` one per line, gzip-compressed, to `path` (via a temporary
// file renamed into place).
bool WriteNameListGz(const std::string& path,
                     const std::vector<std::string>& names, std::string* err);

// The offline public name list of this installation.
std::string DefaultPublicNamesPath();

}  // namespace pyward
