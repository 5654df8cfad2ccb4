#include "analysis/indicators.h"

#include <hs/hs.h>

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "analysis/native_binary.h"
#include "analysis/rules.h"
#include "util/file_util.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace fs = std::filesystem;

namespace pyward {

struct IndicatorSet::Engine {
  hs_database_t* db = nullptr;
  hs_scratch_t* prototype = nullptr;
  mutable std::mutex mu;
  mutable std::vector<hs_scratch_t*> pool;  // idle scratch spaces

  ~Engine() {
    for (hs_scratch_t* s : pool) hs_free_scratch(s);
    if (prototype) hs_free_scratch(prototype);
    if (db) hs_free_database(db);
  }
  // An idle scratch space, or a new clone of the prototype (cloned under
  // the lock: the pool grows to the number of concurrent callers, once).
  hs_scratch_t* Borrow() const {
    std::lock_guard<std::mutex> lock(mu);
    if (!pool.empty()) {
      hs_scratch_t* s = pool.back();
      pool.pop_back();
      return s;
    }
    hs_scratch_t* s = nullptr;
    if (hs_clone_scratch(prototype, &s) != HS_SUCCESS) throw std::bad_alloc();
    return s;
  }
  void Return(hs_scratch_t* s) const {
    std::lock_guard<std::mutex> lock(mu);
    pool.push_back(s);
  }
};

namespace {

// The regular expression matching `lit` byte for byte.
std::string EscapeLiteral(std::string_view lit) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : lit) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Decodes the \xHH escapes of a literal pattern (the only escape literals
// have: other backslashes stand for themselves).
std::string DecodeLiteral(std::string_view lit) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < lit.size(); ++i) {
    if (lit[i] == '\\' && i + 3 < lit.size() && lit[i + 1] == 'x' && hex(lit[i + 2]) >= 0 &&
        hex(lit[i + 3]) >= 0) {
      out += static_cast<char>(hex(lit[i + 2]) * 16 + hex(lit[i + 3]));
      i += 3;
    } else {
      out += lit[i];
    }
  }
  return out;
}

// The first whitespace-separated field of *s, removed from it.
std::string_view TakeField(std::string_view* s) {
  *s = Trim(*s);
  size_t e = s->find_first_of(" \t");
  std::string_view f = s->substr(0, e);
  *s = e == std::string_view::npos ? std::string_view() : Trim(s->substr(e));
  return f;
}

struct Hit {
  size_t offset;
  unsigned id;
};

int OnMatch(unsigned int id, unsigned long long /*from*/, unsigned long long to,
            unsigned int /*flags*/, void* ctx) {
  static_cast<std::vector<Hit>*>(ctx)->push_back({static_cast<size_t>(to), id});
  return 0;
}

// Writes the compiled database to `path` (through a temporary file and a
// rename, so concurrent runs never read half a file); failures are ignored.
void WriteCache(const hs_database_t* db, const std::string& dir, const std::string& path) {
  char* bytes = nullptr;
  size_t size = 0;
  if (hs_serialize_database(db, &bytes, &size) != HS_SUCCESS) return;
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::string tmp = path + ".tmp" + std::to_string(::getpid());
  if (FILE* f = std::fopen(tmp.c_str(), "wb")) {
    bool ok = std::fwrite(bytes, 1, size, f) == size;
    ok = std::fclose(f) == 0 && ok;
    if (ok) fs::rename(tmp, path, ec);
    if (!ok || ec) fs::remove(tmp, ec);
  }
  std::free(bytes);
}

}  // namespace

