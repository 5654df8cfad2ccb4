#!/usr/bin/python3
"""End-to-end checks of `pyward names`: `check` reads the malicious-package
(OSV MAL-) entries of an advisory database built here from a tiny synthetic
OSV folder and zip (--db, $PYWARD_DB), and `confusion` follows includes and
reads pyproject.toml and lockfiles written here. Nothing is downloaded.

usage: cli_names_test.py PYWARD
"""
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PYWARD = sys.argv[1]
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def run(*args, env=None):
    p = subprocess.run([PYWARD, *args], capture_output=True, text=True,
                       env=env, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def mal_entry(mid, name):
    return {"id": mid, "modified": "2024-01-01T00:00:00Z",
            "summary": f"Malicious code in {name} (PyPI)",
            "affected": [{"package": {"ecosystem": "PyPI", "name": name},
                          "ranges": [{"type": "ECOSYSTEM",
                                      "events": [{"introduced": "0"}]}]}]}


def names_check(tmp):
    osv = tmp / "osv"
    osv.mkdir()
    (osv / "MAL-9100-1.json").write_text(json.dumps(mal_entry("MAL-9100-1", "Evil_Thing")))
    zpath = tmp / "osv.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.writestr("MAL-9100-2.json", json.dumps(mal_entry("MAL-9100-2", "evil-thing")))
        z.writestr("MAL-9100-3.json", json.dumps(mal_entry("MAL-9100-3", "other-bad")))
    db = str(tmp / "adv.sqlite")
    rc, _, err = run("db", "import", "--db", db, str(osv), str(zpath))
    check(rc == 0, f"db import: {err}")

    rc, out, err = run("names", "check", "--db", db, "--format", "json",
                       "evil.thing", "zzqqx-clean-name")
    lines = [json.loads(l) for l in out.splitlines()]
    check(rc == 1, f"a known-malicious name exits 1: {rc} {err}")
    check(len(lines) == 2, f"one JSON object per name: {out}")
    if len(lines) == 2:
        bad, ok = lines
        for key in ("name", "verdict", "score", "matches", "malicious"):
            check(key in bad and key in ok, f"JSON key {key}")
        check(bad["name"] == "evil.thing", "name as given")
        check(bad["verdict"] == "malicious", f"verdict malicious: {bad}")
        check(sorted(bad["malicious"]) == ["MAL-9100-1", "MAL-9100-2"],
              f"MAL ids from folder and zip: {bad['malicious']}")
        check(any(m["kind"] == "known-malicious" for m in bad["matches"]),
              "known-malicious match")
        check(ok["verdict"] == "clean" and ok["malicious"] == [],
              f"other names unaffected: {ok}")

    # $PYWARD_DB is used when --db is absent.
    env = dict(os.environ, PYWARD_DB=db)
    rc, out, _ = run("names", "check", "--format", "json", "other_bad", env=env)
    check(rc == 1 and json.loads(out)["malicious"] == ["MAL-9100-3"],
          f"$PYWARD_DB: {out}")
    # Text output names the advisory.
    rc, out, _ = run("names", "check", "other-bad", env=env)
    check(rc == 1 and "MAL-9100-3" in out, f"text names the advisory: {out}")
    # --no-db: rules only.
    rc, out, _ = run("names", "check", "--no-db", "--format", "json", "other-bad",
                     env=env)
    check(rc == 0 and json.loads(out)["malicious"] == [], f"--no-db: {out}")
    # A missing --db is a usage error; a missing default is a note.
    rc, _, err = run("names", "check", "--db", str(tmp / "none.sqlite"), "x")
    check(rc == 2 and "no advisory database" in err, f"missing --db: {err}")
    env2 = dict(os.environ, PYWARD_DB=str(tmp / "absent.sqlite"))
    rc, out, err = run("names", "check", "--format", "json", "zzqqx-clean-name",
                       env=env2)
    check(rc == 0 and "note" in err and json.loads(out)["verdict"] == "clean",
          f"missing default db: {rc} {err}")


def main():
    with tempfile.TemporaryDirectory(prefix="pyward-names-") as t:
        tmp = Path(t)
        names_check(tmp)
    print(f"{len(FAILURES)} failure(s)")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
