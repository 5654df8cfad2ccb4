#!/usr/bin/python3
"""End-to-end checks of `pyward db` and `pyward audit` on a small synthetic
OSV database: exit statuses, the JSON audit contract, SARIF 2.1.0 validity
(against the official schema, with python3-jsonschema), markdown, the policy
file, and `pyward db update` from an HTTP server on 127.0.0.1 that this
script starts and stops.

usage: cli_audit_test.py PYWARD SARIF_SCHEMA
"""
import http.server
import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

import jsonschema

PYWARD, SCHEMA = sys.argv[1], sys.argv[2]
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def run(*args, env=None):
    p = subprocess.run([PYWARD, *args], capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


ENTRIES = {
    "PYSEC-9000-1.json": {
        "id": "PYSEC-9000-1", "modified": "2024-01-01T00:00:00Z",
        "aliases": ["CVE-9000-1", "GHSA-aaaa-bbbb-cccc"],
        "summary": "demo bug",
        "severity": [{"type": "CVSS_V3",
                      "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        "affected": [{"package": {"ecosystem": "PyPI", "name": "Demo_Lib"},
                      "ranges": [{"type": "ECOSYSTEM",
                                  "events": [{"introduced": "0"}, {"fixed": "1.5"}]}],
                      "versions": ["1.0", "1.4"]}]},
    "GHSA-aaaa-bbbb-cccc.json": {
        "id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-02-01T00:00:00Z",
        "aliases": ["CVE-9000-1"],
        "affected": [{"package": {"ecosystem": "PyPI", "name": "demo-lib"},
                      "ranges": [{"type": "ECOSYSTEM",
                                  "events": [{"introduced": "0"}, {"fixed": "1.5.1"}]}]}]},
    "PYSEC-9000-2.json": {
        "id": "PYSEC-9000-2", "modified": "2024-01-01T00:00:00Z",
        "withdrawn": "2024-03-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "other"},
                      "versions": ["2.0"]}]},
    "MAL-9000-1.json": {
        "id": "MAL-9000-1", "modified": "2024-01-01T00:00:00Z",
        "summary": "Malicious code in evil-pkg (PyPI)",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "evil-pkg"},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]},
}


def main():
    with tempfile.TemporaryDirectory(prefix="pyward-audit-") as t:
        return checks(Path(t))


