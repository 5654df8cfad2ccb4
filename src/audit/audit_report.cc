#include "audit/audit_report.h"

#include <map>

#include <nlohmann/json.hpp>

#include "util/strings.h"

namespace pyward {

namespace {

using ojson = nlohmann::ordered_json;

std::string Dump(const ojson& j) {
  return j.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

ojson FindingJson(const Finding& f) {
  return ojson{{"rule", f.rule},
               {"severity", std::string(SeverityName(f.severity))},
               {"phase", std::string(PhaseName(f.phase))},
               {"file", f.file},
               {"line", f.line},
               {"message", f.message},
               {"evidence", f.evidence}};
}

const char* SarifLevel(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh: return "error";
    case Severity::kMedium: return "warning";
    default: return "note";
  }
}

// A relative or absolute path as a URI reference.
std::string PathUri(const std::string& path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || c == '/' || c == '.' || c == '-' ||
        c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string DepLabel(const DependencyReport& d) {
  std::string s = d.dependency.name.empty() ? d.dependency.url : d.dependency.name;
  if (d.version) s += " " + *d.version;
  else if (!d.dependency.specifier.empty()) s += " " + d.dependency.specifier;
  return s;
}

std::string Where(const DependencyReport& d, const TargetReport& t) {
  std::string file = d.dependency.file.empty() ? t.target : d.dependency.file;
  if (d.dependency.line > 0) file += ":" + std::to_string(d.dependency.line);
  return file;
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

struct Counts {
  size_t deps = 0, vulnerable = 0, vulns = 0, malicious = 0, findings = 0,
         errors = 0;
};

Counts Count(const std::vector<TargetReport>& targets) {
  Counts c;
  for (const TargetReport& t : targets) {
    if (t.error) ++c.errors;
    for (const DependencyReport& d : t.dependencies) {
      ++c.deps;
      if (!d.vulnerabilities.empty()) ++c.vulnerable;
      c.vulns += d.vulnerabilities.size();
      if (!d.malicious.empty()) ++c.malicious;
      for (const Finding& f : d.findings)
        if (f.severity != Severity::kInfo) ++c.findings;
    }
  }
  return c;
}

std::string MdEscape(std::string_view s) {
  std::string out;
  for (char c : Printable(s, 300)) {
    if (c == '|' || c == '*' || c == '_' || c == '`' || c == '<' || c == '>' ||
        c == '[' || c == ']')
      out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace

bool ParseAuditFormat(const std::string& name, AuditFormat* out) {
  if (name == "text") *out = AuditFormat::kText;
  else if (name == "json") *out = AuditFormat::kJson;
  else if (name == "sarif") *out = AuditFormat::kSarif;
  else if (name == "markdown" || name == "md") *out = AuditFormat::kMarkdown;
  else return false;
  return true;
}

std::string AuditJson(const std::vector<TargetReport>& targets) {
  ojson results = ojson::array();
  for (const TargetReport& t : targets) {
    ojson deps = ojson::array();
    for (const DependencyReport& d : t.dependencies) {
      ojson vulns = ojson::array();
      for (const VulnerabilityReport& v : d.vulnerabilities)
        vulns.push_back(ojson{{"id", v.id},
                              {"aliases", v.aliases},
                              {"severity", v.severity},
                              {"fixed", v.fixed}});
      ojson findings = ojson::array();
      for (const Finding& f : d.findings) findings.push_back(FindingJson(f));
      deps.push_back(ojson{
          {"name", d.dependency.name},
          {"version", d.version ? ojson(*d.version) : ojson(nullptr)},
          {"specifier", d.dependency.specifier},
          {"vulnerabilities", vulns},
          {"malicious", d.malicious},
          {"findings", findings}});
    }
    results.push_back(ojson{{"target", t.target},
                            {"error", t.error ? ojson(*t.error) : ojson(nullptr)},
                            {"dependencies", deps}});
  }
  ojson doc{{"tool", {{"name", "pyward"}, {"version", PYWARD_VERSION}}},
            {"results", results}};
  return Dump(doc);
}

std::string AuditSarif(const std::vector<TargetReport>& targets) {
  ojson rules = ojson::array();
  std::map<std::string, int> rule_index;
  ojson results = ojson::array();
  ojson notifications = ojson::array();
  for (const TargetReport& t : targets) {
    if (t.error)
      notifications.push_back(ojson{
          {"level", "error"},
          {"message", {{"text", t.target + ": " + *t.error}}},
          {"locations",
           ojson::array({ojson{{"physicalLocation",
                                {{"artifactLocation",
                                  {{"uri", PathUri(t.target)}}}}}}})}});
    for (const DependencyReport& d : t.dependencies) {
      for (const Finding& f : d.findings) {
        auto it = rule_index.find(f.rule);
        if (it == rule_index.end()) {
          it = rule_index.emplace(f.rule, static_cast<int>(rules.size())).first;
          rules.push_back(ojson{
              {"id", f.rule},
              {"shortDescription", {{"text", "pyward audit: " + f.rule}}},
              {"defaultConfiguration", {{"level", SarifLevel(f.severity)}}}});
        }
        ojson physical{{"artifactLocation",
                        {{"uri", PathUri(f.file.empty() ? t.target : f.file)}}}};
        if (f.line > 0) physical["region"] = {{"startLine", f.line}};
        ojson result{{"ruleId", f.rule},
                     {"ruleIndex", it->second},
                     {"level", SarifLevel(f.severity)},
                     {"message", {{"text", f.message}}},
                     {"locations", ojson::array({ojson{{"physicalLocation", physical}}})}};
        ojson props{{"severity", std::string(SeverityName(f.severity))},
                    {"package", d.dependency.name}};
        if (d.version) props["version"] = *d.version;
        if (!d.vulnerabilities.empty() && f.rule == "vulnerable-dependency") {
          ojson ids = ojson::array();
          for (const auto& v : d.vulnerabilities) ids.push_back(v.id);
          props["advisories"] = ids;
        }
        if (!d.malicious.empty() && f.rule == "malicious-package")
          props["advisories"] = d.malicious;
        result["properties"] = props;
        results.push_back(result);
      }
    }
  }
  ojson invocation{{"executionSuccessful", true}};
  if (!notifications.empty())
    invocation["toolExecutionNotifications"] = notifications;
  ojson doc{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       ojson::array({ojson{
           {"tool",
            {{"driver",
              {{"name", "pyward"},
               {"version", PYWARD_VERSION},
               {"rules", rules}}}}},
           {"invocations", ojson::array({invocation})},
           {"results", results}}})}};
  return Dump(doc);
}

std::string AuditText(const std::vector<TargetReport>& targets, bool verbose) {
  std::string out;
  for (const TargetReport& t : targets) {
    out += t.target + ": " + std::to_string(t.dependencies.size()) +
           " dependencies\n";
    if (t.error) out += "  error: " + *t.error + "\n";
    for (const DependencyReport& d : t.dependencies) {
      bool shown = false;
      for (const Finding& f : d.findings) {
        if (f.severity == Severity::kInfo && !verbose) continue;
        out += Where(d, t) + ": " + DepLabel(d) + ": [" +
               std::string(SeverityName(f.severity)) + "] " + f.rule + ": " +
               f.message + "\n";
        shown = true;
      }
      if (!shown) continue;
      size_t listed = 0;
      for (const VulnerabilityReport& v : d.vulnerabilities) {
        if (++listed > 12 && !verbose) {
          out += "    ... " + std::to_string(d.vulnerabilities.size() - 12) +
                 " more (-v or --format json lists them all)\n";
          break;
        }
        out += "    " + v.id;
        if (!v.aliases.empty()) out += " (" + Join(v.aliases, ", ") + ")";
        out += " severity " + v.severity;
        out += v.fixed.empty() ? "; no fix" : "; fixed in " + Join(v.fixed, ", ");
        if (!v.summary.empty()) out += ": " + Printable(v.summary, 120);
        out += "\n";
      }
      for (const std::string& ig : d.ignored) out += "    ignored " + ig + "\n";
    }
  }
  Counts c = Count(targets);
  out += "summary: " + std::to_string(targets.size()) + " inputs, " +
         std::to_string(c.deps) + " dependencies, " +
         std::to_string(c.vulnerable) + " vulnerable (" +
         std::to_string(c.vulns) + " advisories), " +
         std::to_string(c.malicious) + " malicious, " +
         std::to_string(c.findings) + " findings, " +
         std::to_string(c.errors) + " input errors\n";
  return out;
}

std::string AuditMarkdown(const std::vector<TargetReport>& targets,
                          bool verbose) {
  Counts c = Count(targets);
  std::string out = "## pyward audit\n\n";
  out += "**" + std::to_string(c.deps) + "** dependencies in " +
         std::to_string(targets.size()) + " inputs: **" +
         std::to_string(c.vulnerable) + "** vulnerable, **" +
         std::to_string(c.malicious) + "** malicious, " +
         std::to_string(c.findings) + " findings, " +
         std::to_string(c.errors) + " input errors.\n\n";
  for (const TargetReport& t : targets) {
    if (t.error) out += "- :x: `" + MdEscape(t.target) + "`: " + MdEscape(*t.error) + "\n";
  }
  bool header = false;
  for (const TargetReport& t : targets) {
    for (const DependencyReport& d : t.dependencies) {
      for (const VulnerabilityReport& v : d.vulnerabilities) {
        if (!header) {
          out += "\n| Package | Version | Advisory | Severity | Fixed in | Where |\n"
                 "|---|---|---|---|---|---|\n";
          header = true;
        }
        std::string id = "[" + MdEscape(v.id) + "](https://osv.dev/vulnerability/" +
                         PathUri(v.id) + ")";
        if (!v.aliases.empty()) id += " (" + MdEscape(Join(v.aliases, ", ")) + ")";
        out += "| " + MdEscape(d.dependency.name) + " | " +
               MdEscape(d.version.value_or("")) + " | " + id + " | " +
               v.severity + " | " + MdEscape(Join(v.fixed, ", ")) + " | " +
               MdEscape(Where(d, t)) + " |\n";
      }
    }
  }
  bool listed = false;
  for (const TargetReport& t : targets) {
    for (const DependencyReport& d : t.dependencies) {
      for (const Finding& f : d.findings) {
        if (f.rule == "vulnerable-dependency") continue;  // in the table
        if (f.severity == Severity::kInfo && !verbose) continue;
        if (!listed) {
          out += "\n### Findings\n\n";
          listed = true;
        }
        out += "- **" + std::string(SeverityName(f.severity)) + "** `" +
               MdEscape(f.rule) + "` " + MdEscape(Where(d, t)) + ": " +
               MdEscape(f.message) + "\n";
      }
    }
  }
  if (c.deps > 0 && c.vulnerable == 0 && c.malicious == 0 && c.findings == 0 &&
      c.errors == 0)
    out += "\nNo known vulnerabilities or malicious packages.\n";
  return out;
}

std::string WriteAuditReport(const std::vector<TargetReport>& targets,
                             AuditFormat format, bool verbose) {
  switch (format) {
    case AuditFormat::kJson: return AuditJson(targets);
    case AuditFormat::kSarif: return AuditSarif(targets);
    case AuditFormat::kMarkdown: return AuditMarkdown(targets, verbose);
    case AuditFormat::kText: break;
  }
  return AuditText(targets, verbose);
}

}  // namespace pyward
