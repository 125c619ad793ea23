#!/usr/bin/env python3
"""What a key may do, end to end, as the example's users meet it: scopes, suspension, IP
allowlists (and trusted proxies) and metadata, set with the commands and enforced by the running
service over real HTTP. Both examples must behave the same.

Starts its own two servers on one database (a new SQLite file, or the empty PostgreSQL database
DATABASE_URL names): one that trusts no proxy (forwarded headers are ignored) and one with
API_KEY_TRUSTED_PROXIES=127.0.0.1.

    python3 scripts/example/access_test.py .build/debug/api-key-example [DATABASE_URL]
"""
import json
import os
import time
import urllib.error
import urllib.request

from example_processes import ExampleProcesses, free_port

example = ExampleProcesses("access")
binary, work, database_url, servers = example.binary, example.work, example.database_url, example.servers
environment, cli, create = example.environment, example.cli, example.create
passed = 0


def serve(extra=None):
    return example.serve(extra)[1]


def request(base, path, key=None, method="GET", headers=None):
    req = urllib.request.Request(base + path, method=method, data=b"" if method == "POST" else None)
    if key:
        req.add_header("Authorization", f"Api-Key {key}")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=5) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read().decode()


def eventually(expected, *args, **kwargs):
    """The status `expected` within two seconds: another process's change may take the cache's
    bound to show."""
    got = None
    for _ in range(40):
        got = request(*args, **kwargs)
        if got[0] == expected:
            return got
        time.sleep(0.05)
    raise AssertionError(f"expected {expected}, still {got[0]}: {got[2]}")


def check(description):
    global passed
    passed += 1
    print(f"  ok: {description}")


