#!/usr/bin/env python3
"""The management API (/api/v1/keys, OpenAPI/api-keys.yaml) end to end, as an operator's tools
meet it: a key with keys:manage creates, lists, changes, rotates, suspends, resumes, revokes and
deletes keys of its own model or organization over HTTP; an organization's management key cannot
see, change or learn of another owner's keys (404, as for a key that does not exist); no key gives
scopes it does not hold; a retried write with Idempotency-Key makes one key and shows its secret
once; a revoked management key is refused; every failure is problem details.
Both examples must behave the same.

    python3 scripts/example/management_test.py .build/debug/api-key-example [DATABASE_URL]
"""
import json
import os
import subprocess
import time
import urllib.error
import urllib.request

from example_processes import ExampleProcesses

example = ExampleProcesses("management")
cli, create = example.cli, example.create
passed = 0


def check(description):
    global passed
    passed += 1
    print(f"  ok: {description}")


def call(method, path, key=None, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if key:
        req.add_header("Authorization", f"Api-Key {key}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            raw = response.read()
            return response.status, response.headers, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, error.headers, json.loads(raw) if raw else None


def problem(status, reply, kind):
    code, headers, body = reply
    assert code == status, (status, reply)
    assert headers["Content-Type"].startswith("application/problem+json"), headers["Content-Type"]
    assert body["type"] == f"urn:api-keys:problem:{kind}" and body["status"] == status and body["title"] and body["detail"], body
    assert "Swift" not in body["detail"] and "Optional(" not in body["detail"], body["detail"]
    return body


def protected(key, path="/api/protected"):
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, headers={"Authorization": f"Api-Key {key}"}), timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as error:
        return error.code


try:
    manager = create("--name", "ops", "--scope", "keys:manage", "--scope", "reports:read")
    reader = create("--name", "reader", "--scope", "reports:read")
    writer = create("--name", "writer", "--scope", "reports:write")
    acme = create("--organization", "Acme", "--name", "acme-ops", "--scope", "keys:manage", "--scope", "reports:read")
    acme_plain = create("--organization", "Acme", "--name", "acme-ci")
    initech = create("--organization", "Initech", "--name", "initech-ci")
    _, base = example.serve({"API_KEY_USAGE_FLUSH_INTERVAL": "1"})

    # The contract is served next to the API, as it is in the repository.
    with urllib.request.urlopen(base + "/api/v1/openapi.yaml", timeout=5) as response:
        served = response.read().decode()
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "OpenAPI", "api-keys.yaml")) as f:
        assert served == f.read(), "the served contract is not OpenAPI/api-keys.yaml"
    check("GET /api/v1/openapi.yaml serves OpenAPI/api-keys.yaml")

    problem(401, call("GET", "/api/v1/keys"), "unauthorized")
    problem(401, call("GET", "/api/v1/keys", key="nope.nope"), "unauthorized")
    problem(403, call("GET", "/api/v1/keys", key=reader), "forbidden")
    check("no key and a bad key get 401, a key without keys:manage 403, as problem details")

    # Create: the secret once, in the 201; it works at once.
    code, _, made = call("POST", "/api/v1/keys", manager, {"name": "partner", "scopes": ["reports:read"], "metadata": {"plan": "pro"}, "rate_limit": "100/min"},
                         {"Idempotency-Key": "create-partner-1"})
    assert code == 201 and made["secret"].startswith(made["key"]["prefix"] + "."), made
    assert made["key"]["scopes"] == ["reports:read"] and made["key"]["metadata"] == {"plan": "pro"} and made["key"]["rate_limit"] == "100/min", made
    assert protected(made["secret"]) == 200
    code, _, again = call("POST", "/api/v1/keys", manager, {"name": "partner", "scopes": ["reports:read"], "metadata": {"plan": "pro"}, "rate_limit": "100/min"},
                          {"Idempotency-Key": "create-partner-1"})
    assert code == 200 and "secret" not in again and again["key"]["prefix"] == made["key"]["prefix"], again
    assert [r["name"] for r in json.loads(cli("list", "--json")[1])].count("partner") == 1
    problem(409, call("POST", "/api/v1/keys", manager, {"name": "other"}, {"Idempotency-Key": "create-partner-1"}), "idempotency-conflict")
    # The retry lands on another instance behind the load balancer: the same answer.
    first = base
    _, base = example.serve({"API_KEY_USAGE_FLUSH_INTERVAL": "1"})
    code, _, elsewhere = call("POST", "/api/v1/keys", manager, {"name": "partner", "scopes": ["reports:read"], "metadata": {"plan": "pro"}, "rate_limit": "100/min"},
                              {"Idempotency-Key": "create-partner-1"})
    assert code == 200 and "secret" not in elsewhere and elsewhere["key"]["prefix"] == made["key"]["prefix"], elsewhere
    base = first
    assert [r["name"] for r in json.loads(cli("list", "--json")[1])].count("partner") == 1
    check("create answers 201 with the secret once; a retry with its Idempotency-Key, on the same or another instance, answers 200 "
          "with the same key and no secret; one key made; the key reused for another body is 409")

    # Scopes it does not hold: refused at create, update and rotate.
    problem(403, call("POST", "/api/v1/keys", manager, {"name": "x", "scopes": ["reports:write"]}), "scope-escalation")
    prefix = made["key"]["prefix"]
    problem(403, call("PATCH", f"/api/v1/keys/{prefix}", manager, {"scopes": ["reports:read", "reports:write"]}), "scope-escalation")
    writer_prefix = writer.split(".")[0]
    problem(403, call("POST", f"/api/v1/keys/{writer_prefix}/rotate", manager, {"grace_seconds": 0}), "scope-escalation")
    problem(422, call("POST", "/api/v1/keys", manager, {"name": "x", "scopes": ["nonsense"]}), "invalid-field")
    problem(400, call("POST", "/api/v1/keys", manager, {"name": "x", "colour": "red"}), "invalid-request")
    check("a key cannot give scopes it does not hold (create, update, rotate: 403); an undeclared scope 422, an unknown field 400")

    # Change, suspend, resume, rotate, revoke, usage, events, delete.
    code, _, changed = call("PATCH", f"/api/v1/keys/{prefix}", manager, {"name": "partner-2", "clear": ["rate_limit", "metadata"]})
    assert code == 200 and changed["name"] == "partner-2" and "rate_limit" not in changed and changed["metadata"] == {}, changed
    code, _, suspended = call("POST", f"/api/v1/keys/{prefix}/suspend", manager)
    assert code == 200 and suspended["status"] == "suspended", suspended
    assert protected(made["secret"]) == 401
    code, _, resumed = call("POST", f"/api/v1/keys/{prefix}/resume", manager)
    assert code == 200 and resumed["status"] == "active" and protected(made["secret"]) == 200
    code, _, rotated = call("POST", f"/api/v1/keys/{prefix}/rotate", manager, {"grace_seconds": 3600}, {"Idempotency-Key": "rotate-1"})
    assert code == 201 and rotated["key"]["rotated_from"] == prefix and rotated["secret"], rotated
    assert protected(rotated["secret"]) == 200 and protected(made["secret"]) == 200
    code, _, retried = call("POST", f"/api/v1/keys/{prefix}/rotate", manager, {"grace_seconds": 3600}, {"Idempotency-Key": "rotate-1"})
    assert code == 200 and "secret" not in retried and retried["key"]["prefix"] == rotated["key"]["prefix"], retried
    code, _, revoked = call("POST", f"/api/v1/keys/{prefix}/revoke", manager)
    assert code == 200 and revoked["status"] == "revoked" and protected(made["secret"]) == 401
    problem(409, call("POST", f"/api/v1/keys/{prefix}/resume", manager), "conflict")
    code, _, usage = call("GET", f"/api/v1/keys/{rotated['key']['prefix']}/usage?days=7", manager)
    assert code == 200 and len(usage["days"]) == 7, usage
    code, _, events = call("GET", f"/api/v1/keys/{prefix}/events", manager)
    kinds = [e["kind"] for e in events["items"]]
    assert code == 200 and {"created", "updated", "suspended", "resumed", "rotated", "revoked"} <= set(kinds), kinds
    assert all(e["source"] in (f"api {manager.split('.')[0]}", None) or e["kind"] == "created" for e in events["items"]), events
    code, _, _ = call("DELETE", f"/api/v1/keys/{prefix}", manager, headers={"Idempotency-Key": "delete-1"})
    assert code == 204
    code, _, _ = call("DELETE", f"/api/v1/keys/{prefix}", manager, headers={"Idempotency-Key": "delete-1"})
    assert code == 204
    problem(404, call("GET", f"/api/v1/keys/{prefix}", manager), "not-found")
    check("update, suspend (the key gets 401), resume, rotate (both work in the grace period; a retry shows no secret), "
          "revoke (final: resume 409), usage, events by the caller, delete (a retry 204, then 404)")

    # Owners: Acme's management key sees Acme's keys only; others' are not found, exactly as a made-up prefix.
    code, _, page = call("GET", "/api/v1/keys?limit=100", acme)
    names = {k["name"] for k in page["items"]}
    assert names == {"acme-ops", "acme-ci"}, names
    unknown = problem(404, call("GET", "/api/v1/keys/Zz9Zz9Zz", acme), "not-found")
    for other in (initech.split(".")[0], manager.split(".")[0], reader.split(".")[0]):
        for method, path, body in (("GET", "", None), ("PATCH", "", {"name": "mine"}), ("DELETE", "", None), ("POST", "/revoke", None),
                                   ("POST", "/suspend", None), ("POST", "/rotate", {"grace_seconds": 0}), ("GET", "/usage", None), ("GET", "/events", None)):
            body404 = problem(404, call(method, f"/api/v1/keys/{other}{path}", acme, body), "not-found")
            assert body404["detail"].replace(other, "X") == unknown["detail"].replace("Zz9Zz9Zz", "X"), (body404, unknown)
    assert protected(initech, "/api/organization") == 401  # Initech is inactive: its keys are refused anyway
    code, _, page = call("GET", "/api/v1/keys?limit=100", manager)
    assert not {"acme-ops", "acme-ci", "initech-ci"} & {k["name"] for k in page["items"]}, page
    code, _, org_made = call("POST", "/api/v1/keys", acme, {"name": "acme-new", "scopes": ["reports:read"]})
    assert code == 201 and protected(org_made["secret"], "/api/organization") == 200
    assert any(line.split()[1] == "acme-new" for line in cli("list", "--organization", "Acme")[1].splitlines()[1:])
    # Only the key's own model checks it: the built-in model logs no "unknown" key for Acme's.
    logs = "".join(open(os.path.join(example.work, name)).read() for name in os.listdir(example.work) if name.startswith("server-"))
    acme_prefix = acme.split(".")[0]
    assert not [line for line in logs.splitlines() if acme_prefix in line and "unknown_prefix" in line], "an organization key was logged as unknown"
    check("Acme's management key lists Acme's keys only; another owner's key is 404 on every operation, as a made-up prefix; "
          "the keys it makes are Acme's")

    # Paging: a cursor walks every key once.
    for i in range(5):
        create("--name", f"bulk-{i}")
    before = sorted(k["prefix"] for k in json.loads(cli("list", "--json")[1]))
    seen, cursor = [], None
    while True:
        code, _, page = call("GET", "/api/v1/keys?limit=2" + (f"&cursor={cursor}" if cursor else ""), manager)
        assert code == 200 and len(page["items"]) <= 2
        seen += [k["prefix"] for k in page["items"]]
        if len(seen) == 2:
            create("--name", "made-while-paging")  # newest first: it would push every page along
        cursor = page.get("next_cursor")
        if not cursor:
            break
    assert sorted(seen) == before, (seen, before)
    problem(400, call("GET", "/api/v1/keys?cursor=bogus", manager), "invalid-request")
    code, _, idle = call("GET", "/api/v1/keys?status=active&sort=name&q=bulk", manager)
    assert [k["name"] for k in idle["items"]] == [f"bulk-{i}" for i in range(5)], idle
    check("next_cursor pages through every key once (limit 2), even when a key is made between pages; a made-up cursor is 400; q, status and sort filter and order")

    # The commands through the API (`api-keys --server URL`), with the key from the environment
    # only, and a database URL that goes nowhere: an operator needs no database access.
    def remote(*args, key=manager, at=None, extra=None):
        env = example.environment({"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", **(extra or {})})
        if key:
            env["API_KEY_MANAGEMENT_KEY"] = key
        result = subprocess.run([example.binary, "api-keys", "--server", (at or base) + "/api/v1", *args], capture_output=True, text=True, env=env, timeout=60)
        return result.returncode, result.stdout.strip(), result.stderr.strip()
    code, made_remote, err = remote("create", "--name", "by-remote", "--scope", "reports:read")
    assert code == 0 and made_remote.count(".") == 1 and "Store it somewhere safe" in err, (code, made_remote, err)
    assert protected(made_remote) == 200
    code, out, _ = remote("list", "--json")
    assert code == 0 and "by-remote" in {k["name"] for k in json.loads(out)} and made_remote not in out
    code, out, err = remote("create", "--name", "x", "--scope", "reports:write")
    assert code != 0 and "reports:write" in err and "403" in err, err
    code, out, _ = remote("revoke", made_remote.split(".")[0])
    assert code == 0 and protected(made_remote) == 401
    code, out, err = remote("list", key=None)
    assert code != 0 and "API_KEY_MANAGEMENT_KEY" in err, err
    code, out, err = remote("prune", "--revoked-before", "1d")
    assert code != 0 and "without --server" in err, err
    # A service that reads keys from X-Api-Key: the commands send the management key there too.
    _, custom = example.serve({"API_KEY_HEADER": "X-Api-Key"})
    code, out, err = remote("list", at=custom, extra={"API_KEY_HEADER": "X-Api-Key"})
    assert code == 0 and "ops" in out, (code, out, err)
    check("api-keys --server URL creates, lists and revokes through the API with API_KEY_MANAGEMENT_KEY (no database); "
          "refusals say why; without the variable it says what to set; API_KEY_HEADER is followed")

    # A management key over its own rate limit: 429 as problem details, with the rate-limit fields.
    metered = create("--name", "metered-ops", "--scope", "keys:manage", "--rate-limit", "2/min")
    answers = [call("GET", "/api/v1/keys?limit=1", metered) for _ in range(2)]
    assert [a[0] for a in answers] == [200, 200], answers
    assert answers[0][1]["RateLimit"].startswith('"key";r=1;t=') and answers[0][1]["RateLimit-Policy"] == '"key";q=2;w=60', dict(answers[0][1])
    code, headers, body = call("GET", "/api/v1/keys?limit=1", metered)
    problem(429, (code, headers, body), "rate-limited")
    assert int(headers["Retry-After"]) > 0 and headers["RateLimit"].startswith('"key";r=0') and "RateLimit-Policy" in headers, dict(headers)
    check("a management key's answers carry RateLimit and RateLimit-Policy; over its rate limit it gets 429 rate-limited problem details with Retry-After, RateLimit and RateLimit-Policy")

    # A revoked management key is refused within the revocation bound (other processes' changes
    # reach the cache at once through the change watcher).
    cli("revoke", manager.split(".")[0])
    deadline = time.time() + 5
    while call("GET", "/api/v1/keys", manager)[0] != 401:
        assert time.time() < deadline, "a revoked management key still manages keys"
        time.sleep(0.05)
    check("a management key revoked with api-keys revoke is refused (401)")
finally:
    example.stop()

print(f"Management API ({os.path.basename(example.binary)}, {'PostgreSQL' if 'postgres' in example.database_url else 'SQLite'}): {passed} checks passed")
