#!/usr/bin/env python3
"""Replays the bad-request corpus against running servers, over raw sockets, byte for byte.

    python3 send_corpus.py --mode authorization --keys keys.json \
        --server swift=http://127.0.0.1:8080/api/protected --server django=http://127.0.0.1:8000/protected

keys.json maps valid, unknown_prefix, wrong_secret, revoked and expired to keys of the servers'
(shared) table. Every case must be refused (4xx but 404; or the connection closed by the server's
HTTP layer, reported separately) unless the corpus marks it "granted"; no 5xx, no hang, and each
server must still answer the valid key at the end. With several servers, the answers are also
compared case by case (granted or refused); with --same-status, status by status, except that
a request one server's HTTP layer rejects (a closed connection, or a 400 with no body, before any
of our code runs) only needs a refusal from the other. Exit status 1 on any violation.
"""
import argparse
import base64
import collections
import json
import pathlib
import re
import socket
import sys
import urllib.parse

CORPUS = pathlib.Path(__file__).resolve().parents[2] / "Tests/APIKeyVaporTests/Corpus/bad-requests.json"


def placeholders(keys):
    valid = keys["valid"]
    prefix, secret = valid.split(".", 1)
    return {
        "KEY": valid, "PREFIX": prefix, "SECRET": secret, "PREFIX7": prefix[:7], "SECRET31": secret[:31],
        "KEY_UPPER": valid.upper(), "KEY_LOWER": valid.lower(),
        "KEY_PERCENT": "".join(f"%{b:02X}" for b in valid.encode()),
        "KEY_BASE64": base64.b64encode(valid.encode()).decode(),
        "UNKNOWN": keys["unknown_prefix"], "WRONG": keys["wrong_secret"],
        "REVOKED": keys["revoked"], "EXPIRED": keys["expired"], "HASH_LIKE": "0" * 128,
    }


def expand(line, values):
    line = re.sub(rb"\{(.)\*(\d+)\}", lambda m: m.group(1) * int(m.group(2)), line)
    return re.sub(rb"\{([A-Z_0-9]+)\}", lambda m: values[m.group(1).decode()].encode() if m.group(1).decode() in values else m.group(0), line)


def send(url, lines, timeout=10):
    parts = urllib.parse.urlsplit(url)
    head = b"GET " + parts.path.encode() + b" HTTP/1.1\r\nHost: " + parts.netloc.encode() + b"\r\n"
    request = head + b"".join(line + b"\r\n" for line in lines) + b"Connection: close\r\n\r\n"
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        try:
            sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
                if b"\r\n\r\n" in data:
                    break
        except ConnectionResetError:
            pass
        except socket.timeout:
            return "timeout"
    match = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    if not match:
        return "closed"
    # A 400 with no body comes from the HTTP layer (SwiftNIO's), before any of our code runs.
    if match.group(1) == b"400" and re.search(rb"(?i)\r\ncontent-length: 0\r\n", data):
        return "http-400"
    return int(match.group(1))


def verdict(status):
    if status == 200:
        return "granted"
    if status in ("closed", "http-400") or (isinstance(status, int) and 400 <= status < 500 and status != 404):
        return "refused"
    return "error"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", default="authorization")
    parser.add_argument("--keys", required=True)
    parser.add_argument("--server", action="append", required=True, help="NAME=URL")
    parser.add_argument("--same-status", action="store_true", help="servers must answer each case with the same status")
    args = parser.parse_args()
    values = placeholders(json.load(open(args.keys)))
    servers = dict(s.split("=", 1) for s in args.server)
    cases = [c for c in json.loads(CORPUS.read_text())["cases"] if c["mode"] == args.mode]
    failures = []
    statuses = {name: collections.Counter() for name in servers}
    verdicts = {}
    answers = {}
    for case in cases:
        lines = [expand(base64.b64decode(line), values) for line in case["lines"]]
        for name, url in servers.items():
            status = send(url, lines)
            statuses[name][status] += 1
            verdicts[(case["name"], name)] = verdict(status)
            answers[(case["name"], name)] = "http layer" if status in ("closed", "http-400") else status
            if verdict(status) != case["expect"]:
                failures.append(f"{name}: {case['name']!r}: expected {case['expect']}, got {status}")
    for name, url in servers.items():
        if send(url, [f"Authorization: Api-Key {values['KEY']}".encode()] if args.mode == "authorization"
                else [f"X-Api-Key: {values['KEY']}".encode()]) != 200:
            failures.append(f"{name}: the valid key is no longer granted after the corpus")
    compared = answers if args.same_status else verdicts
    disagreements = [c["name"] for c in cases if len({compared[(c["name"], n)] for n in servers}) > 1]
    if args.same_status:
        for name in disagreements:
            rejected_by_http = any(answers[(name, n)] == "http layer" for n in servers)
            if not (rejected_by_http and len({verdicts[(name, n)] for n in servers}) == 1):
                failures.append(f"different statuses for {name!r}")
    print(f"{len(cases)} {args.mode} cases against {', '.join(servers)}")
    for name in servers:
        histogram = ", ".join(f"{k}: {v}" for k, v in sorted(statuses[name].items(), key=lambda kv: str(kv[0])))
        print(f"  {name}: {histogram}")
    if len(servers) > 1:
        print(f"  {'status' if args.same_status else 'granted/refused'} disagreements: {len(disagreements)}")
        for name in disagreements:
            print("    " + name + ": " + ", ".join(f"{n} {compared[(name, n)]}" for n in servers))
    for failure in failures:
        print("  FAIL " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
