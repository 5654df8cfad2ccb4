#!/usr/bin/env python3
"""Detection quality of pyward over ../shared/corpus (issue 5's quality gate).

Scans the benign dev corpus and the malicious dev corpus (read in memory by
pyward itself: the zip is encrypted and never extracted) and prints:
  - the confusion table (verdict counts on each side),
  - per-rule hit counts (artifacts with at least one finding of the rule) on
    both sides,
  - recall per cluster (mean over clusters of the share detected), at
    `malicious` and at `suspicious`-or-worse,
  - the clusters not fully detected at suspicious-or-worse.
With --gate FILE it compares the four headline figures with the levels
recorded in FILE (JSON) and exits 1 when any is worse: the CI check.

usage: quality.py PYWARD [--corpus DIR] [--gate landed.json] [--json OUT]
                         [--jobs N] [--misses N]
"""
import argparse
import collections
import csv
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def scan(pyward, args, jobs):
    cmd = [pyward, "scan", "--format", "json", "-q", "-j", str(jobs), *args]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"quality: {' '.join(cmd)} exited {p.returncode}: {p.stderr[-2000:]}")
    return json.loads(p.stdout)["results"]


def rule_hits(results):
    hits = collections.Counter()
    for r in results:
        for rule in {f["rule"] for f in r["findings"]}:
            hits[rule] += 1
    return hits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pyward")
    ap.add_argument("--corpus", default=os.path.join(HERE, "..", "..", "..", "shared", "corpus"))
    ap.add_argument("--gate", help="JSON file with the landed levels; exit 1 when worse")
    ap.add_argument("--json", help="write the headline figures here")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--misses", type=int, default=60, help="missed clusters to list")
    a = ap.parse_args()
    corpus = os.path.abspath(a.corpus)
    mal_zip = os.path.join(corpus, "malicious-dev.zip")
    benign_dir = os.path.join(corpus, "benign-dev")
    if not os.path.exists(mal_zip) or not os.path.isdir(benign_dir):
        print(f"quality: corpus not found under {corpus}")
        return 77  # skipped

    # Labels.
    clusters = {}
    with open(os.path.join(corpus, "malicious-dev.tsv")) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            clusters[row["member"]] = (row["cluster"], row["package"])
    t0 = time.monotonic()
    benign = scan(a.pyward, [benign_dir], a.jobs)
    t1 = time.monotonic()
    mal = scan(a.pyward, ["--zip-password", "infected", mal_zip], a.jobs)
    t2 = time.monotonic()

    # Collection targets are reported as "<zip>!<member>".
    mal_by_member = {}
    for r in mal:
        member = r["target"].split("!", 1)[1] if "!" in r["target"] else r["target"]
        mal_by_member[member] = r
    missing = [m for m in clusters if m not in mal_by_member]
    if missing:
        sys.exit(f"quality: {len(missing)} labelled samples not in the scan, e.g. {missing[:3]}")

    verdicts = ("malicious", "suspicious", "clean", "error")
    table = {side: collections.Counter(r["verdict"] for r in rs)
             for side, rs in (("benign", benign), ("malicious", mal))}
    print(f"scanned {len(benign)} benign artifacts in {t1 - t0:.1f} s and "
          f"{len(mal)} malicious in {t2 - t1:.1f} s ({a.jobs} jobs)\n")
    print(f"{'corpus':<10}" + "".join(f"{v:>12}" for v in verdicts) + f"{'total':>8}")
    for side in ("benign", "malicious"):
        c = table[side]
        print(f"{side:<10}" + "".join(f"{c[v]:>12}" for v in verdicts) + f"{sum(c.values()):>8}")

    # Per-cluster recall.
    per_cluster = collections.defaultdict(list)
    for member, (cluster, package) in clusters.items():
        per_cluster[cluster].append((member, package, mal_by_member[member]["verdict"]))
    rec_mal = sum(sum(v == "malicious" for _, _, v in s) / len(s)
                  for s in per_cluster.values()) / len(per_cluster)
    rec_sus = sum(sum(v in ("malicious", "suspicious") for _, _, v in s) / len(s)
                  for s in per_cluster.values()) / len(per_cluster)
    n_benign = len(benign)
    fp_mal = table["benign"]["malicious"] / n_benign
    fp_sus = (table["benign"]["malicious"] + table["benign"]["suspicious"]) / n_benign
    print(f"\nper-cluster recall over {len(per_cluster)} clusters: "
          f"malicious {100 * rec_mal:.2f}%, suspicious-or-worse {100 * rec_sus:.2f}%")
    print(f"benign judged malicious {100 * fp_mal:.2f}% "
          f"({table['benign']['malicious']}), suspicious-or-worse {100 * fp_sus:.2f}% "
          f"({table['benign']['malicious'] + table['benign']['suspicious']})")

    # Per-rule hits.
    hb, hm = rule_hits(benign), rule_hits(mal)
    print(f"\n{'rule':<34}{'benign':>8}{'malicious':>11}")
    for rule in sorted(set(hb) | set(hm), key=lambda r: (-hm[r], r)):
        print(f"{rule:<34}{hb[rule]:>8}{hm[rule]:>11}")

    # Benign artifacts judged malicious, and missed clusters.
    bad = [r for r in benign if r["verdict"] == "malicious"]
    if bad:
        print("\nbenign artifacts judged malicious:")
        for r in bad:
            rules = sorted({f["rule"] for f in r["findings"]})
            print(f"  {os.path.basename(r['target'])}  score {r['score']}  {', '.join(rules)}")
    misses = []
    for cluster, s in per_cluster.items():
        hit = sum(v in ("malicious", "suspicious") for _, _, v in s)
        if hit < len(s):
            misses.append((hit / len(s), cluster, len(s), hit, s[0][1]))
    misses.sort(key=lambda m: (m[0], -m[2], m[1]))
    print(f"\n{len(misses)} clusters not fully detected at suspicious-or-worse "
          f"(first {min(a.misses, len(misses))}): cluster, detected/samples, a package")
    for share, cluster, n, hit, package in misses[:a.misses]:
        print(f"  {cluster}  {hit}/{n}  {package}")

    figures = {"recall_malicious": rec_mal, "recall_suspicious": rec_sus,
               "benign_malicious": fp_mal, "benign_suspicious": fp_sus}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(figures, f, indent=1)
    if a.gate:
        with open(a.gate) as f:
            landed = json.load(f)
        worse = []
        eps = 1e-9
        for k in ("recall_malicious", "recall_suspicious"):
            if figures[k] + eps < landed[k]:
                worse.append(f"{k} {100 * figures[k]:.2f}% < landed {100 * landed[k]:.2f}%")
        for k in ("benign_malicious", "benign_suspicious"):
            if figures[k] > landed[k] + eps:
                worse.append(f"{k} {100 * figures[k]:.2f}% > landed {100 * landed[k]:.2f}%")
        if worse:
            print("\nQUALITY GATE FAILED: " + "; ".join(worse))
            return 1
        print("\nquality gate: no figure below the landed level")
    return 0


if __name__ == "__main__":
    sys.exit(main())