bool ParseIndicatorFile(std::string_view name, std::string_view text,
                        std::vector<Indicator>* out, std::string* err) {
  std::string category, attack;
  Severity def = Severity::kMedium;
  bool have_severity = false;
  size_t first = out->size();
  int lineno = 0;
  for (std::string_view raw : Split(text, '\n')) {
    ++lineno;
    std::string_view line = Trim(raw);
    std::string where = std::string(name) + ":" + std::to_string(lineno);
    if (line.empty()) continue;
    if (line[0] == '#') {
      // Header fields: "# category: x", "# severity: y", "# attack: T...".
      std::string_view body = Trim(line.substr(1));
      size_t colon = body.find(':');
      if (colon == std::string_view::npos) continue;
      std::string key = ToLower(Trim(body.substr(0, colon)));
      std::string_view value = Trim(body.substr(colon + 1));
      if (key == "category") {
        category = std::string(value);
        for (char c : category) {
          if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            *err = where + ": category must be lower-case letters, digits and '-'";
            return false;
          }
        }
      } else if (key == "severity") {
        if (!ParseSeverity(value, &def)) {
          *err = where + ": unknown severity '" + std::string(value) + "'";
          return false;
        }
        have_severity = true;
      } else if (key == "attack") {
        attack = std::string(TakeField(&value));
      }
      continue;
    }
    if (category.empty() || !have_severity) {
      *err = where + ": a pattern before the '# category:' and '# severity:' header lines";
      return false;
    }
    std::string_view rest = line;
    std::string_view pat = TakeField(&rest);
    std::string_view sev = TakeField(&rest);
    Indicator ind;
    size_t colon = pat.find(':');
    std::string_view kind = colon == std::string_view::npos ? "" : pat.substr(0, colon);
    if (kind == "lit" || kind == "LIT") {
      ind.regex = false;
    } else if (kind == "re" || kind == "RE") {
      ind.regex = true;
    } else {
      *err = where + ": a pattern must start with lit:, LIT:, re: or RE:";
      return false;
    }
    ind.caseless = kind == "lit" || kind == "re";
    ind.pattern = std::string(pat.substr(colon + 1));
    if (ind.pattern.empty()) {
      *err = where + ": empty pattern";
      return false;
    }
    if (sev.empty()) {
      *err = where + ": no severity after the pattern (write '-' for the file's default)";
      return false;
    }
    if (sev == "-") {
      ind.severity = def;
    } else if (!ParseSeverity(sev, &ind.severity)) {
      *err = where + ": unknown severity '" + std::string(sev) + "'";
      return false;
    }
    if (rest.empty()) {
      *err = where + ": no description after the severity";
      return false;
    }
    ind.description = std::string(rest);
    ind.source = where;
    out->push_back(std::move(ind));
  }
  for (size_t i = first; i < out->size(); ++i) {
    (*out)[i].category = category;
    (*out)[i].attack = attack;
  }
  return true;
}

IndicatorSet::IndicatorSet() = default;
IndicatorSet::~IndicatorSet() = default;

std::string IndicatorCacheDir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/pyward";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/pyward";
  return "";
}

bool IndicatorSet::Load(const std::string& dir, std::string* err,
                        const std::string& cache_dir) {
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string n = it->path().filename().string();
    if (it->is_regular_file() && EndsWithIgnoreCase(n, ".txt")) names.push_back(n);
  }
  if (ec) {
    *err = "cannot read indicator folder " + dir + ": " + ec.message();
    return false;
  }
  std::sort(names.begin(), names.end());
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& n : names) {
    std::string text;
    if (!ReadFile(dir + "/" + n, 64 << 20, &text, err)) return false;
    files.emplace_back(n, std::move(text));
  }
  return LoadFromTexts(files, err, cache_dir);
}

bool IndicatorSet::LoadFromTexts(
    const std::vector<std::pair<std::string, std::string>>& files, std::string* err,
    const std::string& cache_dir) {
  std::vector<Indicator> inds;
  for (const auto& [name, text] : files)
    if (!ParseIndicatorFile(name, text, &inds, err)) return false;
  auto engine = std::make_unique<Engine>();
  if (!inds.empty()) {
    std::vector<std::string> exprs;
    std::vector<const char*> ptrs;
    std::vector<unsigned> flags, ids;
    for (size_t i = 0; i < inds.size(); ++i) {
      const Indicator& ind = inds[i];
      exprs.push_back(ind.regex ? ind.pattern : EscapeLiteral(DecodeLiteral(ind.pattern)));
      flags.push_back(HS_FLAG_SINGLEMATCH | HS_FLAG_MULTILINE |
                      (ind.caseless ? HS_FLAG_CASELESS : 0u));
      ids.push_back(static_cast<unsigned>(i));
    }
    for (const std::string& e : exprs) ptrs.push_back(e.c_str());
    // The cache key covers everything the database is compiled from.
    std::string key = std::string(hs_version()) + '\n';
    for (size_t i = 0; i < exprs.size(); ++i)
      key += std::to_string(flags[i]) + ' ' + exprs[i] + '\n';
    std::string cache_path =
        cache_dir.empty() ? "" : cache_dir + "/indicators-" + Sha256Hex(key).substr(0, 32) + ".hsdb";
    std::string blob, ignored;
    from_cache_ = false;
    if (!cache_path.empty() && ReadFile(cache_path, 256 << 20, &blob, &ignored) &&
        hs_deserialize_database(blob.data(), blob.size(), &engine->db) == HS_SUCCESS) {
      from_cache_ = true;
    }
    hs_compile_error_t* cerr = nullptr;
    if (!from_cache_ && hs_compile_multi(ptrs.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(ptrs.size()), HS_MODE_BLOCK, nullptr,
                         &engine->db, &cerr) != HS_SUCCESS) {
      std::string msg = cerr && cerr->message ? cerr->message : "compile error";
      int at = cerr ? cerr->expression : -1;
      *err = at >= 0 && static_cast<size_t>(at) < inds.size()
                 ? inds[at].source + ": pattern '" + inds[at].pattern + "': " + msg
                 : "indicator patterns: " + msg;
      if (cerr) hs_free_compile_error(cerr);
      return false;
    }
    if (!from_cache_ && !cache_path.empty()) WriteCache(engine->db, cache_dir, cache_path);
    if (hs_alloc_scratch(engine->db, &engine->prototype) != HS_SUCCESS) {
      *err = "indicator patterns: cannot allocate scratch space";
      return false;
    }
  }
  indicators_ = std::move(inds);
  engine_ = std::move(engine);
  return true;
}