try:
    cli("list")  # migrations, once, before two servers race for them
    plain = serve()
    proxied = serve({"API_KEY_TRUSTED_PROXIES": "127.0.0.1, ::1"})

    # Scopes.
    reader = create("--name", "reader", "--scope", "reports:read")
    writer = create("--name", "writer", "--scope", "reports:read", "--scope", "reports:write")
    nothing = create("--name", "nothing")
    assert request(plain, "/api/reports", reader)[0] == 200
    status, headers, body = request(plain, "/api/reports", reader, method="POST")
    assert status == 403, (status, body)
    assert headers.get("www-authenticate") == 'Api-Key error="insufficient_scope", scope="reports:write"', headers
    assert request(plain, "/api/reports", writer, method="POST")[0] == 201
    status, headers, _ = request(plain, "/api/reports", nothing)
    assert status == 403 and headers.get("www-authenticate") == 'Api-Key error="insufficient_scope", scope="reports:read"', (status, headers)
    assert request(plain, "/api/reports")[0] == 401
    assert request(plain, "/api/reports", "zzzzzzzz." + "a" * 32)[0] == 401
    check("GET /api/reports needs reports:read and POST reports:write: 403 with insufficient_scope naming the scope; no key or a bad one 401")
    status, _, body = request(plain, "/api/reports/export", writer)
    assert status == 200 and json.loads(body) == {"message": "Hello, writer!"}, (status, body)
    status, headers, _ = request(plain, "/api/reports/export", reader)
    assert status == 403 and headers.get("www-authenticate") == 'Api-Key error="insufficient_scope", scope="reports:write"', (status, headers)
    check("GET /api/reports/export needs both scopes, and names the one a key lacks")

    code, out, err = cli("create", "--name", "bad", "--scope", "reports:delete")
    assert code != 0 and out == "", (code, out)
    assert err == "Error: Unknown scope 'reports:delete'. Declared scopes: reports:read, reports:write, keys:manage.", err
    code, _, err = cli("list", "--scope", "admin")
    assert code != 0 and "Declared scopes: reports:read, reports:write, keys:manage." in err, err
    check("an undeclared scope is refused, in one line listing the declared scopes")

    rows = json.loads(cli("list", "--json")[1])
    row = next(r for r in rows if r["prefix"] == writer.split(".")[0])
    assert row["scopes"] == ["reports:read", "reports:write"] and row["suspended"] is False, row
    assert row["allowed_ips"] == [] and row["metadata"] == {}, row
    writers = [r["prefix"] for r in json.loads(cli("list", "--json", "--scope", "reports:write")[1])]
    assert writers == [writer.split(".")[0]], writers
    table = cli("list")[1]
    assert "SCOPES" in table.splitlines()[0] and "reports:read reports:write" in table, table
    check("list --json has scopes, suspended, allowed_ips and metadata; list --scope filters; the table shows scopes")

    code, out, err = cli("update", reader.split(".")[0], "--scope", "reports:write")
    assert code == 0, err
    eventually(201, plain, "/api/reports", reader, method="POST")
    eventually(403, plain, "/api/reports", reader)
    check("update --scope replaces the scopes, and the running service follows")

    # Suspension.
    prefix = writer.split(".")[0]
    assert cli("suspend", prefix)[0] == 0
    eventually(401, plain, "/api/reports", writer)
    assert next(r for r in json.loads(cli("list", "--json")[1]) if r["prefix"] == prefix)["status"] == "suspended"
    assert cli("resume", prefix)[0] == 0
    eventually(200, plain, "/api/reports", writer)
    check("suspend: 401 (within the revocation bound) and status suspended; resume: 200 again")
    assert cli("revoke", prefix)[0] == 0
    code, _, err = cli("resume", prefix)
    assert code != 0 and err == "Error: The API key has been revoked, which cannot be undone.", err
    code, _, err = cli("suspend", "zzzzzzzz")
    assert code != 0 and "no API key has the prefix zzzzzzzz" in err, err
    check("a revoked key cannot be resumed; an unknown prefix is named; both exit non-zero")

    # IP allowlists.
    office = create("--name", "office", "--scope", "reports:read", "--allow-ip", "203.0.113.0/24")
    local = create("--name", "local", "--scope", "reports:read", "--allow-ip", "127.0.0.1", "--allow-ip", "::1")
    status, _, body = request(plain, "/api/reports", office)
    assert status == 403, (status, body)
    assert request(plain, "/api/reports", local)[0] == 200
    assert request(plain, "/api/reports", "zzzzzzzz." + "a" * 32, headers={"X-Forwarded-For": "203.0.113.9"})[0] == 401
    check("a key used from outside its allowlist gets 403; from inside, 200; a wrong key still 401")
    assert request(plain, "/api/reports", office, headers={"X-Forwarded-For": "203.0.113.9"})[0] == 403
    check("without trusted proxies, a spoofed X-Forwarded-For changes nothing")
    assert request(proxied, "/api/reports", office, headers={"X-Forwarded-For": "203.0.113.9"})[0] == 200
    assert request(proxied, "/api/reports", office, headers={"X-Forwarded-For": "203.0.113.9, 127.0.0.1"})[0] == 200
    assert request(proxied, "/api/reports", office, headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.4"})[0] == 403
    assert request(proxied, "/api/reports", office, headers={"X-Forwarded-For": "198.51.100.4"})[0] == 403
    assert request(proxied, "/api/reports", local, headers={"X-Forwarded-For": "198.51.100.4"})[0] == 403
    check("behind a trusted proxy, X-Forwarded-For is read from the right through trusted hops only")
    for spoof in ["garbage", "203.0.113.9, not-an-ip", "unknown", "203.0.113.9:abc", ", ".join(["127.0.0.1"] * 40), "[::1", "1.2.3.4.5"]:
        status, _, body = request(proxied, "/api/reports", office, headers={"X-Forwarded-For": spoof})
        assert status == 403, (spoof, status, body)
    anywhere = create("--name", "anywhere", "--scope", "reports:read")
    assert request(proxied, "/api/reports", anywhere, headers={"X-Forwarded-For": "garbage"})[0] == 200
    check("a malformed, unknown or too long forwarded chain leaves the client unknown: 403 for an allowlisted key, no effect on others")

    code, out, err = cli("create", "--name", "bad", "--allow-ip", "10.0.0.0/33")
    assert code != 0 and out == "" and "prefix length that is not 0 to 32" in err and "CIDR range" in err, err
    code, _, err = cli("create", "--name", "bad", "--allow-ip", "10.0.0.7/8")
    assert code != 0 and "did you mean 10.0.0.0/8?" in err, err
    code, _, err = cli("create", "--name", "bad", "--allow-ip", "example.com")
    assert code != 0 and "is not an IP address or range" in err, err
    check("a bad address or range is refused with what is accepted (and the range that was likely meant)")

    # Metadata.
    tagged = create("--name", "tagged", "--metadata", '{"customer": "cus_123", "tier": 2}')
    row = next(r for r in json.loads(cli("list", "--json")[1]) if r["prefix"] == tagged.split(".")[0])
    assert row["metadata"] == {"customer": "cus_123", "tier": 2}, row
    code, _, err = cli("create", "--name", "bad", "--metadata", "[1, 2]")
    assert code != 0 and "must be a JSON object" in err, err
    code, _, err = cli("create", "--name", "bad", "--metadata", json.dumps({"x": "y" * 5000}))
    assert code != 0 and "at most 4096 bytes" in err, err
    assert cli("update", tagged.split(".")[0], "--clear-metadata")[0] == 0
    row = next(r for r in json.loads(cli("list", "--json")[1]) if r["prefix"] == tagged.split(".")[0])
    assert row["metadata"] == {}, row
    check("metadata is stored and listed; not an object, or over 4 KiB, is refused; --clear-metadata removes it")

    # Rotation, from the commands (another process): the new key keeps the old one's scopes; the
    # old one works for its grace period, its responses saying until when.
    old = create("--name", "rotating", "--scope", "reports:read")
    assert request(plain, "/api/reports", old)[0] == 200
    code, new, err = cli("rotate", old.split(".")[0], "--grace", "1h")
    assert code == 0 and new.count(".") == 1 and new.split(".")[0] != old.split(".")[0] and "works until" in err, (code, err)
    assert eventually(200, plain, "/api/reports", new)[1].get("deprecation") is None
    for _ in range(40):
        status, headers, _ = request(plain, "/api/reports", old)
        if "deprecation" in headers:
            break
        time.sleep(0.05)
    assert status == 200 and headers["deprecation"].startswith("@") and headers["sunset"].endswith(" GMT"), (status, headers)
    row = next(r for r in json.loads(cli("list", "--json")[1]) if r["prefix"] == new.split(".")[0])
    assert row["rotated_from"] == old.split(".")[0] and row["scopes"] == ["reports:read"], row
    code, _, err = cli("rotate", old.split(".")[0], "--grace", "1h")
    assert code != 0 and "already rotated" in err, err
    check("rotate prints the new key alone; the old key works for its grace period with Deprecation and Sunset; a second rotation is refused")
    org = create("--organization", "Acme", "--name", "org rotating")
    assert request(plain, "/api/organization", org)[0] == 200
    code, new_org, err = cli("rotate", org.split(".")[0], "--grace", "0", "--organization", "Acme")
    assert code == 0, err
    eventually(401, plain, "/api/organization", org)
    status, _, body = eventually(200, plain, "/api/organization", new_org)
    assert "Acme" in body, body
    check("an organization's key (a custom model) rotates within its organization; a grace of 0 stops the old key at once")

    log = open(os.path.join(work, f"server-{servers[0].args[-1]}.log")).read()
    assert "api_key_denial=suspended" in log and "api_key_denial=address_not_allowed" in log, "refusals not logged by reason"
    assert writer.split(".")[1] not in log, "the log holds a key's secret"
    check("the service logs a suspended key as suspended and an address off the allowlist as address_not_allowed, never a secret")
finally:
    for server in servers:
        server.terminate()
        server.wait()

print(f"Access ({os.path.basename(binary)}, {database_url.split(':')[0]}): all {passed} checks passed")
