#!/usr/bin/env python3
"""Conformance check of pyward's installed-environment reader (ReadEnvironment).

For each real environment on the machine (Debian's /usr/lib/python3/dist-packages,
the pyenv interpreters' site-packages, extra folders given with --env), runs
`lockfile_dump --env DIR` and compares with an independent reading in Python:
the set of (name, version) distributions (importlib.metadata over that folder)
and, for every RECORD row with a hash, whether the file is missing, differs
(csv + hashlib + urlsafe base64, hex digests accepted) or leaves the folder.

Exit status: 0 all agree, 1 a difference, 77 no environment found (skip).
"""
import argparse
import base64
import collections
import csv
import glob
import hashlib
import importlib.metadata
import json
import os
import stat
import subprocess
import sys


def expected(site):
    """(Counter of (name, version), {(record, row_line): rule})."""
    dists = collections.Counter()
    for d in importlib.metadata.distributions(path=[site]):
        name = d.metadata["Name"]
        dists[(name, d.version)] += 1
    root = os.path.realpath(site)
    problems = {}
    for rec in sorted(glob.glob(os.path.join(site, "*.dist-info", "RECORD"))):
        with open(rec, newline="", encoding="utf-8", errors="surrogateescape") as f:
            reader = csv.reader(f)
            for row in reader:
                line = reader.line_num
                if len(row) < 2 or not row[1]:
                    continue
                algo, _, value = row[1].partition("=")
                key = (rec, line)
                if algo not in ("sha224", "sha256", "sha384", "sha512") or not value:
                    problems[key] = "other"
                    continue
                path = row[0].replace("\\", "/")
                full = os.path.normpath(os.path.join(site, path))
                if os.path.isabs(path) or not (full + "/").startswith(root.rstrip("/") + "/") \
                        and not (full + "/").startswith(os.path.normpath(site) + "/"):
                    problems[key] = "record-path-outside-root"
                    continue
                if not os.path.lexists(full):
                    problems[key] = "record-file-missing"
                    continue
                real = os.path.realpath(full)
                if not (real + "/").startswith(root + "/"):
                    problems[key] = "record-path-outside-root"
                    continue
                if not os.path.exists(real):
                    problems[key] = "record-file-missing"
                    continue
                if not stat.S_ISREG(os.stat(real).st_mode):
                    problems[key] = "record-hash-mismatch"
                    continue
                with open(real, "rb") as fh:
                    digest = hashlib.new(algo, fh.read()).digest()
                b64 = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if value.rstrip("=") != b64 and value.lower() != digest.hex():
                    problems[key] = "record-hash-mismatch"
    return dists, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dump", required=True, help="path of the lockfile_dump binary")
    ap.add_argument("--env", action="append", default=[], help="extra site folder")
    args = ap.parse_args()
    sites = [p for p in ["/usr/lib/python3/dist-packages"] if os.path.isdir(p)]
    sites += sorted(glob.glob("/root/.pyenv/versions/*/lib/python*/site-packages"))
    sites += args.env
    sites = [s for s in sites if glob.glob(os.path.join(s, "*.dist-info"))]
    if not sites:
        print("no environment to check")
        return 77
    failures = []
    total = collections.Counter()
    for site in sites:
        r = subprocess.run([args.dump, "--env", site], capture_output=True, timeout=300)
        if r.returncode != 0:
            failures.append(f"{site}: lockfile_dump failed: {r.stdout[:300]!r}")
            continue
        got = json.loads(r.stdout)
        exp_dists, exp_problems = expected(site)
        got_dists = collections.Counter((d["name"], d["version"]) for d in got["dependencies"])
        if got_dists != exp_dists:
            failures.append(f"{site}: distributions differ: only pyward "
                            f"{dict(got_dists - exp_dists)}, only Python {dict(exp_dists - got_dists)}")
        got_problems = {(p["file"], p["line"]): p["rule"] for p in got["problems"]
                        if p["rule"].startswith("record-")}
        for key in sorted(set(got_problems) | set(exp_problems)):
            g, e = got_problems.get(key), exp_problems.get(key)
            if e == "other" and g in ("record-hash-unsupported", "record-malformed"):
                continue
            if g != e:
                failures.append(f"{site}: {key[0]} row {key[1]}: pyward {g}, Python {e}")
        counts = collections.Counter(exp_problems.values())
        n_hashed = sum(1 for rec in glob.glob(os.path.join(site, "*.dist-info", "RECORD"))
                       for row in csv.reader(open(rec, newline="", errors="surrogateescape"))
                       if len(row) >= 2 and row[1])
        print(f"{site}: {sum(exp_dists.values())} distributions, {n_hashed} hashed RECORD rows, "
              f"problems {dict(sorted(counts.items()))}")
        total["sites"] += 1
    for f in failures[:50]:
        print("FAIL", f)
    print(f"{total['sites']} environments, {len(failures)} differences")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
