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


PRIVATE = "https://pypi.acme.internal/simple/"


def confusion(tmp):
    """names confusion over includes, pyproject.toml and lockfiles."""
    d = tmp / "conf"
    d.mkdir()
    public = d / "public.txt"
    public.write_text("requests\nacme-billing\n")  # acme-billing is exposed
    cfg = d / "team.toml"
    cfg.write_text(f'[private]\nindex-url = "{PRIVATE}"\n'
                   'packages = ["acme-billing"]\nprefixes = ["acme-"]\n'
                   f'[public]\nnames = "{public}"\n')

    def high(res):
        return [x["name"] for x in res[0]["findings"] if x["severity"] == "high"] if res else None

    def medium(res):
        return [x["name"] for x in res[0]["findings"] if x["severity"] == "medium"] if res else None

    def conf(*files):
        rc, out, err = run("names", "confusion", "--config", str(cfg),
                           "--format", "json", *map(str, files))
        try:
            return rc, [json.loads(l) for l in out.splitlines()], err
        except ValueError:
            return rc, [], err + out

    # Requirements: the include sets a public extra index; the cycle back to
    # the top file and an include given as a URL are notes, not hangs.
    (d / "sub").mkdir()
    top = d / "requirements.txt"
    top.write_text(f"-i {PRIVATE}\nrequests\n-r sub/more.txt\n"
                   "-r https://example.invalid/x.txt\n")
    (d / "sub" / "more.txt").write_text(
        "--extra-index-url https://pypi.org/simple\nacme-billing==1.0\n"
        "-r ../requirements.txt\n-r missing.txt\n")
    rc, res, err = conf(top)
    check(rc == 1 and len(res) == 1, f"include followed: {rc} {res} {err}")
    if res:
        f = res[0]["findings"]
        check(len(f) == 1 and f[0]["name"] == "acme-billing" and
              f[0]["severity"] == "high" and
              f[0]["file"].endswith("sub/more.txt") and f[0]["line"] == 2,
              f"finding in the included file: {f}")
        notes = " ".join(res[0]["notes"])
        check("URL" in notes and "missing.txt" in notes and "once" in notes,
              f"notes for URL, unreadable and cyclic includes: {notes}")
    # Only the private index: nothing to report.
    safe = d / "safe.txt"
    (d / "safe-inc.txt").write_text("acme-billing\nacme-auth\n")
    safe.write_text(f"--index-url {PRIVATE}\n-r safe-inc.txt\n")
    rc, res, err = conf(safe)
    check(rc == 1 and res and [(x["name"], x["severity"]) for x in res[0]["findings"]]
          == [("acme-billing", "medium")],
          f"private index only: only the name the public index serves: {rc} {res} {err}")

    # pyproject.toml: PEP 621 dependencies resolve from the public index ...
    pp = d / "p1" / "pyproject.toml"
    pp.parent.mkdir()
    pp.write_text('[project]\nname = "app"\nversion = "1"\n'
                  'dependencies = ["requests", "acme-auth>=1"]\n')
    rc, res, err = conf(pp)
    check(rc == 1 and res and [x["name"] for x in res[0]["findings"]] == ["acme-auth"]
          and res[0]["findings"][0]["line"] == 4,
          f"pyproject without private index: {rc} {res} {err}")
    # ... unless uv's default index is the private one,
    pp2 = d / "p2" / "pyproject.toml"
    pp2.parent.mkdir()
    pp2.write_text('[project]\nname = "app"\nversion = "1"\n'
                   'dependencies = ["acme-auth"]\n'
                   f'[[tool.uv.index]]\nname = "acme"\nurl = "{PRIVATE}"\n'
                   'default = true\n')
    rc, res, err = conf(pp2)
    check(rc == 0 and res and res[0]["findings"] == [], f"uv default index: {res} {err}")
    # ... or a Poetry dependency is pinned to the private source; a
    # supplemental private source leaves the public index first.
    pp3 = d / "p3" / "pyproject.toml"
    pp3.parent.mkdir()
    pp3.write_text('[tool.poetry]\nname = "app"\nversion = "1"\n'
                   '[tool.poetry.dependencies]\npython = "^3.9"\n'
                   'acme-billing = { version = "^1", source = "acme" }\n'
                   'acme-auth = "^2"\n'
                   f'[[tool.poetry.source]]\nname = "acme"\nurl = "{PRIVATE}"\n'
                   'priority = "supplemental"\n')
    rc, res, err = conf(pp3)
    check(rc == 1 and high(res) == ["acme-auth"] and medium(res) == ["acme-billing"],
          f"poetry sources: {rc} {res} {err}")

    # Lockfiles: the index each private package was locked from.
    uv = d / "l1" / "uv.lock"
    uv.parent.mkdir()
    uv.write_text('version = 1\nrequires-python = ">=3.9"\n\n'
                  '[[package]]\nname = "acme-auth"\nversion = "1.0"\n'
                  'source = { registry = "https://pypi.org/simple" }\n\n'
                  '[[package]]\nname = "acme-billing"\nversion = "1.0"\n'
                  f'source = {{ registry = "{PRIVATE}" }}\n')
    rc, res, err = conf(uv)
    check(rc == 1 and high(res) == ["acme-auth"] and medium(res) == ["acme-billing"]
          and res[0]["findings"][0]["line"] == 4,
          f"uv.lock: {rc} {res} {err}")
    poetry = d / "l2" / "poetry.lock"
    poetry.parent.mkdir()
    poetry.write_text('[[package]]\nname = "acme-billing"\nversion = "1.0"\n'
                      'description = ""\noptional = false\n'
                      'python-versions = "*"\nfiles = []\n\n'
                      '[metadata]\nlock-version = "2.0"\n'
                      'python-versions = "^3.9"\ncontent-hash = "x"\n')
    rc, res, err = conf(poetry)
    check(rc == 1 and res and [x["name"] for x in res[0]["findings"]] == ["acme-billing"]
          and "public index has" in res[0]["findings"][0]["message"],
          f"poetry.lock without a source is the public index: {rc} {res} {err}")
    # An unreadable input is a usage error.
    rc, res, err = conf(d / "nope.txt")
    check(rc == 2, f"unreadable input: {rc}")


def main():
    with tempfile.TemporaryDirectory(prefix="pyward-names-") as t:
        tmp = Path(t)
        names_check(tmp)
        confusion(tmp)
    print(f"{len(FAILURES)} failure(s)")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
