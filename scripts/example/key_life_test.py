#!/usr/bin/env python3
"""A key's life beyond rotation, end to end, as the example's users meet it: keys that scanners
recognise, the leak endpoint and a pepper. With API_KEY_TAG
set, `api-keys create` prints a tagged key (`acme_live_<prefix>_<secret><checksum>`) that the
running service accepts, while keys made before the tag keep working; a key whose checksum fails
is refused (401) and logged as `checksum`; `api-keys scanner-rules` prints a gitleaks
configuration whose rule, run with Google's RE2 (what gitleaks' Go regexp implements), finds
every key the example made and none of the near misses; bad settings say what is accepted. Then
POST /api/leaked-keys: a reported key is revoked (and recorded as leak_revoked), anything else
changes nothing, the answer is the same; with API_KEY_GITHUB_KEYS_FILE, only reports signed by the
key it names are taken (signed here with the `cryptography` package). With API_KEY_PEPPER, keys
are stored as HMAC-SHA-256 under it, older hashes move to it on use, and a rotated pepper
(API_KEY_PREVIOUS_PEPPERS) still verifies them.
Both examples must behave the same.

    RE2_PYTHON=.venv-scanner/bin/python python3 scripts/example/key_life_test.py .build/debug/api-key-example
"""
import json
import os
import re
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request

from example_processes import ExampleProcesses

