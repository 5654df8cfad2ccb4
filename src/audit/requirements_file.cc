#include "audit/requirements_file.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <vector>

#include "audit/pep508.h"
#include "util/file_util.h"
#include "util/strings.h"

namespace pyward {

namespace {

constexpr uint64_t kMaxRequirementsBytes = 64ull << 20;
constexpr int kMaxIncludeDepth = 64;
// Files one top-level read may open through includes. The visited set reads
// a file once per path, but distinct paths can name the same file (through
// a symlink such as `d -> .`, `-r d/x` reaches d/d/x, d/d/d/x ...), so
// without a budget a few files could make the reader open 2^64 of them.
constexpr int kMaxIncludedFiles = 1000;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
         c == '\v';
}

// pip's COMMENT_RE.match: a line that is a comment (optionally indented).
bool IsCommentLine(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && IsSpace(line[i])) ++i;
  return i < line.size() && line[i] == '#';
}

// pip's COMMENT_RE.sub: cut from the first '#' at the start or after space.
std::string_view StripComment(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || IsSpace(line[i - 1])))
      return line.substr(0, i);
  }
  return line;
}

std::string ExpandEnv(std::string_view line, const RequirementsContext& ctx) {
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] == '$' && i + 1 < line.size() && line[i + 1] == '{') {
      size_t j = i + 2;
      while (j < line.size() &&
             ((line[j] >= 'A' && line[j] <= 'Z') ||
              (line[j] >= '0' && line[j] <= '9') || line[j] == '_'))
        ++j;
      if (j > i + 2 && j < line.size() && line[j] == '}') {
        std::string name(line.substr(i + 2, j - i - 2));
        std::optional<std::string> value =
            ctx.getenv ? ctx.getenv(name) : std::nullopt;
        if (value) {
          out += *value;
          i = j + 1;
          continue;
        }
      }
    }
    out.push_back(line[i++]);
  }
  return out;
}

// shlex.split, enough for option values (quotes and backslashes).
bool ShellSplit(std::string_view s, std::vector<std::string>* out) {
  std::string cur;
  bool have = false;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (IsSpace(c)) {
      if (have) out->push_back(cur);
      cur.clear();
      have = false;
      ++i;
    } else if (c == '\'' || c == '"') {
      size_t j = i + 1;
      have = true;
      while (j < s.size() && s[j] != c) {
        if (c == '"' && s[j] == '\\' && j + 1 < s.size()) ++j;
        cur.push_back(s[j++]);
      }
      if (j >= s.size()) return false;
      i = j + 1;
    } else if (c == '\\' && i + 1 < s.size()) {
      cur.push_back(s[i + 1]);
      have = true;
      i += 2;
    } else {
      cur.push_back(c);
      have = true;
      ++i;
    }
  }
  if (have) out->push_back(cur);
  return true;
}

bool LooksLikeUrl(std::string_view s) {
  size_t colon = s.find("://");
  if (colon != std::string_view::npos && colon > 0) {
    for (size_t i = 0; i < colon; ++i) {
      char c = s[i];
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' ||
            (c >= '0' && c <= '9') || c == '-' || c == '.'))
        return false;
    }
    return true;
  }
  return s.rfind("file:", 0) == 0;
}

bool LooksLikePath(std::string_view s) {
  if (s.empty()) return false;
  if (s[0] == '.' || s[0] == '/' || s[0] == '~' || s[0] == '\\') return true;
  if (s.size() > 2 && s[1] == ':' && (s[2] == '\\' || s[2] == '/')) return true;
  // Before any specifier or marker character, a path separator means a path.
  for (char c : s) {
    if (c == '/' || c == '\\') return true;
    if (c == '=' || c == '<' || c == '>' || c == '!' || c == '~' || c == ';' ||
        c == '[' || c == '@' || c == ' ')
      return false;
  }
  return EndsWithIgnoreCase(s, ".whl") || EndsWithIgnoreCase(s, ".tar.gz") ||
         EndsWithIgnoreCase(s, ".zip") || EndsWithIgnoreCase(s, ".tar.bz2");
}

