#!/usr/bin/env python3
"""Conformance of pyward's Python front end against CPython's ast module.

For every .py file of the given sources, dumps the same facts as
`pyward parse --facts` (calls by dotted name, imports, defs, with lines)
using a reference CPython's `ast`, and compares them file by file as
multisets. Reports:
  - files CPython accepts that pyward reports as not ok (must be 0),
  - fact agreement over accepted files: shared facts / all facts (>= 99.9%),
  - files where pyward produced no output (crash) (must be 0).

Sources (default: all of them):
  /usr/lib/python3.11 with /usr/bin/python3,
  /root/.pyenv/versions/*/lib/python*/ with that interpreter when it is
  3.9 or newer, else with 3.12 (older grammars are subsets; Python 2.7's
  files that 3.12 rejects count as rejected),
  the archives in /work/shared/corpus/benign-dev (every .py member, read
  in memory with tarfile/zipfile, written to a temporary folder for pyward)
  with 3.12.
Python 3.6-3.8 stdlibs are judged by 3.12 too: their grammars are subsets,
and 3.8's own ast misplaces nodes inside multi-line f-strings.

usage: parse_conformance.py --pyward build/pyward [--limit N] [--verbose]
  --limit N keeps a deterministic subset: N files per source, evenly spread.
Exit status 0 when both goals hold, 1 otherwise.
"""
import argparse
import collections
import glob
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

WORKER = r'''
import ast, json, sys, warnings
warnings.simplefilter("ignore")

def dotted(n):
    parts = []
    while isinstance(n, ast.Attribute):
        parts.append(n.attr)
        n = n.value
    if not isinstance(n, ast.Name):
        return None
    parts.append(n.id)
    return ".".join(reversed(parts))

def facts(tree):
    calls, imports, defs = [], [], []
    for n in ast.walk(tree):
        if isinstance(n, ast.Call):
            d = dotted(n.func)
            if d is not None:
                calls.append([n.lineno, d])
        elif isinstance(n, ast.Import):
            for a in n.names:
                imports.append([n.lineno, a.name])
        elif isinstance(n, ast.ImportFrom):
            base = "." * (n.level or 0) + (n.module + "." if n.module else "")
            for a in n.names:
                imports.append([n.lineno, base + a.name])
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defs.append([n.lineno, n.name])
    return calls, imports, defs

for line in sys.stdin:
    path = line.rstrip("\n")
    try:
        with open(path, "rb") as f:
            src = f.read()
        tree = ast.parse(src)
        c, i, d = facts(tree)
        out = {"ok": True, "calls": c, "imports": i, "defs": d}
    except (SyntaxError, ValueError, MemoryError, RecursionError) as e:
        out = {"ok": False}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
'''

PY312 = "/root/.pyenv/versions/3.12.1/bin/python"
if not os.path.exists(PY312):
    PY312 = sys.executable


def version_of(python):
    out = subprocess.run([python, "-c", "import sys;print(sys.version_info[0]*100+sys.version_info[1])"],
                         capture_output=True, text=True)
    return int(out.stdout.strip())


