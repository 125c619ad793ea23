#!/usr/bin/env python3
"""Keys that scanners recognise, end to end, as the example's users meet them: with API_KEY_TAG
set, `api-keys create` prints a tagged key (`acme_live_<prefix>_<secret><checksum>`) that the
running service accepts, while keys made before the tag keep working; a key whose checksum fails
is refused (401) and logged as `checksum`; `api-keys scanner-rules` prints a gitleaks
configuration whose rule, run with Google's RE2 (what gitleaks' Go regexp implements), finds
every key the example made and none of the near misses; bad settings say what is accepted.
Both examples must behave the same.

    RE2_PYTHON=.venv-scanner/bin/python python3 scripts/example/scanner_test.py .build/debug/api-key-example
"""
import os
import re
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request

from example_processes import ExampleProcesses

example = ExampleProcesses("scanner")
passed = 0
TAG = {"API_KEY_TAG": "acme_live"}


def check(description):
    global passed
    passed += 1
    print(f"  ok: {description}")


def status(base, key):
    request = urllib.request.Request(base + "/api/protected", headers={"Authorization": f"Api-Key {key}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def cli(extra, *args):
    result = subprocess.run([example.binary, "api-keys", *args], capture_output=True, text=True,
                            env=example.environment(extra), cwd=example.work, timeout=60)
    return result.returncode, result.stdout, result.stderr


try:
    old = example.create("--name", "made before the tag")
    assert re.fullmatch(r"[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}", old), old
    code, tagged, err = cli(TAG, "create", "--name", "tagged")
    tagged = tagged.strip()
    assert code == 0, err
    match = re.fullmatch(r"acme_live_([A-Za-z0-9]{8})_[A-Za-z0-9]{38}", tagged)
    assert match, f"not a tagged key: {len(tagged)} characters"
    check("with API_KEY_TAG=acme_live, api-keys create prints acme_live_<prefix>_<secret><checksum>, alone")

    process, base = example.serve(TAG)
    assert status(base, tagged) == 200 and status(base, old) == 200
    check("the service accepts the tagged key, and the key made before the tag")
    typo = tagged[:-1] + ("1" if tagged[-1] == "0" else "0")
    assert status(base, typo) == 401
    process.terminate()
    process.wait(timeout=30)
    log = open(os.path.join(example.work, [f for f in os.listdir(example.work) if f.startswith("server-")][0])).read()
    assert "api_key_denial=checksum" in log, "the refusal was not logged as checksum"
    assert tagged[19:] not in log and typo[19:] not in log, "the log holds a secret"
    check("a key whose checksum fails is 401, logged as checksum, and no secret reaches the log")

    code, rules, err = cli(TAG, "scanner-rules")
    assert code == 0, err
    config = tomllib.loads(rules)
    assert config["extend"]["useDefault"] is True
    [rule] = config["rules"]
    assert rule["id"] == "acme-live-api-key" and rule["keywords"] == ["acme_live_"] and rule["secretGroup"] == 1, rule
    code, plain, _ = cli(TAG, "scanner-rules", "--regex")
    plain = plain.strip()
    assert f"#   {plain}" in rules
    check("api-keys scanner-rules prints a gitleaks configuration (valid TOML: id, regex, secretGroup, keywords) and the plain regular expression")

    # The rule as gitleaks runs it: the keyword first, then the regular expression in RE2.
    keys = [tagged] + [cli(TAG, "create", "--name", f"scanned {n}")[1].strip() for n in range(5)]
    texts = [f'API_KEY="{k}"' for k in keys] + [f"Authorization: Api-Key {k}\n" for k in keys]
    near = [tagged[:-1], tagged + "x", "x" + tagged, "acme_test" + tagged[9:], "ACME_LIVE" + tagged[9:],
            tagged.replace("_", "-"), old, tagged[:18] + "." + tagged[19:]]
    script = (
        "import json, re2, sys\n"
        "rule, plain, texts, near = json.load(sys.stdin)\n"
        "found = [[m.group(rule['secretGroup']) for m in re2.finditer(rule['regex'], t)] for t in texts if rule['keywords'][0] in t]\n"
        "plain_found = [[m.group(0) for m in re2.finditer(plain, t)] for t in texts]\n"
        "missed = [t for t in near if re2.search(rule['regex'], t) or re2.search(plain, t)]\n"
        "print(json.dumps([found, plain_found, missed]))\n")
    import json
    run = subprocess.run([os.environ.get("RE2_PYTHON", sys.executable), "-c", script], capture_output=True, text=True,
                         input=json.dumps([rule, plain, texts, near]), timeout=60)
    assert run.returncode == 0, run.stderr
    found, plain_found, false_alarms = json.loads(run.stdout)
    expected = [[k] for k in keys] * 2
    assert found == expected and plain_found == expected, (found, plain_found)
    assert false_alarms == [], false_alarms
    check(f"in RE2, the rule and the plain expression find each of {len(keys)} keys in {len(texts)} texts, and none of {len(near)} near misses")

    code, _, err = cli({}, "scanner-rules")
    assert code != 0 and "these keys have no tag" in err, err
    code, _, err = cli({"API_KEY_TAG": "Acme-Live"}, "list")
    assert code != 0 and "API_KEY_TAG: a key tag must be 1 to 24 lowercase letters" in err and "Error:" in err, err
    code, _, err = cli({"API_KEY_TAG": "acme_live", "API_KEY_SCHEMA": "drf"}, "list")
    assert code != 0 and "API_KEY_TAG cannot be used with API_KEY_SCHEMA=drf" in err, err
    check("without a tag, scanner-rules explains; a bad tag, or a tag with Django's table, is one clear error")
finally:
    example.stop()

print(f"Scanner-friendly keys ({os.path.basename(example.binary)}): all {passed} checks passed")