example = ExampleProcesses("key-life")
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

    # The leak endpoint, as GitHub's secret scanning calls it.
    def report(base, tokens, headers=None, body=None):
        payload = body if body is not None else json.dumps(
            [{"token": t, "type": "acme_api_key", "url": "https://github.com/octo/app/blob/main/.env", "source": "content"} for t in tokens]).encode()
        request = urllib.request.Request(base + "/api/leaked-keys", data=payload, method="POST",
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    process, base = example.serve(TAG)
    leaked = example.create("--name", "leaked")
    other = example.create("--name", "not leaked")
    answers = [report(base, t) for t in (["garbage"], [other[:9] + "x" * 32], [typo], [leaked])]
    assert all(a == (200, "[]") for a in answers), answers
    assert status(base, leaked) == 401 and status(base, other) == 200
    code, out, err = cli({}, "events", leaked.split(".")[0], "--json")
    events = json.loads(out)
    assert events[0]["kind"] == "leak_revoked" and events[0]["source"] == "leak report", events
    assert events[0]["detail"] == "found at https://github.com/octo/app/blob/main/.env (content)", events
    check("POST /api/leaked-keys revokes a reported key at once (leak_revoked, where it was found); other tokens change nothing; the answer is always 200 []")
    assert report(base, [], body=b"not json")[0] == 400 and report(base, [], body=b"[" + b" " * 70_000 + b"]")[0] == 413
    check("a body that is not a report is 400, one past 64 KiB 413")
    process.terminate()
    process.wait(timeout=30)

    # GitHub's signature: a key pair made here stands for GitHub's.
    signer = (
        "import base64, json, sys\n"
        "from cryptography.hazmat.primitives import hashes, serialization\n"
        "from cryptography.hazmat.primitives.asymmetric import ec\n"
        "key = ec.generate_private_key(ec.SECP256R1())\n"
        "pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()\n"
        "bodies = json.load(sys.stdin)\n"
        "print(json.dumps({'meta': {'public_keys': [{'key_identifier': 'test-key', 'key': pem, 'is_current': True}]},\n"
        "  'signatures': [base64.b64encode(key.sign(b.encode(), ec.ECDSA(hashes.SHA256()))).decode() for b in bodies]}))\n")
    victim = example.create("--name", "leaked on GitHub")
    body = json.dumps([{"token": victim, "type": "acme_api_key", "url": "https://github.com/octo/app", "source": "commit"}])
    run = subprocess.run([os.environ.get("RE2_PYTHON", sys.executable), "-c", signer], capture_output=True, text=True,
                         input=json.dumps([body]), timeout=60)
    assert run.returncode == 0, run.stderr
    signed = json.loads(run.stdout)
    keys_file = os.path.join(example.work, "github-keys.json")
    with open(keys_file, "w") as f:
        json.dump(signed["meta"], f)
    process, base = example.serve({"API_KEY_GITHUB_KEYS_FILE": keys_file})
    unsigned = report(base, [], body=body.encode())
    forged = report(base, [], body=body.encode(), headers={"Github-Public-Key-Identifier": "test-key", "Github-Public-Key-Signature": "MEUCIQ=="})
    assert unsigned[0] == 401 and forged[0] == 401 and status(base, victim) == 200, (unsigned, forged)
    genuine = report(base, [], body=body.encode(),
                     headers={"Github-Public-Key-Identifier": "test-key", "Github-Public-Key-Signature": signed["signatures"][0]})
    assert genuine == (200, "[]") and status(base, victim) == 401, genuine
    code, out, _ = cli({}, "events", victim.split(".")[0], "--json")
    assert json.loads(out)[0]["source"] == "github"
    check("with API_KEY_GITHUB_KEYS_FILE, unsigned or forged reports are 401; GitHub's signed one revokes the key (source github)")
    bad = subprocess.run([example.binary, "serve", "--port", "1"], capture_output=True, text=True, timeout=60,
                         env=example.environment({"API_KEY_GITHUB_KEYS_FILE": os.path.join(example.work, "missing.json")}), cwd=example.work)
    assert bad.returncode != 0 and "API_KEY_GITHUB_KEYS_FILE names no file that can be read" in bad.stderr, bad.stderr[-500:]
    check("an API_KEY_GITHUB_KEYS_FILE that cannot be read stops the service with one clear error")

    # A pepper: new keys hashed with HMAC-SHA-256 under it; keys hashed before move to it on use.
    import sqlite3
    pepper = {"API_KEY_PEPPER": "2026a:" + "p" * 40}
    before = example.create("--name", "before the pepper")
    code, peppered, err = cli(pepper, "create", "--name", "peppered")
    assert code == 0, err
    peppered = peppered.strip()
    def stored(key):
        with sqlite3.connect(example.database_url[len("sqlite://"):]) as db:
            return db.execute("SELECT hashed_key FROM api_keys WHERE prefix = ?", (key.split(".")[0],)).fetchone()[0]
    assert stored(peppered).startswith("hmac-sha256$2026a$") and stored(before).startswith("sha512$$")
    process, base = example.serve(pepper)
    assert status(base, peppered) == 200 and status(base, before) == 200
    assert stored(before).startswith("hmac-sha256$2026a$"), "not rewritten on use"
    process.terminate()
    process.wait(timeout=30)
    check("with API_KEY_PEPPER, new keys are stored as HMAC-SHA-256 under it; a key hashed before works and is rewritten on use")
    process, base = example.serve({})
    assert status(base, peppered) == 401, "without the pepper, its hashes cannot be checked"
    process.terminate()
    process.wait(timeout=30)
    process, base = example.serve({"API_KEY_PEPPER": "2026b:" + "q" * 40, "API_KEY_PREVIOUS_PEPPERS": "2026a:" + "p" * 40})
    assert status(base, peppered) == 200 and stored(peppered).startswith("hmac-sha256$2026b$")
    process.terminate()
    process.wait(timeout=30)
    check("without the pepper the keys are refused; a rotated pepper (API_KEY_PREVIOUS_PEPPERS) still verifies them and moves them to the new one")
    for extra, message in [({"API_KEY_PEPPER": "2026a:short"}, "API_KEY_PEPPER: a pepper's secret must be at least 32 bytes"),
                           ({"API_KEY_PEPPER": "nocolon"}, "API_KEY_PEPPER must be ID:SECRET"),
                           ({"API_KEY_PEPPER": "2026a:" + "p" * 40, "API_KEY_SCHEMA": "drf"}, "API_KEY_PEPPER cannot be used with API_KEY_SCHEMA=drf")]:
        code, _, err = cli(extra, "list")
        assert code != 0 and message in err and "short" not in err.replace("API_KEY_PEPPER: a pepper", ""), err
    check("a bad pepper, or a pepper with Django's table, is one clear error that never shows the secret")
finally:
    example.stop()

print(f"Tagged keys, leak reports and a pepper ({os.path.basename(example.binary)}): all {passed} checks passed")