def spread(items, limit):
    if not limit or len(items) <= limit:
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def py_files(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        if "site-packages" in dirpath.split(os.sep) or "dist-packages" in dirpath.split(os.sep):
            dirnames[:] = []
            continue
        for f in sorted(filenames):
            if f.endswith(".py"):
                p = os.path.join(dirpath, f)
                if os.path.isfile(p) and not os.path.islink(p):
                    out.append(p)
    return out


def archive_members(path):
    """(member name, bytes) of every .py member of a tar or zip archive."""
    out = []
    try:
        if path.endswith(".whl") or path.endswith(".zip"):
            with zipfile.ZipFile(path) as z:
                for info in z.infolist():
                    if info.filename.endswith(".py") and not info.is_dir():
                        out.append((info.filename, z.read(info)))
        else:
            with tarfile.open(path) as t:
                for m in t:
                    if m.isfile() and m.name.endswith(".py"):
                        out.append((m.name, t.extractfile(m).read()))
    except Exception as e:  # unreadable archive: skip it, say so
        print("warning: cannot read %s: %s" % (path, e), file=sys.stderr)
    return out


def sources(limit, tmp):
    """Yields (source name, reference python, [(label, path on disk)])."""
    groups = []
    if os.path.isdir("/usr/lib/python3.11"):
        groups.append(("debian-3.11", "/usr/bin/python3", "/usr/lib/python3.11"))
    for vdir in sorted(glob.glob("/root/.pyenv/versions/*")):
        python = os.path.join(vdir, "bin", "python")
        libs = sorted(glob.glob(os.path.join(vdir, "lib", "python[0-9]*")))
        if not os.path.exists(python) or not libs:
            continue
        v = version_of(python)
        # 3.8's ast misplaces nodes inside multi-line f-strings: older
        # grammars are subsets of 3.12's, so 3.12 judges them.
        ref = python if v >= 309 else PY312
        groups.append(("pyenv-" + os.path.basename(vdir), ref, libs[0]))
    for name, ref, root in groups:
        files = spread(py_files(root), limit)
        yield name, ref, [(f, f) for f in files]
    corpus = "/work/shared/corpus/benign-dev"
    archives = sorted(glob.glob(os.path.join(corpus, "*", "*")))
    if limit:
        archives = spread(archives, max(10, limit // 4))
    members = []
    for a in archives:
        for m, data in archive_members(a):
            members.append((a, m, data))
    members = spread(members, limit)
    items = []
    for i, (a, m, data) in enumerate(members):
        p = os.path.join(tmp, "%06d.py" % i)
        with open(p, "wb") as f:
            f.write(data)
        items.append((os.path.basename(a) + "!" + m, p))
    yield "benign-dev", PY312, items


def reference_facts(python, paths):
    proc = subprocess.run([python, "-c", WORKER], input="\n".join(paths) + "\n",
                          capture_output=True, text=True)
    lines = proc.stdout.splitlines()
    if len(lines) != len(paths):
        raise RuntimeError("reference worker failed: " + proc.stderr[-2000:])
    return [json.loads(l) for l in lines]


def pyward_facts(pyward, paths):
    out = []
    for i in range(0, len(paths), 400):
        batch = paths[i:i + 400]
        proc = subprocess.run([pyward, "parse", "--facts"] + batch,
                              capture_output=True)
        got = {}
        for line in proc.stdout.decode("utf-8", "replace").splitlines():
            try:
                j = json.loads(line)
                got[j["file"]] = j
            except ValueError:
                pass
        if proc.returncode not in (0, 2) or len(got) != len(batch):
            # Find the files that crashed, one by one.
            for p in batch:
                if p in got:
                    continue
                one = subprocess.run([pyward, "parse", "--facts", p], capture_output=True)
                try:
                    got[p] = json.loads(one.stdout.decode("utf-8", "replace"))
                except ValueError:
                    got[p] = None
        out.extend(got.get(p) for p in batch)
    return out


def multiset(j):
    c = collections.Counter()
    for key in ("calls", "imports", "defs"):
        for line, name in j.get(key, []):
            c[(key, line, name)] += 1
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pyward", required=True, help="path of the pyward binary")
    ap.add_argument("--limit", type=int, default=0, help="files per source (0 = all)")
    ap.add_argument("--verbose", action="store_true", help="list every disagreement")
    ap.add_argument("--min-agreement", type=float, default=0.999)
    args = ap.parse_args()

    total = collections.Counter()
    failures = []
    with tempfile.TemporaryDirectory(prefix="pyward-conf-") as tmp:
        # The command line contract: an unreadable FILE is named on stderr,
        # the others are still processed, and the exit status is 2.
        good = os.path.join(tmp, "good.py")
        with open(good, "w") as f:
            f.write("import os\nos.system('x')\n")
        missing = os.path.join(tmp, "missing.py")
        proc = subprocess.run([args.pyward, "parse", "--facts", missing, good],
                              capture_output=True, text=True)
        lines = proc.stdout.splitlines()
        if (proc.returncode != 2 or missing not in proc.stderr or len(lines) != 1
                or json.loads(lines[0])["calls"] != [[2, "os.system"]]):
            failures.append("unreadable-file contract: rc %d, stderr %r, stdout %r" % (
                proc.returncode, proc.stderr, proc.stdout))
            total["crash"] += 1
        for name, ref, items in sources(args.limit, tmp):
            paths = [p for _, p in items]
            if not paths:
                continue
            refs = reference_facts(ref, paths)
            ours = pyward_facts(args.pyward, paths)
            g = collections.Counter()
            for (label, _), r, o in zip(items, refs, ours):
                g["files"] += 1
                if o is None:
                    g["crash"] += 1
                    failures.append("%s: pyward crashed" % label)
                    continue
                if not r["ok"]:
                    g["rejected"] += 1
                    if o["ok"]:
                        g["rejected_but_ok"] += 1  # informative only
                    continue
                g["accepted"] += 1
                if not o["ok"]:
                    g["not_ok"] += 1
                    failures.append("%s: CPython accepts, pyward errors: %s" %
                                    (label, o["errors"][:3]))
                a, b = multiset(r), multiset(o)
                shared = sum((a & b).values())
                union = sum((a | b).values())
                g["shared"] += shared
                g["all"] += union
                if shared != union:
                    g["files_differing"] += 1
                    if args.verbose:
                        print("%s: only CPython %s; only pyward %s" % (
                            label, sorted((a - b).elements())[:5], sorted((b - a).elements())[:5]))
            agree = g["shared"] / g["all"] if g["all"] else 1.0
            print("%-18s %-40s files %5d accepted %5d rejected %4d (pyward ok on %d) "
                  "not_ok %3d crash %d facts %7d agreement %.5f (files differing %d)" % (
                      name, ref, g["files"], g["accepted"], g["rejected"],
                      g["rejected_but_ok"], g["not_ok"], g["crash"], g["all"], agree,
                      g["files_differing"]))
            sys.stdout.flush()
            total.update(g)
    agree = total["shared"] / total["all"] if total["all"] else 1.0
    print("TOTAL files %d accepted %d rejected %d (pyward ok on %d) not_ok %d crash %d "
          "facts %d shared %d agreement %.5f" % (
              total["files"], total["accepted"], total["rejected"], total["rejected_but_ok"],
              total["not_ok"], total["crash"], total["all"], total["shared"], agree))
    for f in failures[:50]:
        print("FAIL", f)
    ok = total["not_ok"] == 0 and total["crash"] == 0 and agree >= args.min_agreement
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