// pip decodes files by their byte-order mark: UTF-16 text becomes UTF-8.
// Returns false when `in` has no UTF-16 BOM (and leaves *out alone).
bool DecodeUtf16(std::string_view in, std::string* out) {
  if (in.size() < 2) return false;
  bool le = static_cast<unsigned char>(in[0]) == 0xFF &&
            static_cast<unsigned char>(in[1]) == 0xFE;
  bool be = static_cast<unsigned char>(in[0]) == 0xFE &&
            static_cast<unsigned char>(in[1]) == 0xFF;
  if (!le && !be) return false;
  out->clear();
  auto unit = [&](size_t i) -> uint32_t {
    unsigned char a = static_cast<unsigned char>(in[i]);
    unsigned char b = static_cast<unsigned char>(in[i + 1]);
    return le ? (a | (b << 8)) : ((a << 8) | b);
  };
  auto put = [&](uint32_t cp) { AppendUtf8(static_cast<char32_t>(cp), out); };
  for (size_t i = 2; i + 1 < in.size(); i += 2) {
    uint32_t u = unit(i);
    if (u >= 0xD800 && u < 0xDC00 && i + 3 < in.size()) {
      uint32_t lo = unit(i + 2);
      if (lo >= 0xDC00 && lo < 0xE000) {
        put(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        i += 2;
        continue;
      }
    }
    put(u >= 0xD800 && u < 0xE000 ? 0xFFFD : u);
  }
  return true;
}

std::string JoinPath(const std::string& including, const std::string& rel) {
  if (!rel.empty() && rel[0] == '/') return rel;
  std::filesystem::path base = std::filesystem::path(including).parent_path();
  return (base / rel).lexically_normal().string();
}

struct Pin {
  std::optional<std::string> version;
};

class Reader {
 public:
  Reader(const RequirementsContext& ctx, DependencySet* out)
      : ctx_(ctx), out_(out) {}

  void ReadFile(const std::string& path, std::string_view content, int depth,
                bool constraint) {
    std::string key =
        std::filesystem::path(path).lexically_normal().string();
    stack_.push_back(key);
    visited_.insert(key);
    std::string decoded;
    if (DecodeUtf16(content, &decoded)) content = decoded;
    if (content.size() >= 3 && content.substr(0, 3) == "\xEF\xBB\xBF")
      content.remove_prefix(3);
    // Physical lines -> logical lines (pip's join_lines).
    std::vector<std::string_view> physical = Split(content, '\n');
    std::string joined;
    int primary = 0;
    bool in_join = false;
    for (size_t i = 0; i < physical.size(); ++i) {
      std::string_view line = physical[i];
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      int lineno = static_cast<int>(i) + 1;
      bool comment = IsCommentLine(line);
      if (line.empty() || line.back() != '\\' || comment) {
        std::string l = comment ? " " + std::string(line) : std::string(line);
        if (in_join) {
          joined += l;
          Logical(path, primary, joined, depth, constraint);
          joined.clear();
          in_join = false;
        } else {
          Logical(path, lineno, l, depth, constraint);
        }
      } else {
        if (!in_join) primary = lineno;
        in_join = true;
        size_t b = 0, e = line.size();
        while (b < e && line[b] == '\\') ++b;
        while (e > b && line[e - 1] == '\\') --e;
        joined += std::string(line.substr(b, e - b));
      }
    }
    if (in_join) Logical(path, primary, joined, depth, constraint);
    stack_.pop_back();
  }

  void Finish() {
    for (DeclaredDependency& d : out_->dependencies) {
      if (d.index_url.empty()) d.index_url = index_url_;
      if (!d.version && d.url.empty()) {
        auto it = constraints_.find(NormalizeName(d.name));
        if (it != constraints_.end() && it->second.version)
          d.version = it->second.version;
      }
      if (!d.hashes.empty()) out_->uses_hashes = true;
    }
    if (require_hashes_) out_->uses_hashes = true;
  }

 private:
  void Problem(const std::string& file, int line, const std::string& rule,
               const std::string& msg) {
    out_->problems.push_back({file, line, rule, msg});
  }

  void Logical(const std::string& path, int lineno, std::string_view raw,
               int depth, bool constraint) {
    std::string line(Trim(StripComment(raw)));
    if (line.empty()) return;
    line = ExpandEnv(line, ctx_);
    // pip's break_args_options: arguments up to the first token that
    // starts with '-'.
    std::vector<std::string_view> tokens = Split(line, ' ');
    size_t k = 0;
    std::string args;
    for (; k < tokens.size(); ++k) {
      if (!tokens[k].empty() && tokens[k][0] == '-') break;
      if (k) args += ' ';
      args += std::string(tokens[k]);
    }
    std::string options;
    for (size_t j = k; j < tokens.size(); ++j) {
      if (j > k) options += ' ';
      options += std::string(tokens[j]);
    }
    std::vector<std::string> opts;
    if (!ShellSplit(options, &opts)) {
      Problem(path, lineno, "requirements-syntax",
              "unbalanced quotes in options: " + Printable(options, 80));
      return;
    }
    DeclaredDependency dep;
    dep.file = path;
    dep.line = lineno;
    bool have_requirement = !Trim(args).empty();
    std::string editable_target;
    for (size_t i = 0; i < opts.size(); ++i) {
      std::string opt = opts[i];
      std::string value;
      bool has_inline = false;
      if (opt.rfind("--", 0) == 0) {
        size_t eq = opt.find('=');
        if (eq != std::string::npos) {
          value = opt.substr(eq + 1);
          opt = opt.substr(0, eq);
          has_inline = true;
        }
        opt = ExpandLong(opt);
      } else if (opt.size() > 2 && opt[0] == '-') {
        value = opt.substr(2);
        opt = opt.substr(0, 2);
        has_inline = true;
      }
      static const std::set<std::string> kFlags = {
          "--no-index", "--pre", "--prefer-binary", "--require-hashes"};
      static const std::set<std::string> kValued = {
          "-r", "--requirement", "-c", "--constraint", "-e", "--editable",
          "-i", "--index-url", "--extra-index-url", "-f", "--find-links",
          "--trusted-host", "--only-binary", "--no-binary", "--use-feature",
          "--hash", "--global-option", "--install-option",
          "--config-settings", "-C"};
      if (kFlags.count(opt)) {
        if (opt == "--require-hashes") require_hashes_ = true;
        continue;
      }
      if (!kValued.count(opt)) {
        Problem(path, lineno, "requirements-syntax",
                "unknown option " + Printable(opts[i], 60));
        return;
      }
      if (!has_inline) {
        if (i + 1 >= opts.size()) {
          Problem(path, lineno, "requirements-syntax",
                  "option " + opt + " needs a value");
          return;
        }
        value = opts[++i];
      }
      if (opt == "-r" || opt == "--requirement" || opt == "-c" ||
          opt == "--constraint") {
        Include(path, lineno, value, depth,
                constraint || opt == "-c" || opt == "--constraint");
      } else if (opt == "-e" || opt == "--editable") {
        editable_target = value;
      } else if (opt == "-i" || opt == "--index-url") {
        index_url_ = value;
      } else if (opt == "--hash") {
        dep.hashes.push_back(value);
      }
    }
    if (!editable_target.empty()) {
      dep.editable = true;
      dep.url = editable_target;
      std::optional<std::string> version;
      if (!NameFromUrl(editable_target, &dep.name, &version)) {
        // A local project folder: named by its last path component.
        std::string_view t = editable_target;
        while (!t.empty() && (t.back() == '/' || t.back() == '\\')) t.remove_suffix(1);
        size_t slash = t.find_last_of("/\\");
        dep.name = std::string(slash == std::string_view::npos ? t : t.substr(slash + 1));
        if (!IsValidProjectName(dep.name)) dep.name.clear();
      }
      Add(std::move(dep), constraint);
      return;
    }
    if (!have_requirement) return;
    std::string req(Trim(args));
    if (LooksLikeUrl(req) || LooksLikePath(req)) {
      // pip: a URL's marker follows "; " (a ';' inside the URL is kept).
      size_t sep = req.find("; ");
      std::string target = req.substr(0, sep);
      if (sep != std::string::npos) {
        dep.marker = std::string(Trim(std::string_view(req).substr(sep + 2)));
        Marker m;
        std::string err;
        if (!Marker::Parse(dep.marker, &m, &err)) {
          Problem(path, lineno, "requirements-syntax", err);
          return;
        }
      }
      dep.url = std::string(Trim(target));
      NameFromUrl(dep.url, &dep.name, &dep.version);
      Add(std::move(dep), constraint);
      return;
    }
    Requirement r;
    std::string err;
    if (!ParseRequirement(req, &r, &err)) {
      Problem(path, lineno, "requirements-syntax",
              err + " in '" + Printable(req, 100) + "'");
      return;
    }
    FillFromRequirement(r, &dep);
    if (!r.url.empty()) {
      std::string n;
      std::optional<std::string> v;
      if (NameFromUrl(r.url, &n, &v) && v) dep.version = v;
    }
    Add(std::move(dep), constraint);
  }

  void Add(DeclaredDependency dep, bool constraint) {
    if (constraint) {
      if (!dep.name.empty()) {
        Pin& pin = constraints_[NormalizeName(dep.name)];
        if (dep.version) pin.version = dep.version;
      }
      return;
    }
    out_->dependencies.push_back(std::move(dep));
  }

  // optparse accepts any unambiguous prefix of a long option.
  static std::string ExpandLong(const std::string& opt) {
    static const char* kLong[] = {
        "--requirement", "--constraint", "--editable", "--index-url",
        "--extra-index-url", "--no-index", "--find-links", "--trusted-host",
        "--only-binary", "--no-binary", "--use-feature", "--hash",
        "--global-option", "--install-option", "--config-settings", "--pre",
        "--prefer-binary", "--require-hashes"};
    std::string found;
    int n = 0;
    for (const char* l : kLong) {
      if (opt == l) return opt;
      if (std::string_view(l).rfind(opt, 0) == 0) {
        found = l;
        ++n;
      }
    }
    return n == 1 ? found : opt;
  }

  void Include(const std::string& path, int lineno, const std::string& target,
               int depth, bool constraint) {
    if (LooksLikeUrl(target) && target.rfind("file:", 0) != 0) {
      Problem(path, lineno, "requirements-include",
              "include " + Printable(target, 100) +
                  " is a URL; pyward works offline and did not fetch it");
      return;
    }
    std::string inc = target;
    if (inc.rfind("file://", 0) == 0) inc = inc.substr(7);
    else if (inc.rfind("file:", 0) == 0) inc = inc.substr(5);
    std::string full = JoinPath(path, inc);
    std::string key = std::filesystem::path(full).lexically_normal().string();
    for (const std::string& s : stack_) {
      if (s == key) {
        Problem(path, lineno, "requirements-include-cycle",
                "include cycle: " + Printable(target, 100) +
                    " is already being read");
        return;
      }
    }
    if (visited_.count(key)) return;  // a diamond, read once
    if (depth + 1 > kMaxIncludeDepth) {
      // Once per read: a tree deeper than the limit has many such includes.
      if (!depth_reported_)
        Problem(path, lineno, "requirements-include",
                "includes nested deeper than 64 files; " + Printable(target, 100) +
                    " and any other include that deep were not read");
      depth_reported_ = true;
      return;
    }
    if (included_ >= kMaxIncludedFiles) {
      if (!budget_reported_)
        Problem(path, lineno, "requirements-include",
                "more than " + std::to_string(kMaxIncludedFiles) +
                    " included files; " + Printable(target, 100) +
                    " and the includes after it were not read");
      budget_reported_ = true;
      return;
    }
    ++included_;
    std::string content, err;
    if (!ctx_.read_file || !ctx_.read_file(full, &content, &err)) {
      Problem(path, lineno, "requirements-include",
              "cannot read included file " + Printable(target, 100) +
                  (err.empty() ? "" : ": " + err));
      return;
    }
    ReadFile(full, content, depth + 1, constraint);
  }

  const RequirementsContext& ctx_;
  DependencySet* out_;
  std::vector<std::string> stack_;
  std::set<std::string> visited_;
  std::map<std::string, Pin> constraints_;
  std::string index_url_;
  bool require_hashes_ = false;
  int included_ = 0;  // files opened through includes (kMaxIncludedFiles)
  bool budget_reported_ = false;
  bool depth_reported_ = false;
};

}  // namespace

