#!/usr/bin/python3
"""Real manifests: every requirements*.txt / requirements*.in and
pyproject.toml inside the benign corpus archives (public projects' sdists
and release tarballs) is read by pyward (`pyward audit --no-advisories
--format json`) and by reference parsers (Python's tomllib and
packaging.requirements, with pip's line rules for requirements files). The
dependency counts, names and pinned versions must agree, and so must the
verdict "this file has a problem" (a line pip rejects, a missing include),
and, for Python 3.8 on win32, which dependencies their markers keep
(packaging.markers as reference; files whose markers use variables pyward
leaves open for that target are not compared on this point).

usage: manifest_conformance.py PYWARD SHARED_DIR
Exit 0 on agreement, 1 on any disagreement (listed), 77 (skip) without the
corpus. Archives are read as data only; nothing from them is executed.
"""
import collections
import json
import os
import re
import shlex
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from pathlib import Path, PurePosixPath

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

REQ_NAME = re.compile(r"requirements.*\.(txt|in)$")
MAX_MEMBER = 4 << 20


def wanted(member):
    base = PurePosixPath(member).name
    return bool(REQ_NAME.match(base)) or base == "pyproject.toml"


def safe(member):
    p = PurePosixPath(member)
    return not p.is_absolute() and ".." not in p.parts


def extract(archive, dest):
    """Copies manifest members (only) of one archive under dest."""
    out = []
    try:
        if archive.suffix in (".zip", ".whl"):
            with zipfile.ZipFile(archive) as zf:
                for info in zf.infolist():
                    if info.is_dir() or not wanted(info.filename) or not safe(info.filename):
                        continue
                    if info.file_size > MAX_MEMBER:
                        continue
                    target = dest / info.filename
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(zf.read(info))
                    out.append(target)
        else:
            with tarfile.open(archive) as tf:
                for m in tf.getmembers():
                    if not m.isfile() or not wanted(m.name) or not safe(m.name):
                        continue
                    if m.size > MAX_MEMBER:
                        continue
                    target = dest / m.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(tf.extractfile(m).read())
                    out.append(target)
    except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError):
        pass
    return out


# --- reference reader for requirements files (pip's rules) -----------------

COMMENT = re.compile(r"(^|\s+)#.*$")


def logical_lines(text):
    lines = text.splitlines() if "\r" not in text else text.replace("\r\n", "\n").split("\n")
    new, primary = [], None
    for i, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.endswith("\\") or COMMENT.match(line):
            if COMMENT.match(line):
                line = " " + line
            if new:
                new.append(line)
                yield primary, "".join(new)
                new = []
            else:
                yield i, line
        else:
            if not new:
                primary = i
            new.append(line.strip("\\"))
    if new:
        yield primary, "".join(new)