void IndicatorSet::Match(std::string_view bytes, const MatchFn& fn) const {
  if (!engine_ || !engine_->db || bytes.empty()) return;
  std::vector<Hit> hits;
  struct Lease {  // returns the scratch space to the pool whatever happens
    const Engine* engine;
    hs_scratch_t* scratch;
    ~Lease() { engine->Return(scratch); }
  } lease{engine_.get(), engine_->Borrow()};
  hs_scratch_t* scratch = lease.scratch;
  // hs_scan takes an unsigned length: scan huge inputs in overlapping
  // windows, keeping each indicator's first occurrence.
  constexpr size_t kWindow = size_t{1} << 30, kOverlap = 4096;
  for (size_t start = 0;;) {
    size_t len = std::min(bytes.size() - start, kWindow);
    std::vector<Hit> part;
    hs_scan(engine_->db, bytes.data() + start, static_cast<unsigned>(len), 0, scratch,
            OnMatch, &part);
    for (Hit& h : part) hits.push_back({h.offset + start, h.id});
    if (start + len >= bytes.size()) break;
    start += len - kOverlap;
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const Hit& a, const Hit& b) { return a.offset < b.offset; });
  std::vector<bool> seen(indicators_.size());
  for (const Hit& h : hits) {
    if (h.id >= indicators_.size() || seen[h.id]) continue;
    seen[h.id] = true;
    fn(indicators_[h.id], h.offset);
  }
}

void AppendIndicatorFindings(const IndicatorSet& set, std::string_view text,
                             const std::string& file, Phase phase,
                             std::vector<Finding>* out) {
  // Matches come in order of offset: count lines from the previous one.
  size_t counted_to = 0;
  int line_no = 1;
  set.Match(text, [&](const Indicator& ind, size_t end) {
    size_t upto = std::min(end, text.size());
    line_no += static_cast<int>(
        std::count(text.begin() + counted_to, text.begin() + upto, '\n'));
    counted_to = upto;
    Finding f;
    f.rule = "indicator-" + ind.category;
    f.severity = ind.severity;
    f.phase = phase;
    f.file = file;
    f.line = line_no;
    f.message = ind.description;
    if (!ind.attack.empty()) f.message += " (ATT&CK " + ind.attack + ")";
    // The match is at the end of the window: show what leads up to it and a
    // little of what follows, within its line.
    std::string_view line = LineAt(text, end == 0 ? 0 : end - 1);
    size_t line_start = static_cast<size_t>(line.data() - text.data());
    size_t in_line = std::min(end - std::min(end, line_start), line.size());
    size_t from = in_line > 100 ? in_line - 100 : 0;
    f.evidence = Printable(line.substr(from, in_line - from + 40), 160);
    out->push_back(std::move(f));
  });
}

}  // namespace pyward

namespace pyward {
namespace {

// Whether matches in `f` count fully: code that Python runs (sources,
// bytecode, .pth files) and bundled native programs. Prose (README,
// PKG-INFO), CI and build configuration, shell and PowerShell scripts of the
// repository and developer task files are not run by installing or
// importing the package, and mention installers, keys and IP addresses for
// ordinary reasons: their matches count kTestWeight.
bool CountsFully(const PackageFile& f) {
  size_t slash = f.rel.rfind('/');
  std::string base = ToLower(slash == std::string::npos ? f.rel : f.rel.substr(slash + 1));
  for (const char* dev : {"noxfile.py", "tasks.py", "fabfile.py", "dodo.py", "conftest.py"})
    if (base == dev) return false;
  for (const char* ext : {".py", ".pyw", ".pyc", ".pyo", ".pth"})
    if (EndsWithIgnoreCase(base, ext)) return true;
  return ClassifyNative(f.data()).kind != NativeKind::kNone;
}

}  // namespace

void AppendPackageIndicatorFindings(const IndicatorSet& set, const Package& pkg,
                                    std::vector<Finding>* out) {
  if (set.empty()) return;
  for (const PackageFile& f : pkg.files) {
    if (f.dormant) continue;  // a link's file: its bytes are read under the target's name
    size_t before = out->size();
    AppendIndicatorFindings(set, f.data(), f.path, PhaseOfRole(f.role), out);
    bool test = f.role == FileRole::kTest;
    if (test || !CountsFully(f)) {
      for (size_t i = before; i < out->size(); ++i) {
        (*out)[i].weight = kTestWeight;
        if (test) (*out)[i].phase = Phase::kNone;
      }
    }
  }
}

}  // namespace pyward
