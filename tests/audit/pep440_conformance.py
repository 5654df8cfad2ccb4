#!/usr/bin/python3
"""PEP 440 conformance: pyward's versions and specifiers against Debian's
python3-packaging, on every version string in the OSV snapshot.

usage: pep440_conformance.py PYWARD_PEP440_TOOL SHARED_DIR
Exit 0 when every answer agrees, 1 on any disagreement (listed), 77 (skip)
when the snapshot is absent.
"""
import json
import random
import subprocess
import sys
import zipfile
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version


def snapshot_versions(shared):
    per_package = {}
    for name in ("pypi-advisories.zip", "pypi-malicious.zip"):
        path = Path(shared) / "osv" / name
        if not path.exists():
            return None
        with zipfile.ZipFile(path) as zf:
            for member in zf.namelist():
                if not member.endswith(".json"):
                    continue
                doc = json.loads(zf.read(member))
                for aff in doc.get("affected", []):
                    pkg = aff.get("package", {}).get("name", "")
                    vs = per_package.setdefault(pkg, set())
                    vs.update(aff.get("versions", []))
                    for r in aff.get("ranges", []):
                        if r.get("type") != "ECOSYSTEM":
                            continue
                        for ev in r.get("events", []):
                            vs.update(v for v in ev.values() if isinstance(v, str))
    return per_package


def main():
    tool, shared = sys.argv[1], sys.argv[2]
    per_package = snapshot_versions(shared)
    if per_package is None:
        print("snapshot absent: skipped")
        return 77
    rng = random.Random(440)
    everything = sorted({v for vs in per_package.values() for v in vs})
    valid = []
    cases = []  # (command line, expected answer)
    for v in everything:
        if "\t" in v or "\n" in v:
            continue
        try:
            pv = Version(v)
            valid.append(v)
            cases.append((f"parse\t{v}", f"valid\t{pv}"))
        except InvalidVersion:
            cases.append((f"parse\t{v}", "invalid"))

    # Other spellings of snapshot versions: case, a leading v, spaces,
    # separators around pre/post/dev labels, long forms of the labels.
    def variants(v):
        out = {v.upper(), "v" + v, " " + v + " ", v.replace(".post", "-post"),
               v.replace(".dev", "_dev"), v.replace("rc", "c"), v.replace("a", "alpha"),
               v.replace("b", "beta"), v.replace(".post", "rev"), v + "+Local-7_x",
               v.replace(".", "..", 1), v + "-1", v + ".POST", v + "dev", "1!" + v,
               v.replace("rc", "-preview.")}
        out.discard(v)
        return [x for x in out if "\t" not in x and "\n" not in x]

    extra = []
    for v in rng.sample(everything, min(3000, len(everything))):
        for x in variants(v):
            try:
                px = Version(x)
                cases.append((f"parse\t{x}", f"valid\t{px}"))
                extra.append(x)
            except InvalidVersion:
                cases.append((f"parse\t{x}", "invalid"))

    def contains(spec, v):
        try:
            s = SpecifierSet(spec)
        except InvalidSpecifier:
            return "invalid-spec"
        try:
            return "true" if s.contains(v) else "false"
        except InvalidVersion:
            return None

    def cmp(a, b):
        va, vb = Version(a), Version(b)
        return "-1" if va < vb else ("1" if va > vb else "0")

    # Pairs: neighbours in packaging's order, pairs within a package, random.
    ordered = sorted(valid, key=Version)
    for a, b in zip(ordered, ordered[1:]):
        cases.append((f"cmp\t{a}\t{b}", cmp(a, b)))
        cases.append((f"cmp\t{b}\t{a}", cmp(b, a)))
    valid_set = set(valid)
    pkg_lists = []
    for pkg, vs in sorted(per_package.items()):
        lst = sorted(v for v in vs if v in valid_set)
        if lst:
            pkg_lists.append(lst)
        sample = lst if len(lst) <= 6 else rng.sample(lst, 6)
        for a in sample:
            for b in sample:
                cases.append((f"cmp\t{a}\t{b}", cmp(a, b)))
    for _ in range(20000):
        a, b = rng.choice(valid), rng.choice(valid)
        cases.append((f"cmp\t{a}\t{b}", cmp(a, b)))
    # Specifier spellings, valid and not, on snapshot versions.
    for v in rng.sample(valid, min(1500, len(valid))):
        probe = rng.choice(valid)
        for spec in (f"== {v}", f"~={v}.*", f">={v}.*", f"==={v} ", f"!={v}+local",
                     f">={v}+local", f"<{v}, >0", f" >= {v} ,, <99999", f"~= {v}",
                     f"=={v}.*", f"=={v}+Loc.AL", f">{v}.post0", f"<={v}rc1", f"=< {v}",
                     f"==v{v}", f"~=V{v}"):
            ans = contains(spec, probe)
            if ans is not None:
                cases.append((f"contains\t{spec}\t{probe}", ans))
            ans = contains(spec, v)
            if ans is not None:
                cases.append((f"contains\t{spec}\t{v}", ans))
    for x in extra:
        b = rng.choice(valid)
        cases.append((f"cmp\t{x}\t{b}", cmp(x, b)))
        ans = contains(f">={b}", x)
        if ans is not None:
            cases.append((f"contains\t>={b}\t{x}", ans))

    # Specifiers built from snapshot versions, tested on versions of the same
    # package and on random ones.
    def specs_for(v):
        pv = Version(v)
        out = [f"=={v}", f"!={v}", f">={v}", f"<={v}", f">{v}", f"<{v}", f"==={v}"]
        rel = pv.release
        if len(rel) >= 2:
            out.append(f"~={v}")
        for n in range(1, len(rel) + 1):
            prefix = ".".join(str(x) for x in rel[:n])
            if pv.epoch:
                prefix = f"{pv.epoch}!{prefix}"
            out.append(f"=={prefix}.*")
            out.append(f"!={prefix}.*")
        return out

    for lst in pkg_lists:
        picks = lst if len(lst) <= 2 else rng.sample(lst, 2)
        probes = lst if len(lst) <= 6 else rng.sample(lst, 6)
        probes = probes + [rng.choice(valid) for _ in range(3)]
        for v in picks:
            for spec in specs_for(v):
                for p in probes:
                    ans = contains(spec, p)
                    if ans is not None:
                        cases.append((f"contains\t{spec}\t{p}", ans))
        if len(lst) >= 2:
            lo, hi = sorted(rng.sample(lst, 2), key=Version)
            for spec in (f">={lo},<{hi}", f">{lo},<={hi},!={hi}", f">={lo}, <{hi}"):
                for p in probes:
                    ans = contains(spec, p)
                    if ans is not None:
                        cases.append((f"contains\t{spec}\t{p}", ans))

    stdin = "".join(c + "\n" for c, _ in cases)
    out = subprocess.run([tool], input=stdin, capture_output=True, text=True,
                         check=True).stdout.split("\n")
    bad = 0
    for (case, want), got in zip(cases, out):
        if want != got:
            bad += 1
            if bad <= 40:
                print(f"DISAGREE {case!r}: packaging {want!r}, pyward {got!r}")
    kinds = {}
    for c, _ in cases:
        k = c.split("\t", 1)[0]
        kinds[k] = kinds.get(k, 0) + 1
    print(f"{len(cases)} cases {kinds} from {len(everything)} version strings, "
          f"{bad} disagreements")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
