#!/usr/bin/env python3
"""Conformance check of pyward's lockfile reader against Python's own parsers.

For every real lockfile found inside the benign corpus archives (read in memory
with tarfile/zipfile, never extracted) and every fixture under
tests/fixtures/lockfiles, pipes the content to `lockfile_dump --name NAME` and
compares what pyward's ReadLockfile returns with what tomllib / json see:
the package count, the (name, version) pairs, each entry's hashes, its group
where the file records one per entry (poetry category/groups, pdm groups,
Pipfile sections) and (for TOML formats) the line of each [[package]] header.

Exit status: 0 all agree, 1 a difference, 77 nothing to check (skip).
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tarfile
import zipfile

if sys.version_info < (3, 11):
    print("needs Python 3.11+ for tomllib")
    sys.exit(77)
import tomllib  # noqa: E402

LOCK_RE = re.compile(
    r"(?:^|/)(poetry\.lock|Pipfile\.lock|uv\.lock|pdm\.lock|pylock\.toml|pylock\.[^./]+\.toml)$")


def kind_of(name):
    m = LOCK_RE.search(name)
    if not m:
        return None
    base = m.group(1)
    return "pylock" if base.startswith("pylock") else base


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def header_lines(text, header):
    """1-based lines of each `[[header]]` array-of-tables header."""
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if s.startswith("[[" + header + "]]"):
            out.append(i)
    return out


def expected(kind, text):
    """[(name, version or None, sorted hashes, line or None)] per Python."""
    entries = []
    if kind == "Pipfile.lock":
        d = json.loads(text)
        for section, pkgs in d.items():
            if section == "_meta" or not isinstance(pkgs, dict):
                continue
            for name, e in pkgs.items():
                v = e.get("version", "")
                ver = v[2:].strip() if v.startswith("==") and not v.startswith("===") else (
                    v[3:].strip() if v.startswith("===") else None)
                group = {"default": "", "develop": "dev"}.get(section, section)
                entries.append((name, ver or None, sorted(set(e.get("hashes", []))), None, group))
        return entries
    d = tomllib.loads(text)
    key = "packages" if kind == "pylock" else "package"
    pkgs = d.get(key, [])
    lines = header_lines(text, key)
    if len(lines) != len(pkgs):
        lines = [None] * len(pkgs)
    legacy = {norm(k): v for k, v in d.get("metadata", {}).get("files", {}).items()} \
        if kind == "poetry.lock" else {}
    members = {norm(m) for m in d.get("manifest", {}).get("members", [])}
    for p, line in zip(pkgs, lines):
        name = p["name"]
        hashes = set()
        if kind == "poetry.lock":
            files = p.get("files", legacy.get(norm(name), []))
            hashes = {f["hash"] for f in files if "hash" in f}
        elif kind == "pdm.lock":
            hashes = {f["hash"] for f in p.get("files", []) if "hash" in f}
        elif kind == "uv.lock":
            src = p.get("source", {})
            is_local = "virtual" in src or src.get("editable") == "."
            if (norm(name) in members and ("virtual" in src or "editable" in src)) or \
                    (norm(name) not in members and is_local):
                continue  # the project itself
            if "hash" in p.get("sdist", {}):
                hashes.add(p["sdist"]["hash"])
            hashes |= {w["hash"] for w in p.get("wheels", []) if "hash" in w}
        else:  # pylock
            tables = [p.get("archive", {}), p.get("sdist", {})] + p.get("wheels", [])
            for t in tables:
                for algo, h in t.get("hashes", {}).items():
                    hashes.add(f"{algo}:{h}")
        ver = p.get("version")
        group = None  # uv and pylock derive groups from the graph / markers
        if kind == "poetry.lock":
            groups = p.get("groups") or ([p["category"]] if "category" in p else [])
            group = "" if not groups or "main" in groups else ",".join(sorted(set(groups)))
        elif kind == "pdm.lock":
            groups = p.get("groups", [])
            group = "" if "default" in groups else ",".join(sorted(set(groups)))
        entries.append((name, ver.strip() if isinstance(ver, str) and ver.strip() else None,
                        sorted(hashes), line, group))
    return entries


def compare(label, kind, text, dump):
    r = subprocess.run([dump, "--name", {"pylock": "pylock.toml"}.get(kind, kind)],
                       input=text.encode(), capture_output=True, timeout=120)
    if r.returncode != 0:
        return [f"{label}: lockfile_dump failed ({r.returncode}): {r.stdout[:300]!r} {r.stderr[:300]!r}"]
    got = json.loads(r.stdout)
    exp = expected(kind, text)
    deps = got["dependencies"]
    errs = []
    if len(deps) != len(exp):
        errs.append(f"{label}: {len(deps)} packages, Python sees {len(exp)}")
    got_map = collections.Counter((d["name"], d["version"]) for d in deps)
    exp_map = collections.Counter((e[0], e[1]) for e in exp)
    if got_map != exp_map:
        errs.append(f"{label}: name->version differs: only pyward {dict(got_map - exp_map)}, "
                    f"only Python {dict(exp_map - got_map)}")
    for d, e in zip(deps, exp):
        if sorted(set(d["hashes"])) != e[2]:
            errs.append(f"{label}: hashes of {d['name']} {d['version']} differ "
                        f"({len(d['hashes'])} vs {len(e[2])})")
        if e[4] is not None and d["group"] != e[4]:
            errs.append(f"{label}: group of {d['name']} is {d['group']!r}, the file says {e[4]!r}")
        if e[3] is not None and d["line"] != e[3]:
            errs.append(f"{label}: line of {d['name']} is {d['line']}, header at {e[3]}")
    if got["uses_hashes"] != any(e[2] for e in exp):
        errs.append(f"{label}: uses_hashes {got['uses_hashes']}")
    return errs


def corpus_lockfiles(root):
    for sub in sorted(os.listdir(root)):
        d = os.path.join(root, sub)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            p = os.path.join(d, f)
            try:
                if ".tar" in f or f.endswith(".tgz"):
                    with tarfile.open(p) as t:
                        for m in t.getmembers():
                            k = kind_of(m.name)
                            if k and m.isfile() and m.size < (64 << 20):
                                yield f"{f}!{m.name}", k, t.extractfile(m).read()
                elif f.endswith((".zip", ".whl")):
                    with zipfile.ZipFile(p) as z:
                        for n in z.namelist():
                            k = kind_of(n)
                            if k:
                                yield f"{f}!{n}", k, z.read(n)
            except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError) as e:
                print(f"note: cannot read {p}: {e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dump", required=True, help="path of the lockfile_dump binary")
    ap.add_argument("--corpus", help="benign corpus folder (archives)")
    ap.add_argument("--fixtures", help="folder of hand-written lockfiles")
    args = ap.parse_args()

    sources = []
    if args.fixtures and os.path.isdir(args.fixtures):
        for dirpath, _, files in os.walk(args.fixtures):
            for f in sorted(files):
                k = kind_of(f)
                if k:
                    p = os.path.join(dirpath, f)
                    sources.append(("fixture", p, k, open(p, "rb").read()))
    n_corpus = 0
    if args.corpus and os.path.isdir(args.corpus):
        for label, k, data in corpus_lockfiles(args.corpus):
            sources.append(("corpus", label, k, data))
            n_corpus += 1
    if not sources:
        print("no lockfiles to check")
        return 77

    counts = collections.Counter()
    packages = collections.Counter()
    failures = []
    for origin, label, kind, data in sources:
        try:
            text = data.decode("utf-8")
            expected(kind, text)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError, KeyError,
                TypeError, AttributeError) as e:
            print(f"note: Python cannot read {label} either ({type(e).__name__}); skipped")
            continue
        errs = compare(label, kind, text, args.dump)
        counts[(origin, kind)] += 1
        packages[(origin, kind)] += len(expected(kind, text))
        failures.extend(errs)
    for (origin, kind), n in sorted(counts.items()):
        print(f"{origin:8} {kind:13} {n:4} files {packages[(origin, kind)]:6} packages")
    if n_corpus == 0:
        print("note: corpus not found, only fixtures checked")
    for e in failures[:50]:
        print("FAIL", e)
    print(f"{len(failures)} differences")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