def checks(tmp):
    osv = tmp / "osv"
    osv.mkdir()
    for name, doc in ENTRIES.items():
        (osv / name).write_text(json.dumps(doc))
    db = str(tmp / "db.sqlite")
    env = dict(os.environ, PYWARD_DB=db)

    # db import from a folder, then info.
    rc, out, err = run("db", "import", str(osv), env=env)
    check(rc == 0, f"db import exit {rc}: {err}")
    check("imported 3 advisories" in out, f"db import output: {out!r}")
    rc, out, err = run("db", "info", "--format", "json", env=env)
    info = json.loads(out) if rc == 0 else {}
    check(info.get("advisories") == 3 and info.get("malicious") == 1
          and info.get("alias_groups") == 2, f"db info: {info}")
    check(info.get("age_seconds", -1) >= 0, "db info age")
    rc, out, err = run("db", "info", "--db", str(tmp / "nope.sqlite"))
    check(rc == 2, f"db info on a missing database: exit {rc}")

    clean = tmp / "clean.txt"
    clean.write_text("demo-lib==1.6\n")
    vuln = tmp / "requirements.txt"
    vuln.write_text("Demo.Lib==1.4 --hash=sha256:" + "0" * 64 + "\n"
                    "evil-pkg>=0.1\nrequests>=2\n")
    broken = tmp / "broken.txt"
    broken.write_text("-r does-not-exist.txt\ndemo-lib==1.6\n")

    rc, out, err = run("audit", str(clean), env=env)
    check(rc == 0, f"clean audit exit {rc}: {out}{err}")
    rc, out, err = run("audit", str(vuln), env=env)
    check(rc == 1, f"vulnerable audit exit {rc}")
    rc, out, err = run("audit", str(broken), env=env)
    check(rc == 2, f"broken input exit {rc}")
    rc, out, err = run("audit", str(tmp / "absent.txt"), env=env)
    check(rc == 2, f"absent input exit {rc}")
    rc, out, err = run("audit", "--format", "nope", str(clean), env=env)
    check(rc == 2, f"bad format exit {rc}")
    rc, out, err = run("audit", "--db", str(tmp / "nope.sqlite"), str(clean))
    check(rc == 2, f"missing database exit {rc}")
    rc, out, err = run("audit", "--fail-on", "critical", str(vuln), env=env)
    check(rc == 1, f"--fail-on critical still fails on a malicious package: {rc}")

    # JSON contract.
    rc, out, err = run("audit", "--format", "json", str(vuln), str(broken), env=env)
    doc = json.loads(out)
    check(set(doc) == {"tool", "results"}, f"top-level keys {set(doc)}")
    check(doc["tool"]["name"] == "pyward", "tool name")
    check([r["target"] for r in doc["results"]] == [str(vuln), str(broken)], "targets in order")
    r0 = doc["results"][0]
    check(set(r0) == {"target", "error", "dependencies"}, f"result keys {set(r0)}")
    check(r0["error"] is None, "no error for a readable file")
    deps = r0["dependencies"]
    check([d["name"] for d in deps] == ["Demo.Lib", "evil-pkg", "requests"], "names as written")
    for d in deps:
        check(set(d) == {"name", "version", "specifier", "vulnerabilities",
                         "malicious", "findings"}, f"dependency keys {set(d)}")
        for f in d["findings"]:
            check(set(f) == {"rule", "severity", "phase", "file", "line",
                             "message", "evidence"}, f"finding keys {set(f)}")
    v = deps[0]["vulnerabilities"]
    check(len(v) == 1, f"aliases merged into one vulnerability: {v}")
    if v:
        check(set(v[0]) == {"id", "aliases", "severity", "fixed"}, "vulnerability keys")
        check(v[0]["id"] == "GHSA-aaaa-bbbb-cccc" and "PYSEC-9000-1" in v[0]["aliases"]
              and "CVE-9000-1" in v[0]["aliases"], f"merged ids {v[0]}")
        check(v[0]["severity"] == "critical", "severity from CVSS")
        check(v[0]["fixed"] == ["1.5", "1.5.1"], f"fixed {v[0]['fixed']}")
    check(deps[0]["version"] == "1.4" and deps[2]["version"] is None, "versions")
    check(deps[1]["malicious"] == ["MAL-9000-1"], "malicious")
    rules = {f["rule"] for d in deps for f in d["findings"]}
    check({"vulnerable-dependency", "malicious-package", "unpinned-requirement",
           "missing-hash"} <= rules, f"rules {rules}")
    check(doc["results"][1]["error"] and "does-not-exist" in doc["results"][1]["error"],
          "include error reported")

    # SARIF validates against the official schema.
    schema = json.loads(Path(SCHEMA).read_text())
    rc, out, err = run("audit", "--format", "sarif", str(vuln), str(broken),
                       str(tmp / "absent.txt"), env=env)
    sarif = json.loads(out)
    try:
        jsonschema.validate(sarif, schema)
    except jsonschema.ValidationError as e:
        check(False, f"SARIF invalid: {e.message} at {list(e.absolute_path)}")
    check(len(sarif["runs"][0]["results"]) >= 4, "SARIF results")

    # Markdown and text.
    rc, out, err = run("audit", "--format", "markdown", str(vuln), env=env)
    check("| Demo.Lib | 1.4 |" in out and "malicious-package" in out, "markdown table")
    rc, out, err = run("audit", str(vuln), env=env)
    check(f"{vuln}:1: Demo.Lib 1.4: [critical] vulnerable-dependency" in out,
          f"text file:line: {out[:300]}")

    # Policy: ignore by alias with reason; expired entries are reported again.
    pol = tmp / "policy.toml"
    pol.write_text('[[ignore]]\nid = "CVE-9000-1"\nreason = "unreachable"\n'
                   '[[ignore]]\nid = "MAL-9000-1"\nreason = "test"\nexpires = 2000-01-01\n')
    ok = tmp / "ok.txt"
    ok.write_text("demo-lib==1.4\n")
    rc, out, err = run("audit", "--policy", str(pol), "--format", "json", str(ok), env=env)
    check(rc == 0, f"policy-ignored audit exit {rc}: {out}")
    rc, out, err = run("audit", "--policy", str(pol), "--format", "json", str(vuln), env=env)
    d = json.loads(out)["results"][0]["dependencies"]
    check(d[0]["vulnerabilities"] == [] and d[1]["malicious"] == ["MAL-9000-1"],
          "ignored by alias; expired ignore not applied")
    bad_pol = tmp / "bad.toml"
    bad_pol.write_text('[[ignore]]\nid = "X"\n')
    rc, out, err = run("audit", "--policy", str(bad_pol), str(ok), env=env)
    check(rc == 2 and "reason" in err, f"policy without reason: {rc} {err}")

    # Markers against a target.
    mk = tmp / "markers.txt"
    mk.write_text("demo-lib==1.4; sys_platform == 'win32'\n")
    rc, out, err = run("audit", "--platform", "linux", "--format", "json", str(mk), env=env)
    check(rc == 0 and json.loads(out)["results"][0]["dependencies"] == [],
          "dependency for another platform left out")
    rc, out, err = run("audit", "--platform", "win32", str(mk), env=env)
    check(rc == 1, "dependency for the target platform audited")

    # Repeatable options take one value each and leave positionals alone.
    rc, out, err = run("audit", "--format", "json", "--extra", "a", "--env", str(tmp / "nope"),
                       "--extra", "b", str(clean), env=env)
    targets = [r["target"] for r in json.loads(out)["results"]] if out else []
    check(targets == [str(clean), str(tmp / "nope")], f"positional kept: {targets} {err}")
    (tmp / "venv").mkdir()
    (tmp / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    rc, out, err = run("audit", "--format", "json", str(tmp / "venv"), env=env)
    check(rc == 2 and json.loads(out)["results"][0]["error"],
          "an environment without distributions is an input error")
    # An installed environment: versions from METADATA, RECORD hashes checked.
    site = tmp / "venv" / "lib" / "python3.11" / "site-packages"
    (site / "demo_lib").mkdir(parents=True)
    (site / "demo_lib" / "__init__.py").write_text("tampered = True\n")
    dist = site / "demo_lib-1.4.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-lib\nVersion: 1.4\n")
    digest = base64.urlsafe_b64encode(hashlib.sha256(b"original\n").digest()).rstrip(b"=").decode()
    (dist / "RECORD").write_text(f"demo_lib/__init__.py,sha256={digest},9\n"
                                 "demo_lib-1.4.dist-info/METADATA,,\n")
    rc, out, err = run("audit", "--format", "json", "--env", str(tmp / "venv"), env=env)
    res = json.loads(out)["results"][0] if out else {}
    deps = res.get("dependencies", [])
    check(rc == 1 and [d["name"] for d in deps] == ["demo-lib"] and deps[0]["version"] == "1.4"
          and deps[0]["vulnerabilities"], f"environment audited: {out} {err}")
    check("record-hash-mismatch" in out, f"tampered installed file reported: {out}")

    # Folder input and lockfile dispatch.
    proj = tmp / "proj"
    proj.mkdir()
    (proj / "requirements.txt").write_text("demo-lib==1.6\n")
    (proj / "pyproject.toml").write_text('[project]\nname="x"\ndependencies=["demo-lib==1.6"]\n')
    (proj / "poetry.lock").write_text(
        '[[package]]\nname = "demo-lib"\nversion = "1.4"\ndescription = ""\n'
        'optional = false\npython-versions = "*"\nfiles = []\n\n'
        '[metadata]\nlock-version = "2.0"\npython-versions = "*"\ncontent-hash = "x"\n')
    rc, out, err = run("audit", "--format", "json", str(proj), env=env)
    res = json.loads(out)["results"]
    check(len(res) == 3, f"folder expands to its manifests: {[r['target'] for r in res]}")
    lock = [r for r in res if r["target"].endswith("poetry.lock")]
    check(lock and lock[0]["error"] is None and lock[0]["dependencies"][0]["version"] == "1.4"
          and lock[0]["dependencies"][0]["vulnerabilities"],
          f"lockfile read and audited: {lock}")
    (proj / "poetry.lock").write_text("[[package]\nname = ")
    rc, out, err = run("audit", "--format", "json", str(proj / "poetry.lock"), env=env)
    check(rc == 2 and json.loads(out)["results"][0]["error"], "a broken lockfile is an input error")

    # Dependency names are judged too: a typosquat of a popular project.
    squat = tmp / "squat.txt"
    squat.write_text("reqeusts==1.0\n")
    rc, out, err = run("audit", "--no-advisories", "--format", "json", str(squat), env=env)
    deps = json.loads(out)["results"][0]["dependencies"] if out else []
    check(rc == 1 and deps and any(f["rule"] == "typosquat" and f["line"] == 1
                                   for f in deps[0]["findings"]), f"typosquat finding: {out}")
    rc, out, err = run("audit", "--no-advisories", "--no-name-checks", str(squat), env=env)
    check(rc == 0, f"--no-name-checks turns them off: {out}")

    # db update from a local HTTP server.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, doc in ENTRIES.items():
            zf.writestr(name, json.dumps(doc))
    payload = buf.getvalue()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/PyPI/all.zip":
                self.send_response(200)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            else:
                self.send_error(404)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        updb = str(tmp / "updated.sqlite")
        rc, out, err = run("db", "update", "--db", updb, "--url",
                           f"http://127.0.0.1:{port}/PyPI/all.zip")
        check(rc == 0 and "imported 3 advisories" in out, f"db update: {rc} {out} {err}")
        rc, out, err = run("audit", "--db", updb, str(vuln))
        check(rc == 1, "audit against the updated database")
        rc, out, err = run("db", "update", "--db", updb, "--url",
                           f"http://127.0.0.1:{port}/missing.zip")
        check(rc == 2 and "404" in err, f"db update 404: {rc} {err}")
    finally:
        server.shutdown()
        server.server_close()
    print(f"{len(FAILURES)} failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