def is_url_or_path(s):
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", s)) or s.startswith(("file:", ".", "/")) \
        or "/" in s.split(";")[0].split("[")[0] or s.endswith((".whl", ".tar.gz", ".zip"))


def ref_requirements(path, stack, visited, out):
    """Appends ('pep508', name, version) / ('url',) entries; returns problem flag."""
    problem = False
    key = os.path.normpath(path)
    stack.append(key)
    visited.add(key)
    text = Path(path).read_bytes().decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    for _, raw in logical_lines(text):
        line = COMMENT.sub("", raw).strip()
        if not line:
            continue
        line = re.sub(r"\$\{([A-Z0-9_]+)\}",
                      lambda m: os.environ.get(m.group(1), m.group(0)), line)
        tokens = line.split(" ")
        args = []
        for t in tokens:
            if t.startswith("-"):
                break
            args.append(t)
        opts = tokens[len(args):]
        try:
            opts = shlex.split(" ".join(opts))
        except ValueError:
            problem = True
            continue
        req = " ".join(args).strip()
        i = 0
        editable = False
        while i < len(opts):
            o = opts[i]
            name, _, inline = o.partition("=") if o.startswith("--") else (o[:2], "", o[2:])
            value = inline if inline else (opts[i + 1] if i + 1 < len(opts) else None)
            if not inline and name in ("-r", "--requirement", "-c", "--constraint", "-e",
                                       "--editable", "-i", "--index-url", "--extra-index-url",
                                       "-f", "--find-links", "--hash", "--trusted-host",
                                       "--only-binary", "--no-binary", "--global-option",
                                       "--install-option", "--config-settings", "-C",
                                       "--use-feature"):
                i += 1
            i += 1
            if name in ("-r", "--requirement"):
                if value is None:
                    problem = True
                    continue
                if re.match(r"^[a-z]+://", value):
                    problem = True
                    continue
                inc = os.path.normpath(os.path.join(os.path.dirname(path), value))
                if inc in stack:
                    problem = True
                elif inc in visited:
                    pass
                elif not os.path.isfile(inc):
                    problem = True
                else:
                    problem |= ref_requirements(inc, stack, visited, out)
            elif name in ("-c", "--constraint"):
                if value is None:
                    problem = True
                    continue
                inc = os.path.normpath(os.path.join(os.path.dirname(path), value))
                if not os.path.isfile(inc) or inc in stack:
                    problem = True
                else:
                    # constraints only pin; their entries are not dependencies
                    sub = []
                    if inc not in visited:
                        problem |= ref_requirements(inc, stack, visited, sub)
            elif name in ("-e", "--editable"):
                editable = value is not None
            elif name in ("--no-index", "--pre", "--prefer-binary", "--require-hashes",
                          "-i", "--index-url", "--extra-index-url", "-f", "--find-links",
                          "--hash", "--trusted-host", "--only-binary", "--no-binary",
                          "--global-option", "--install-option", "--config-settings", "-C",
                          "--use-feature"):
                if value is None and name not in ("--no-index", "--pre", "--prefer-binary",
                                                  "--require-hashes"):
                    problem = True
            else:
                problem = True
        if editable:
            out.append(("url", None))
            continue
        if not req:
            continue
        if is_url_or_path(req):
            out.append(("url", req.split("; ", 1)[1].strip() if "; " in req else None))
            continue
        try:
            r = Requirement(req)
        except InvalidRequirement:
            problem = True
            continue
        pins = [s.version for s in r.specifier
                if s.operator in ("==", "===") and not s.version.endswith(".*")]
        out.append(("pep508", canonicalize_name(r.name), pins, str(r.marker) if r.marker else None))
    stack.pop()
    return problem


# --- reference reader for pyproject.toml ------------------------------------

def poetry_python_marker(c):
    """Poetry's python constraint as a marker (reference reading of Poetry's
    documented ^, ~ and bare-version rules); None when not expressible."""
    if not isinstance(c, str) or "|" in c:
        return None
    clauses = []
    for part in re.split(r",|\s+(?=[<>=!~^\d])", c.strip()):
        part = part.strip()
        if not part or part == "*":
            continue
        m = re.fullmatch(r"([\^~])\s*(\d+(?:\.\d+)*)", part)
        if m:
            nums = [int(x) for x in m.group(2).split(".")]
            if m.group(1) == "^":
                idx = next((i for i, x in enumerate(nums) if x), len(nums) - 1)
            else:
                idx = 1 if len(nums) >= 2 else 0
            upper = nums[:idx] + [nums[idx] + 1]
            while len(upper) < 3:
                upper.append(0)
            clauses += [f">={m.group(2)}", "<" + ".".join(map(str, upper))]
        elif re.fullmatch(r"\d+(\.\d+)*(\.\*)?", part):
            clauses.append("==" + part)
        elif re.fullmatch(r"(==|!=|<=|>=|<|>|~=)\s*\S+", part):
            clauses.append(part.replace(" ", ""))
        else:
            return None
    if not clauses:
        return None
    return " and ".join(f'python_full_version {re.match(r"[<>=!~]+", x).group(0)} '
                        f'"{x[len(re.match(r"[<>=!~]+", x).group(0)):]}"' for x in clauses)


def ref_pyproject(path, out):
    try:
        doc = tomllib.loads(Path(path).read_bytes().decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return True
    problem = False

    def strings(lst):
        nonlocal problem
        if not isinstance(lst, list):
            return
        for s in lst:
            if isinstance(s, dict):
                continue
            if not isinstance(s, str):
                problem = True
                continue
            if s.strip().startswith("-e "):
                out.append(("url", None))
                continue
            try:
                r = Requirement(s)
            except InvalidRequirement:
                problem = True
                continue
            pins = [x.version for x in r.specifier
                    if x.operator in ("==", "===") and not x.version.endswith(".*")]
            out.append(("pep508", canonicalize_name(r.name), pins,
                        str(r.marker) if r.marker else None))

    strings(doc.get("build-system", {}).get("requires", []))
    project = doc.get("project", {})
    strings(project.get("dependencies", []))
    for lst in (project.get("optional-dependencies") or {}).values():
        strings(lst)
    groups = doc.get("dependency-groups") or {}
    for lst in groups.values():
        strings(lst)
    poetry = doc.get("tool", {}).get("poetry", {})

    def poetry_table(t):
        for name, v in (t or {}).items():
            if name == "python":
                continue
            entries = v if isinstance(v, list) else [v]
            for e in entries:
                c = e if isinstance(e, str) else (e.get("version", "") if isinstance(e, dict) else None)
                if c is None:
                    continue
                c = c.strip()
                pin = [c.lstrip("=").strip()] if re.fullmatch(r"(==?\s*)?v?\d+(\.\d+)*", c) else []
                m = e.get("markers") if isinstance(e, dict) else None
                py = poetry_python_marker(e.get("python")) if isinstance(e, dict) else None
                if py:
                    m = f"({m}) and ({py})" if m else py
                out.append(("pep508", canonicalize_name(name), pin, m or None))

    poetry_table(poetry.get("dependencies"))
    poetry_table(poetry.get("dev-dependencies"))
    for g in (poetry.get("group") or {}).values():
        if isinstance(g, dict):
            poetry_table(g.get("dependencies"))
    for lst in (doc.get("tool", {}).get("pdm", {}).get("dev-dependencies") or {}).values():
        strings(lst)
    return problem


def main():
    pyward, shared = sys.argv[1], sys.argv[2]
    corpus = Path(shared) / "corpus" / "benign-dev"
    if not corpus.is_dir():
        print("corpus absent: skipped")
        return 77
    with tempfile.TemporaryDirectory(prefix="pyward-manifests-") as t:
        return compare(pyward, corpus, Path(t))


def compare(pyward, corpus, tmp):
    files = []
    for sub in ("sdist", "git-export", "wheel"):
        d = corpus / sub
        if not d.is_dir():
            continue
        for i, archive in enumerate(sorted(d.iterdir())):
            files += extract(archive, tmp / sub / str(i))
    files = [f for f in files if f.is_file()]
    # One pyward run over every file (results come back in input order).
    env = dict(os.environ)
    out = subprocess.run([pyward, "audit", "--no-advisories", "--format", "json",
                          *map(str, files)], capture_output=True, text=True, env=env)
    results = json.loads(out.stdout)["results"]
    assert len(results) == len(files), (len(results), len(files))
    # The same files for one target environment: markers decide what stays.
    out = subprocess.run([pyward, "audit", "--no-advisories", "--format", "json",
                          "--python-version", "3.8", "--platform", "win32",
                          *map(str, files)], capture_output=True, text=True, env=env)
    targeted = json.loads(out.stdout)["results"]
    target_env = {"python_version": "3.8", "python_full_version": "3.8.0",
                  "sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
                  "platform_python_implementation": "CPython",
                  "implementation_name": "cpython", "implementation_version": "3.8.0",
                  "platform_machine": "", "platform_release": "", "platform_version": "",
                  "extra": ""}
    open_vars = re.compile(r"platform_machine|platform_release|platform_version|"
                           r"platform\.machine|platform\.version")
    bad = 0
    stats = collections.Counter()
    for f, res, tres in zip(files, results, targeted):
        ref = []
        if f.name == "pyproject.toml":
            problem = ref_pyproject(f, ref)
            stats["pyproject"] += 1
        else:
            problem = ref_requirements(str(f), [], set(), ref)
            stats["requirements"] += 1
        deps = res["dependencies"]
        ours = collections.Counter(canonicalize_name(d["name"]) for d in deps if d["name"])
        ours_pins = collections.Counter((canonicalize_name(d["name"]), d["version"])
                                        for d in deps if d["name"])
        why = []
        if len(deps) != len(ref):
            why.append(f"{len(deps)} dependencies, reference {len(ref)}")
        theirs = collections.Counter(e[1] for e in ref if e[0] == "pep508")
        missing = theirs - ours
        if missing:
            why.append(f"names missing: {sorted(missing)[:5]}")
        for e in ref:
            if e[0] == "pep508" and e[2]:
                if not any(ours_pins[(e[1], p)] for p in e[2]):
                    why.append(f"{e[1]} pinned {e[2]} not seen")
        if bool(res["error"]) != problem:
            why.append(f"problem: pyward {res['error']!r}, reference {problem}")
        markers = [e[-1] for e in ref if e[-1]]
        if markers and not any(open_vars.search(m) for m in markers):
            kept = []
            for e in ref:
                m = e[-1]
                try:
                    keep = m is None or Marker(m).evaluate(target_env)
                except Exception:  # a marker packaging cannot evaluate
                    keep = None
                if keep is None:
                    kept = None
                    break
                if keep:
                    kept.append(e)
            if kept is not None:
                stats["files with markers compared"] += 1
                stats["markers"] += len(markers)
                tdeps = tres["dependencies"]
                if len(tdeps) != len(kept):
                    why.append(f"for python 3.8 on win32: {len(tdeps)} kept, "
                               f"reference {len(kept)}")
                want = collections.Counter(e[1] for e in kept if e[0] == "pep508")
                have = collections.Counter(canonicalize_name(d["name"]) for d in tdeps
                                           if d["name"])
                if want - have:
                    why.append(f"for python 3.8 on win32 missing {sorted(want - have)[:5]}")
        stats["dependencies"] += len(deps)
        stats["pinned"] += sum(1 for d in deps if d["version"])
        if why:
            bad += 1
            if bad <= 30:
                print(f"DISAGREE {f.relative_to(tmp)}: {'; '.join(why)}")
    print(f"{len(files)} manifests ({dict(stats)}), {bad} disagreements")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
