#!/usr/bin/env python3
"""The example's sign-in and sessions, over HTTP, against the running example and its SQLite file.

    python3 scripts/example/sign_in_test.py http://127.0.0.1:PORT PASSWORD /path/to/example.sqlite

Checks: no session is stored for cookie-less or made-up cookies; the session cookie is HttpOnly,
a session cookie, and its id changes at sign-in (fixation); the table holds a digest of the id,
not the id; a session that expired on the server is refused; logout ends it; wrong passwords are
throttled with 429 and Retry-After. Run last: it leaves 127.0.0.1 throttled for 15 minutes.
"""
import hashlib
import re
import http.client
import socket
import sqlite3
import sys
import time
import urllib.parse

base, password, database = sys.argv[1], sys.argv[2], sys.argv[3]
host = urllib.parse.urlparse(base)
COOKIE = "example_admin_session"
passed = 0


def request(method, path, cookie=None, form=None):
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    headers = {}
    if cookie:
        headers["Cookie"] = f"{COOKIE}={cookie}"
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.body = response.read().decode("utf-8", "replace")
    set_cookies = [value for name, value in response.getheaders() if name.lower() == "set-cookie"]
    connection.close()
    return response, set_cookies


def session_cookie(set_cookies):
    for line in set_cookies:
        if line.startswith(COOKIE + "="):
            return line
    return None


def stored_sessions():
    with sqlite3.connect(database) as db:
        return [row[0] for row in db.execute("SELECT id FROM example_admin_sessions")]


def check(condition, message):
    global passed
    if not condition:
        print(f"sign-in test failed: {message}", file=sys.stderr)
        sys.exit(1)
    passed += 1
    print(f"  ok: {message}")


before = stored_sessions()
response, cookies = request("GET", "/admin/keys")
check(response.status == 303 and session_cookie(cookies) is None and stored_sessions() == before,
      "a request without a session cookie is sent to sign in, and no session is stored")
response, cookies = request("GET", "/admin/keys", cookie="made-up")
cleared = session_cookie(cookies)
check(response.status == 303 and stored_sessions() == before and cleared is not None and "Expires=Thu, 01 Jan 1970" in cleared,
      "a made-up session cookie is cleared, and no session is stored")

planted = "planted-by-an-attacker"
response, cookies = request("POST", "/login", cookie=planted, form={"password": password})
line = session_cookie(cookies)
check(response.status == 303 and line is not None, "signing in sets a session cookie")
session = line.split(";")[0].split("=", 1)[1]
attributes = [part.strip().lower() for part in line.split(";")[1:]]
check(session != planted, "the session gets a new id at sign-in (a planted id is worth nothing)")
check("httponly" in attributes and not any(a.startswith(("expires", "max-age")) for a in attributes)
      and "samesite=lax" in attributes and "path=/" in attributes,
      f"the session cookie is HttpOnly, SameSite=Lax, a browser-session cookie: {line}")
digest = hashlib.sha256(session.encode()).hexdigest()
check(digest in stored_sessions() and session not in stored_sessions(), "the table holds a SHA-256 of the id, never the id")
response, _ = request("GET", "/admin/keys", cookie=session)
check(response.status == 200, "the session opens the admin panel")

with sqlite3.connect(database) as db:
    db.execute("UPDATE example_admin_sessions SET expires_at = 0 WHERE id = ?", (digest,))
response, _ = request("GET", "/admin/keys", cookie=session)
check(response.status == 303 and digest not in stored_sessions(), "a session that expired on the server is refused and removed")

response, cookies = request("POST", "/login", form={"password": password})
session = session_cookie(cookies).split(";")[0].split("=", 1)[1]
page, _ = request("GET", "/admin/keys", cookie=session)
check('action="/logout"' in page.body and "Signed in as <strong>admin</strong>" in page.body
      and 'href="/admin/organization/keys"' in page.body, "the panel's header links both sections, names who is signed in and can sign out")
token = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.body).group(1)
response, _ = request("POST", "/logout", cookie=session)
check(response.status == 403 and hashlib.sha256(session.encode()).hexdigest() in stored_sessions(),
      "signing out without the panel's CSRF token (another site's form) is refused, and the session stays")
request("POST", "/logout", cookie=session, form={"csrf": token})
response, _ = request("GET", "/admin/keys", cookie=session)
check(response.status == 303 and hashlib.sha256(session.encode()).hexdigest() not in stored_sessions(), "logging out ends the session on the server")

# A request whose body is still arriving while /logout runs: its session was read when it
# started, and is saved when it ends. It must not sign the session in again.
response, cookies = request("POST", "/login", form={"password": password})
session = session_cookie(cookies).split(";")[0].split("=", 1)[1]
page, _ = request("GET", "/admin/keys", cookie=session)
token = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.body).group(1)
rows_before = len(stored_sessions())
body = urllib.parse.urlencode({"csrf": "0" * 64, "name": "slow"}).encode()
slow = socket.create_connection((host.hostname, host.port), timeout=30)
slow.sendall(f"POST /admin/keys HTTP/1.1\r\nHost: {host.hostname}:{host.port}\r\nCookie: {COOKIE}={session}\r\n"
             f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
             + body[:4])
time.sleep(0.5)  # the server has read the session by now; the rest of the body has not come
response, _ = request("POST", "/logout", cookie=session, form={"csrf": token})
check(response.status == 303 and hashlib.sha256(session.encode()).hexdigest() not in stored_sessions(), "signing out while another request is in flight")
slow.sendall(body[4:])
raw = b""
while chunk := slow.recv(65536):
    raw += chunk
slow.close()
head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
late = [line.split(":", 1)[1].strip() for line in head.split("\r\n")[1:] if line.lower().startswith("set-cookie:")]
late = [line for line in late if line.startswith(COOKIE + "=")]
revived = [line.split(";")[0].split("=", 1)[1] for line in late if "expires=thu, 01 jan 1970" not in line.lower() and "max-age=0" not in line.lower()]
check(not revived and len(stored_sessions()) == rows_before - 1,
      f"the request that was in flight does not sign the session in again (it clears the cookie): {late}")
response, _ = request("GET", "/admin/keys", cookie=session)
check(response.status == 303, "and the signed-out session stays signed out")

statuses = [request("POST", "/login", form={"password": "wrong"})[0].status for _ in range(5)]
response, _ = request("POST", "/login", form={"password": password})
check(statuses == [401] * 5 and response.status == 429 and int(response.getheader("Retry-After", "0")) > 0,
      "after 5 wrong passwords, even the right one waits: 429 with Retry-After")
print(f"Sign-in: all {passed} checks passed")
