#!/usr/bin/env python3
"""What a person reads from the example's commands and settings, compared as text.

Runs the example binary (Vapor's or Hummingbird's: they must print the same) with bad settings
and bad command lines, and checks the exit status and the exact lines on standard error: one
line saying what was wrong and what is accepted, a usage line for command-line mistakes, never
Swift's debug text or a log prefix. Then serves once with API_KEY_HEADER=X-Api-Key and the serve
flags given without `serve`.

    python3 scripts/example/cli_messages_test.py .build/debug/api-key-example
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

binary = os.path.realpath(sys.argv[1])
work = tempfile.mkdtemp(prefix="apikey-cli.")
database = os.path.join(work, "keys.sqlite")
passed = 0

# Text that must never reach a person: Swift's debug descriptions and log prefixes.
DEBUG_TEXT = re.compile(r'\[Vapor\]|APIKeyFluent\.|APIKeyCommands\.|\.unknown(Input|Command)|\.missing(Command|RequiredArgument)|info codes\.vapor|warning codes\.vapor|Fatal error')


def run(*args, env=None, cwd=None):
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "API_KEY_SCHEMA", "API_KEY_HEADER", "LOG_LEVEL")}
    environment["DATABASE_URL"] = f"sqlite://{database}"
    environment.update(env or {})
    environment = {k: v for k, v in environment.items() if v is not None}
    result = subprocess.run([binary, *args], capture_output=True, text=True, env=environment, cwd=cwd or work, timeout=60)
    return result.returncode, result.stdout, result.stderr


def check(description, condition, details=""):
    global passed
    if not condition:
        print(f"cli test failed: {description}\n{details}", file=sys.stderr)
        sys.exit(1)
    passed += 1
    print(f"  ok (cli): {description}")


def expect(description, args, status, stderr_lines=(), stdout_contains=(), env=None, cwd=None):
    code, out, err = run(*args, env=env, cwd=cwd)
    lines = err.splitlines()
    details = f"exit {code}\nstdout:\n{out}\nstderr:\n{err}"
    ok = (code == status if status == 0 else code != 0) and not DEBUG_TEXT.search(err + out)
    ok = ok and all(line in lines for line in stderr_lines) and all(text in out for text in stdout_contains)
    check(description, ok, details)
    return out, err


accepted = "sqlite:///absolute/path.sqlite or postgres://user:password@host:port/database"
for args in (["api-keys", "list"], []):
    what = "the commands" if args else "the service"
    expect(f"{what}: a relative SQLite path says what is accepted", args, 1,
           [f"Error: DATABASE_URL must be {accepted} (a SQLite path must be absolute), got sqlite://relative.sqlite"],
           env={"DATABASE_URL": "sqlite://relative.sqlite"})
    expect(f"{what}: an unknown database says what is accepted", args, 1,
           [f"Error: DATABASE_URL must be {accepted}, got a URL starting with mysql"],
           env={"DATABASE_URL": "mysql://user:secret@host/db"})
    expect(f"{what}: an unknown API_KEY_SCHEMA says what is accepted", args, 1,
           ["Error: API_KEY_SCHEMA must be drf (djangorestframework-api-key's table) or unset (api_keys), got django"],
           env={"API_KEY_SCHEMA": "django"})
expect("the service: a header name HTTP cannot carry is refused", [], 1,
       ["Error: API_KEY_HEADER must be a header name of at most 64 letters, digits and - _ . characters, such as X-Api-Key, got X Api"],
       env={"API_KEY_HEADER": "X Api"})

out, err = expect("the commands say which database they use, and that it is new", ["api-keys", "list"], 0,
                  [f"Database: SQLite file {database} (new; set DATABASE_URL to use another)",
                   "No API keys yet. Create one with: api-keys create --name NAME"])
expect("without DATABASE_URL, the path is absolute", ["api-keys", "list"], 0,
       [f"Database: SQLite file {os.path.realpath(work)}/api-key-example.sqlite (new; set DATABASE_URL to use another)"],
       env={"DATABASE_URL": None})

expect("a long name: one line, no log prefix", ["api-keys", "create", "--name", "x" * 60], 1,
       ["Error: A name is at most 50 characters, counted as the database counts them (each accent or combining mark is one); this one has 60."])
expect("a missing prefix: the error and a usage line", ["api-keys", "revoke"], 1,
       ["Error: Missing expected argument '<prefixes> ...'", "Usage: api-keys revoke <prefixes> ..."])
expect("an unknown option: the error and a usage line", ["api-keys", "list", "--frobnicate"], 1,
       ["Error: Unknown option '--frobnicate'", "Usage: api-keys list [--json] [--scope <scope>] [--idle <idle>]"])
expect("an unknown subcommand: the error and a usage line", ["api-keys", "lst"], 1,
       ["Error: Unexpected argument 'lst'", "Usage: api-keys [--server <server>] <subcommand>"])
expect("a missing --name: the error and a usage line", ["api-keys", "create"], 1,
       ["Error: Missing expected argument '--name <name>'",
        "Usage: api-keys create --name <name> [--expires <expires>] [--scope <scope> ...] [--allow-ip <allow-ip> ...] [--metadata <metadata>] [--rate-limit <rate-limit>]"])
expect("create --help shows that --name is required", ["api-keys", "create", "--help"], 0,
       stdout_contains=["USAGE: api-keys create --name <name> [--expires <expires>] [--scope <scope> ...]"])
expect("api-keys alone lists the subcommands", ["api-keys"], 0, stdout_contains=["SUBCOMMANDS:", "create", "update", "suspend", "resume", "revoke", "delete"])
expect("an expiry in the past is refused", ["api-keys", "create", "--name", "old", "--expires", "2001-01-01"], 1,
       ["Error: The expiry 2001-01-01 00:00 UTC has already passed; give a date and time after now (UTC)."])
expect("an unknown prefix: nothing changed", ["api-keys", "revoke", "zzzzzzzz"], 1,
       ["Error: no API key has the prefix zzzzzzzz; nothing was changed"])

code, key, err = run("api-keys", "create", "--name", "forever")
check("create prints the key alone on stdout", code == 0 and re.fullmatch(r"[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}\n", key), err)
code, out, err = run("api-keys", "list", "--json")
rows = json.loads(out)
check('list --json writes "expires_at": null for a key that never expires',
      code == 0 and rows[0]["expires_at"] is None and '"expires_at" : null' in out, out)

# A whole key where a prefix (or nothing) is expected: used as its prefix, and its secret is
# printed nowhere, by every command.
key = key.strip()
prefix, secret = key.split(".")
unknown_key = "zzzzzzzz." + secret
for args in (["api-keys", "revoke", unknown_key], ["api-keys", "delete", unknown_key],
             ["api-keys", "list", key], ["api-keys", "create", "--name", "n", key],
             ["api-keys", "create", "--name", "n", "--expires", key], ["api-keys", "revoke", "--json", key],
             ["api-keys", "delete", "zzzzzzzz", key + "x"]):
    code, out, err = run(*args)
    check(f"{' '.join(a.replace(secret, '<secret>') for a in args[:3])} …: refused, and the secret appears nowhere",
          code != 0 and secret not in out + err and not DEBUG_TEXT.search(out + err), f"exit {code}\n{out}\n{err}")
expect("revoke with an unknown whole key names only its prefix", ["api-keys", "revoke", unknown_key], 1,
       ["Error: no API key has the prefix zzzzzzzz; nothing was changed"])
expect("an unexpected whole key is quoted as its prefix", ["api-keys", "list", key], 1, [f"Error: Unexpected argument '{prefix}.…'"])
second_key = run("api-keys", "create", "--name", "second")[1].strip()
out, err = expect("revoke with a whole key revokes that key, and prints its prefix", ["api-keys", "revoke", second_key], 0)
check("… only the prefix", out == f"Revoked {second_key.split('.')[0]}\n" and second_key.split(".")[1] not in out + err, out + err)
out, err = expect("delete with a whole key deletes that key, and prints its prefix", ["api-keys", "delete", second_key], 0)
check("… only the prefix", out == f"Deleted {second_key.split('.')[0]}\n" and second_key.split(".")[1] not in out + err, out + err)

# A database that does not answer: one line that says which and what to check, never the
# password, for the commands and the service alike.
unreachable = "postgres://someone:s3cr3t-Pa55@127.0.0.1:1/keys"
for args in (["api-keys", "list"], []):
    what = "the commands" if args else "the service"
    out, err = expect(f"{what}: a database that does not answer is named, with what to check", args, 1,
                      ["Database: PostgreSQL database keys on 127.0.0.1:1 as someone",
                       "Error: the database could not be used: PostgreSQL database keys on 127.0.0.1:1 as someone. "
                       "Check that it exists and runs, and that DATABASE_URL names it."],
                      env={"DATABASE_URL": unreachable, "ADMIN_PASSWORD": "x"})
    check(f"{what}: the password is never printed", "s3cr3t-Pa55" not in out + err, err)
expect("a SQLite file that cannot be created: named, with what to check", ["api-keys", "list"], 1,
       ["Error: the database could not be used: SQLite file /nonexistent/folder/keys.sqlite. "
        "Check that it exists and runs, and that DATABASE_URL names it."],
       env={"DATABASE_URL": "sqlite:///nonexistent/folder/keys.sqlite"})

postgres = os.environ.get("APIKEY_TEST_POSTGRES_URL")
if postgres:
    # The test server trusts local connections: a made-up password still connects, and must
    # appear nowhere.
    with_password = re.sub(r"^(postgres(?:ql)?://[^:/@]+):[^@]*@", r"\1:made-up-Pa55word@", postgres)
    code, out, err = run("api-keys", "list", env={"DATABASE_URL": with_password})
    line = next((l for l in err.splitlines() if l.startswith("Database: ")), "")
    check("on PostgreSQL, the database line names the host and database, never the password",
          re.fullmatch(r"Database: PostgreSQL database \S+ on 127\.0\.0\.1:\d+ as \S+", line)
          and "made-up-Pa55word" not in out + err, err)
else:
    print("  skipped (cli): the PostgreSQL database line (APIKEY_TEST_POSTGRES_URL is not set)")

# Serving: the flags without `serve`, and the key in X-Api-Key.
def free_port():
    # Below 32768, where the kernel's client ports do not land.
    for candidate in range(17000 + os.getpid() % 500, 18000):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
                return candidate
            except OSError:
                continue
    raise SystemExit("no free port in 17000-17999")


port = free_port()
environment = dict(os.environ, DATABASE_URL=f"sqlite://{database}", API_KEY_HEADER="X-Api-Key", ADMIN_PASSWORD="cli-test-password")
log = open(os.path.join(work, "server.log"), "w+")
server = subprocess.Popen([binary, "--hostname", "127.0.0.1", "--port", str(port)], env=environment, cwd=work, stdout=log, stderr=log)
try:
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/api/public", timeout=1)
            break
        except Exception:
            time.sleep(0.1)

    def get(headers):
        request = urllib.request.Request(base + "/api/protected", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.headers

    status, _ = get({"X-Api-Key": key.strip()})
    check("`--hostname H --port P` without `serve` serves; API_KEY_HEADER=X-Api-Key reads the key there", status == 200,
          open(log.name).read())
    status, headers = get({"Authorization": "Api-Key " + key.strip()})
    check('then Authorization is not read, and the 401 says which header: Api-Key header="X-Api-Key"',
          status == 401 and headers.get("WWW-Authenticate") == 'Api-Key header="X-Api-Key"', f"{status} {dict(headers)}")
    log.seek(0)
    check("the service says which database it uses", f"Database: SQLite file {database}" in log.read())
finally:
    server.terminate()
    server.wait(timeout=10)

print(f"CLI messages ({os.path.basename(binary)}): all {passed} checks passed")