bool NameFromUrl(std::string_view url, std::string* name,
                 std::optional<std::string>* version) {
  // "#egg=name" (optionally "name==1.0" or "name-1.0").
  size_t egg = url.find("#egg=");
  if (egg == std::string_view::npos) egg = url.find("&egg=");
  if (egg != std::string_view::npos) {
    std::string_view e = url.substr(egg + 5);
    size_t end = e.find_first_of("&#");
    if (end != std::string_view::npos) e = e.substr(0, end);
    size_t eq = e.find("==");
    if (eq != std::string_view::npos) {
      *version = std::string(e.substr(eq + 2));
      e = e.substr(0, eq);
    }
    if (IsValidProjectName(e)) {
      *name = std::string(e);
      return true;
    }
  }
  // The file name at the end of the path.
  std::string_view path = url.substr(0, url.find_first_of("#?"));
  size_t slash = path.find_last_of("/\\");
  std::string_view file =
      slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (EndsWithIgnoreCase(file, ".whl")) {
    std::vector<std::string_view> parts = Split(file, '-');
    if (parts.size() >= 5 && IsValidProjectName(parts[0])) {
      *name = std::string(parts[0]);
      *version = std::string(parts[1]);
      return true;
    }
    return false;
  }
  for (std::string_view ext : {".tar.gz", ".tar.bz2", ".tar.xz", ".zip", ".tgz"}) {
    if (!EndsWithIgnoreCase(file, ext)) continue;
    std::string_view stem = file.substr(0, file.size() - ext.size());
    // name-version: split at the last '-' followed by a digit.
    for (size_t i = stem.size(); i-- > 0;) {
      if (stem[i] == '-' && i + 1 < stem.size() && stem[i + 1] >= '0' &&
          stem[i + 1] <= '9') {
        std::string_view n = stem.substr(0, i);
        if (!IsValidProjectName(n)) return false;
        *name = std::string(n);
        *version = std::string(stem.substr(i + 1));
        return true;
      }
    }
    return false;
  }
  return false;
}

RequirementsContext DiskRequirementsContext() {
  RequirementsContext ctx;
  ctx.read_file = [](const std::string& path, std::string* content,
                     std::string* err) {
    return pyward::ReadFile(path, kMaxRequirementsBytes, content, err);
  };
  ctx.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
  return ctx;
}

void ReadRequirementsFile(const std::string& path, std::string_view content,
                          const RequirementsContext& ctx, DependencySet* out) {
  Reader reader(ctx, out);
  reader.ReadFile(path, content, 0, false);
  reader.Finish();
}

void FillFromRequirement(const Requirement& r, DeclaredDependency* d) {
  d->name = r.name;
  d->specifier = r.specifier;
  d->extras = r.extras;
  d->marker = r.marker_text;
  d->url = r.url;
  d->version = r.specifiers.PinnedVersion();
}

}  // namespace pyward
