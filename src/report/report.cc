#include "report/report.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "util/strings.h"

namespace pyward {

using Json = nlohmann::ordered_json;

bool ParseReportFormat(const std::string& s, ReportFormat* out) {
  if (s == "text") *out = ReportFormat::kText;
  else if (s == "json") *out = ReportFormat::kJson;
  else if (s == "sarif") *out = ReportFormat::kSarif;
  else return false;
  return true;
}

namespace {

// Strings from packages may hold any bytes; JSON needs valid UTF-8.
std::string Utf8(const std::string& s) { return Printable(s, s.size() + 1); }

Json NullIfEmpty(const std::string& s) { return s.empty() ? Json(nullptr) : Json(Utf8(s)); }

Json FindingJson(const Finding& f, bool explain) {
  Json j;
  j["rule"] = f.rule;
  j["severity"] = SeverityName(f.severity);
  j["phase"] = PhaseName(f.phase);
  j["file"] = Utf8(f.file);
  j["line"] = f.line;
  j["message"] = Utf8(f.message);
  j["evidence"] = Utf8(f.evidence);
  if (explain && !f.chain.empty()) j["chain"] = Utf8(f.chain);
  if (explain && !f.decoded.empty()) j["decoded"] = Utf8(f.decoded);
  return j;
}

Json ToolJson() {
  Json t;
  t["name"] = "pyward";
  t["version"] = PYWARD_VERSION;
  return t;
}

// Percent-encodes what a URI reference may not hold as is.
std::string UriEncode(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::string_view("-._~/!$&'()*+,;=:@").find(char(c)) != std::string_view::npos) {
      out += char(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string_view SarifLevel(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh: return "error";
    case Severity::kMedium: return "warning";
    case Severity::kLow:
    case Severity::kInfo: return "note";
  }
  return "note";
}

}  // namespace

std::string ScanJson(const std::vector<ScanResult>& results, bool explain) {
  Json doc;
  doc["tool"] = ToolJson();
  Json arr = Json::array();
  for (const ScanResult& r : results) {
    Json j;
    j["target"] = Utf8(r.target);
    j["sha256"] = NullIfEmpty(r.sha256);
    j["package"] = {{"name", NullIfEmpty(r.package_name)},
                    {"version", NullIfEmpty(r.package_version)}};
    j["verdict"] = VerdictName(r.verdict);
    j["score"] = r.score;
    j["error"] = r.error ? Json(Utf8(*r.error)) : Json(nullptr);
    Json fs = Json::array();
    for (const Finding& f : r.findings) fs.push_back(FindingJson(f, explain));
    j["findings"] = std::move(fs);
    if (explain) j["reasons"] = r.reasons;
    arr.push_back(std::move(j));
  }
  doc["results"] = std::move(arr);
  return doc.dump(2) + "\n";
}

std::string ScanSarif(const std::vector<ScanResult>& results) {
  // Rules: one descriptor per rule id seen, with the first message as text.
  std::map<std::string, std::string> rule_text;
  for (const ScanResult& r : results)
    for (const Finding& f : r.findings) rule_text.emplace(f.rule, f.message);
  std::map<std::string, int> rule_index;
  Json rules = Json::array();
  for (const auto& [id, text] : rule_text) {
    rule_index[id] = static_cast<int>(rules.size());
    Json rd;
    rd["id"] = id;
    rd["name"] = id;
    rd["shortDescription"] = {{"text", "pyward rule " + id}};
    rules.push_back(std::move(rd));
  }
  Json sarif_results = Json::array();
  Json notifications = Json::array();
  Json targets = Json::array();
  for (const ScanResult& r : results) {
    targets.push_back({{"target", Utf8(r.target)},
                       {"verdict", VerdictName(r.verdict)},
                       {"score", r.score},
                       {"sha256", NullIfEmpty(r.sha256)}});
    if (r.error) {
      Json n;
      n["level"] = "error";
      n["message"] = {{"text", Utf8(r.target) + ": " + Utf8(*r.error)}};
      n["locations"] = Json::array({{{"physicalLocation",
                                      {{"artifactLocation", {{"uri", UriEncode(r.target)}}}}}}});
      notifications.push_back(std::move(n));
      continue;
    }
    for (const Finding& f : r.findings) {
      Json res;
      res["ruleId"] = f.rule;
      res["ruleIndex"] = rule_index[f.rule];
      res["level"] = SarifLevel(f.severity);
      res["message"] = {{"text", Utf8(f.message)}};
      std::string uri = f.file.empty() ? r.target : r.target + "/" + f.file;
      Json phys;
      phys["artifactLocation"] = {{"uri", UriEncode(Utf8(uri))}};
      if (f.line > 0) {
        Json region;
        region["startLine"] = f.line;
        if (!f.evidence.empty()) region["snippet"] = {{"text", Utf8(f.evidence)}};
        phys["region"] = std::move(region);
      }
      res["locations"] = Json::array({{{"physicalLocation", std::move(phys)}}});
      res["properties"] = {{"severity", SeverityName(f.severity)},
                           {"phase", PhaseName(f.phase)},
                           {"target", Utf8(r.target)},
                           {"verdict", VerdictName(r.verdict)}};
      sarif_results.push_back(std::move(res));
    }
  }
  Json driver;
  driver["name"] = "pyward";
  driver["version"] = PYWARD_VERSION;
  driver["rules"] = std::move(rules);
  Json invocation;
  invocation["executionSuccessful"] = notifications.empty();
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = std::move(notifications);
  Json run;
  run["tool"] = {{"driver", std::move(driver)}};
  run["invocations"] = Json::array({std::move(invocation)});
  run["results"] = std::move(sarif_results);
  run["properties"] = {{"targets", std::move(targets)}};
  Json doc;
  doc["$schema"] = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
  doc["version"] = "2.1.0";
  doc["runs"] = Json::array({std::move(run)});
  return doc.dump(2) + "\n";
}

std::string ScanTextOne(const ScanResult& r, const TextOptions& opts) {
  auto paint = [&](const std::string& s, const char* code) {
    return opts.color ? std::string("\x1b[") + code + "m" + s + "\x1b[0m" : s;
  };
  std::string verdict(VerdictName(r.verdict));
  std::transform(verdict.begin(), verdict.end(), verdict.begin(), ::toupper);
  const char* color = r.verdict == Verdict::kMalicious    ? "1;31"
                      : r.verdict == Verdict::kSuspicious ? "1;33"
                      : r.verdict == Verdict::kError      ? "1;35"
                                                          : "1;32";
  std::string out = Printable(r.target, 500) + "  " + paint(verdict, color);
  if (r.verdict != Verdict::kError) out += " (score " + std::to_string(r.score) + ")";
  if (!r.package_name.empty())
    out += "  " + Printable(r.package_name, 200) +
           (r.package_version.empty() ? "" : " " + Printable(r.package_version, 100));
  out += "\n";
  if (r.error) out += "  error: " + Printable(*r.error, 1000) + "\n";
  std::vector<const Finding*> sorted;
  for (const Finding& f : r.findings) sorted.push_back(&f);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Finding* a, const Finding* b) {
    return a->severity > b->severity;
  });
  for (const Finding* f : sorted) {
    std::string loc = f->file.empty() ? "(artifact)" : Printable(f->file, 300);
    if (f->line > 0) loc += ":" + std::to_string(f->line);
    out += "  " + loc + "  " + std::string(SeverityName(f->severity)) + "  " + f->rule + "  " +
           Printable(f->message, 500) + "\n";
    if (!f->evidence.empty())
      out += "      " + Printable(f->evidence, opts.evidence_chars) + "\n";
    if (opts.explain && !f->chain.empty()) out += "      hidden by: " + Printable(f->chain, 300) + "\n";
    if (opts.explain && !f->decoded.empty() && f->rule == "payload-decoded")
      out += "      decoded: " + Printable(f->decoded, opts.explain_chars) + "\n";
  }
  if (opts.explain && !r.reasons.empty()) {
    out += "  why " + std::string(VerdictName(r.verdict)) + " (score " + std::to_string(r.score) +
           "; malicious from 70, suspicious from 35):\n";
    for (const std::string& why : r.reasons) out += "    - " + Printable(why, 500) + "\n";
  }
  return out;
}

std::string ScanText(const std::vector<ScanResult>& results, const TextOptions& opts) {
  std::string out;
  int counts[4] = {0, 0, 0, 0};
  for (const ScanResult& r : results) {
    out += ScanTextOne(r, opts);
    ++counts[static_cast<int>(r.verdict)];
  }
  out += "\n" + std::to_string(results.size()) + " target(s): " +
         std::to_string(counts[int(Verdict::kMalicious)]) + " malicious, " +
         std::to_string(counts[int(Verdict::kSuspicious)]) + " suspicious, " +
         std::to_string(counts[int(Verdict::kClean)]) + " clean, " +
         std::to_string(counts[int(Verdict::kError)]) + " error\n";
  return out;
}

}  // namespace pyward
