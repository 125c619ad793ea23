#!/usr/bin/env python3
"""Writes Tests/APIKeyVaporTests/Corpus/bad-requests.json: raw header lines for a protected route.

    python3 scripts/hardening/generate_corpus.py

Each case is a list of raw header lines (bytes, base64 in the file) sent as they are, with
placeholders filled in at run time from real keys: {KEY} a valid key, {PREFIX} and {SECRET} its
two parts, {REVOKED} a revoked key, {EXPIRED} an expired one, {UNKNOWN} a well-formed key whose
prefix is in no row, {WRONG} the valid prefix with another secret; {c*N} stands for the character
c repeated N times, which keeps the oversized cases small in the file. `mode` says how the server
reads keys: "authorization" (`Authorization: Api-Key <key>`) or "custom" (`X-Api-Key: <key>`);
"scope" sends keys to a route that requires a scope {KEY} lacks ({SCOPED} holds it), and
"forwarded" sends {KEY}, allowed from 203.0.113.0/24 only, through a trusted proxy (the peer).
`expect` is "refused" (any 4xx but 404: 401/403 from us, 400/431 from the HTTP server) or
"granted" (200) for the few controls that upstream's parsing rules accept (a mixed-case keyword,
a header name in another case, whitespace that HTTP itself strips from the ends of a value).

The same file drives the Swift test (BadInputTests) and scripts/hardening/send_corpus.py, which
replays the authorization cases against the real djangorestframework-api-key.
"""
import base64
import json
import pathlib

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/APIKeyVaporTests/Corpus/bad-requests.json"

cases = []


def add(mode, name, lines, expect="refused"):
    lines = [line.encode("utf-8") if isinstance(line, str) else line for line in lines]
    for line in lines:
        assert b"\r\n" not in line or name.startswith("framing"), name
    cases.append({"mode": mode, "name": name, "expect": expect,
                  "lines": [base64.b64encode(line).decode() for line in lines]})


# Values that are never a valid key (used after the keyword, or alone in the custom header).
bad_keys = {
    "no dot": b"{PREFIX}{SECRET}",
    "two dots": b"{PREFIX}..{SECRET}",
    "dot at the end too": b"{PREFIX}.{SECRET}.",
    "leading dot": b".{PREFIX}.{SECRET}",
    "many dots": b"a.b.c.d.e.f",
    "only dots": b"........",
    "a single dot": b".",
    "empty prefix": b".{SECRET}",
    "empty secret": b"{PREFIX}.",
    "prefix one short": b"{PREFIX7}.{SECRET}",
    "prefix one long": b"{PREFIX}x.{SECRET}",
    "secret one short": b"{PREFIX}.{SECRET31}",
    "secret one long": b"{PREFIX}.{SECRET}x",
    "secret doubled": b"{PREFIX}.{SECRET}{SECRET}",
    "key twice": b"{KEY}{KEY}",
    "key, space, key": b"{KEY} {KEY}",
    "key and junk": b"{KEY} x",
    "space inside": b"{PREFIX}. {SECRET}",
    "space before the dot": b"{PREFIX} .{SECRET}",
    "tab inside": b"{PREFIX}.\t{SECRET}",
    "upper-cased key": b"{KEY_UPPER}",
    "lower-cased key": b"{KEY_LOWER}",
    "unknown prefix": b"{UNKNOWN}",
    "wrong secret": b"{WRONG}",
    "revoked key": b"{REVOKED}",
    "expired key": b"{EXPIRED}",
    "prefix only": b"{PREFIX}",
    "secret only": b"{SECRET}",
    "hash instead of key": b"sha512$${HASH_LIKE}",
    "sql injection": b"' OR '1'='1.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "sql injection in the prefix": b"x' OR 1=1 --.{SECRET}",
    "like wildcard prefix": b"%%%%%%%%.{SECRET}",
    "underscore wildcard prefix": b"________.{SECRET}",
    "percent-encoded dot": b"{PREFIX}%2E{SECRET}",
    "percent-encoded key": b"{KEY_PERCENT}",
    "base64 of the key": b"{KEY_BASE64}",
    "quoted key": b"\"{KEY}\"",
    "key in angle brackets": b"<{KEY}>",
    "json": b"{\"key\": \"{KEY}\"}",
    "non-ASCII letter at the end": "{PREFIX}.{SECRET31}é".encode(),
    "non-ASCII prefix": "éééééééé.{SECRET}".encode(),
    "Cyrillic look-alike in the prefix": "{PREFIX7}а.{SECRET}".encode(),
    "full-width digits": "１２３４５６７８.{SECRET}".encode(),
    "emoji": "🔑🔑.{SECRET}".encode(),
    "zero-width space": "{PREFIX}\u200b.{SECRET}".encode(),
    "right-to-left mark": "\u200f{KEY}".encode(),
    "byte order mark": "\ufeff{KEY}".encode(),
    "NUL at the end": b"{KEY}\x00",
    "NUL at the start": b"\x00{KEY}",
    "NUL before the dot": b"{PREFIX}\x00.{SECRET}",
    "only NUL": b"\x00",
    "bell": b"{KEY}\x07",
    "backspace": b"{PREFIX}\x08.{SECRET}",
    "escape sequence": b"\x1b[31m{KEY}",
    "vertical tab": b"{PREFIX}\x0b.{SECRET}",
    "form feed": b"{KEY}\x0c",
    "unit separator": b"{PREFIX}.\x1f{SECRET31}",
    "DEL": b"{KEY}\x7f",
    "lone 0xFF": b"{PREFIX}.\xff{SECRET31}",
    "overlong slash": b"{PREFIX}\xc0\xaf{SECRET}",
    "UTF-16 surrogate in UTF-8": b"{PREFIX}.\xed\xa0\x80{SECRET31}",
    "lone continuation byte": b"\x80{KEY}",
    "Latin-1 e-acute": b"{PREFIX}.{SECRET31}\xe9",
    "truncated UTF-8": b"{KEY}\xe2\x82",
    "replacement character itself": "{PREFIX}.{SECRET31}\ufffd".encode(),
    "1 KiB": b"{a*1024}",
    "1 KiB + 1": b"{a*1025}",
    "8 KiB": b"{A*8192}",
    "8 KiB after a valid key": b"{KEY}{a*8192}",
    "64 KiB": b"{k*65536}",
}

# --- Authorization mode -------------------------------------------------------------------------
A = "authorization"
add(A, "no header", [])
for name, value in {"empty": b"", "one space": b" ", "spaces": b"     ", "a tab": b"\t",
                    "space and tab": b" \t ", "keyword alone": b"Api-Key", "keyword and a space": b"Api-Key ",
                    "keyword and spaces": b"Api-Key    ", "keyword and a tab": b"Api-Key\t"}.items():
    add(A, f"Authorization: {name}", [b"Authorization: " + value])
for keyword in ["Bearer", "Token", "Basic", "Digest", "ApiKey", "Api_Key", "Api-Keys", "Api-Key-", "XApi-Key",
                "X-Api-Key", "Api-Key:", "Api-Key=", "My-Special-Api-Key", "Api-Ke", "Api-K", "Api-", "Api", "A",
                "-", "Api–Key", "Api\u2011Key", "Аpi-Key", "Api-\u212aey", "Api-Key\x00", "\"Api-Key\"", "Api Key"]:
    add(A, f"keyword {keyword!r}", [b"Authorization: " + keyword.encode() + b" {KEY}"])
for keyword in ["api-key", "API-KEY", "aPi-KeY", "Api-key"]:
    add(A, f"mixed-case keyword {keyword!r} with a valid key (upstream: case-insensitive)",
        [b"Authorization: " + keyword.encode() + b" {KEY}"], expect="granted")
    for name in ["unknown prefix", "wrong secret", "no dot", "NUL at the end", "8 KiB"]:
        add(A, f"mixed-case keyword {keyword!r}, {name}", [b"Authorization: " + keyword.encode() + b" " + bad_keys[name]])
for name, value in {
    "tab separator": b"Api-Key\t{KEY}",
    "two spaces": b"Api-Key  {KEY}",
    "space and tab": b"Api-Key \t{KEY}",
    "tab and space": b"Api-Key\t {KEY}",
    "colon separator": b"Api-Key:{KEY}",
    "colon and space": b"Api-Key: {KEY}",
    "equals separator": b"Api-Key={KEY}",
    "no separator": b"Api-Key{KEY}",
    "no-break space": "Api-Key\u00a0{KEY}".encode(),
    "em space": "Api-Key\u2003{KEY}".encode(),
    "key first": b"{KEY} Api-Key",
    "key alone": b"{KEY}",
    "keyword twice": b"Api-Key Api-Key {KEY}",
    "comma-joined values": b"Api-Key {KEY}, Api-Key {KEY}",
    "comma after the key": b"Api-Key {KEY},",
}.items():
    add(A, f"separator: {name}", [b"Authorization: " + value])
for name, value in bad_keys.items():
    add(A, f"key: {name}", [b"Authorization: Api-Key " + value])
    add(A, f"key with lower-case keyword: {name}", [b"Authorization: api-key " + value])
    add(A, f"key with upper-case keyword: {name}", [b"Authorization: API-KEY " + value])
# HTTP strips spaces and tabs at both ends of a field value: these arrive as the plain key.
for name, value in {"trailing space": b"Api-Key {KEY} ", "trailing spaces": b"Api-Key {KEY}   ",
                    "trailing tab": b"Api-Key {KEY}\t", "leading space": b" Api-Key {KEY}"}.items():
    add(A, f"whitespace HTTP strips: {name}", [b"Authorization: " + value], expect="granted")
add(A, "control: the valid key", [b"Authorization: Api-Key {KEY}"], expect="granted")
# Many headers.
add(A, "two headers: valid, then garbage", [b"Authorization: Api-Key {KEY}", b"Authorization: Api-Key garbage"])
add(A, "two headers: garbage, then valid", [b"Authorization: Api-Key garbage", b"Authorization: Api-Key {KEY}"])
add(A, "two headers: the valid key twice", [b"Authorization: Api-Key {KEY}", b"Authorization: Api-Key {KEY}"])
add(A, "two headers: empty, then valid", [b"Authorization: ", b"Authorization: Api-Key {KEY}"])
add(A, "two headers: Bearer, then valid", [b"Authorization: Bearer x", b"Authorization: Api-Key {KEY}"])
add(A, "two headers: unknown, then valid", [b"Authorization: Api-Key {UNKNOWN}", b"Authorization: Api-Key {KEY}"])
add(A, "two headers: revoked, then valid", [b"Authorization: Api-Key {REVOKED}", b"Authorization: Api-Key {KEY}"])
add(A, "two headers in other cases", [b"authorization: Api-Key {KEY}", b"AUTHORIZATION: Api-Key {WRONG}"])
for count in [3, 10, 50, 100]:
    add(A, f"{count} headers, the valid key last", [b"Authorization: Api-Key garbage"] * (count - 1) + [b"Authorization: Api-Key {KEY}"])
    add(A, f"{count} headers of garbage", [b"Authorization: Api-Key garbage%d" % i for i in range(count)])
add(A, "the key in X-Api-Key instead", [b"X-Api-Key: {KEY}"])
add(A, "the key in Proxy-Authorization", [b"Proxy-Authorization: Api-Key {KEY}"])
add(A, "the key in a cookie", [b"Cookie: api_key={KEY}"])
add(A, "header name with an underscore", [b"Authorization_: Api-Key {KEY}"])
for name, value in {"8 KiB": b"Api-Key {a*8192}", "64 KiB": b"Api-Key {b*65536}",
                    "64 KiB of keyword": b"Api-Key" * 9363, "64 KiB of spaces": b"Api-Key{ *65536}{KEY}",
                    "64 KiB after a valid key": b"Api-Key {KEY}{c*65536}"}.items():
    add(A, f"oversized: {name}", [b"Authorization: " + value])
add(A, "oversized: 64 KiB of other headers, then a wrong secret", [b"X-Padding-%d: {p*1000}" % i for i in range(64)] + [b"Authorization: Api-Key {WRONG}"])
add(A, "oversized: 1,000 Authorization headers", [b"Authorization: Api-Key {KEY}"] * 1000)

# --- Custom-header mode (X-Api-Key) ----------------------------------------------------------------
C = "custom"
add(C, "no header", [])
add(C, "only Authorization, with a valid key (ignored in this mode)", [b"Authorization: Api-Key {KEY}"])
for name, value in {"empty": b"", "one space": b" ", "spaces": b"     ", "a tab": b"\t"}.items():
    add(C, f"X-Api-Key: {name}", [b"X-Api-Key: " + value])
for name, value in bad_keys.items():
    add(C, f"key: {name}", [b"X-Api-Key: " + value])
    add(C, f"key, with a valid Authorization too: {name}", [b"Authorization: Api-Key {KEY}", b"X-Api-Key: " + value])
    add(C, f"key, header name in lower case: {name}", [b"x-api-key: " + value])
for name, value in {"keyword before the key": b"Api-Key {KEY}", "Bearer before the key": b"Bearer {KEY}",
                    "space inside": b"{PREFIX} {SECRET}", "comma-joined": b"{KEY},{KEY}"}.items():
    add(C, f"value: {name}", [b"X-Api-Key: " + value])
for name, header in {"lower case": b"x-api-key", "upper case": b"X-API-KEY"}.items():
    add(C, f"header name in {name} (names are case-insensitive)", [header + b": {KEY}"], expect="granted")
for name, header in {"underscores": b"X_Api_Key", "no dashes": b"XApiKey", "prefix of the name": b"X-Api-Ke",
                     "longer name": b"X-Api-Keys", "Authorization": b"Authorization"}.items():
    add(C, f"other header name: {name}", [header + b": {KEY}"])
for name, value in {"trailing space": b"{KEY} ", "leading space": b" {KEY}", "trailing tab": b"{KEY}\t"}.items():
    add(C, f"whitespace HTTP strips: {name}", [b"X-Api-Key: " + value], expect="granted")
add(C, "control: the valid key", [b"X-Api-Key: {KEY}"], expect="granted")
add(C, "two headers: valid, then garbage", [b"X-Api-Key: {KEY}", b"X-Api-Key: garbage"])
add(C, "two headers: garbage, then valid", [b"X-Api-Key: garbage", b"X-Api-Key: {KEY}"])
add(C, "two headers: the valid key twice", [b"X-Api-Key: {KEY}", b"X-Api-Key: {KEY}"])
for count in [3, 10, 100]:
    add(C, f"{count} headers, the valid key last", [b"X-Api-Key: garbage"] * (count - 1) + [b"X-Api-Key: {KEY}"])
add(C, "oversized: 64 KiB", [b"X-Api-Key: {z*65536}"])
add(C, "oversized: 1,000 headers", [b"X-Api-Key: {KEY}"] * 1000)

# --- Both: requests whose framing is broken (the HTTP server answers 400 or closes) -------------
for mode, header in [(A, b"Authorization: Api-Key "), (C, b"X-Api-Key: ")]:
    add(mode, "framing: bare CR inside the value", [header + b"{PREFIX}\r.{SECRET}"])
    add(mode, "framing: bare LF inside the value", [header + b"{PREFIX}\n.{SECRET}"])
    add(mode, "framing: obsolete line folding", [header + b"{PREFIX}", b" .{SECRET}"])
    add(mode, "framing: a line without a colon", [b"garbage-line", header + b"{KEY}"])
    add(mode, "framing: space before the colon", [header.replace(b":", b" :") + b"{KEY}"])

# --- Scopes: the route requires reports:write; {KEY} holds reports:read only --------------------
S = "scope"
add(S, "control: a key that holds the scope", [b"Authorization: Api-Key {SCOPED}"], expect="granted")
add(S, "a valid key without the scope", [b"Authorization: Api-Key {KEY}"])
for name, line in {
    "a scope header": b"Scope: reports:write",
    "an X-Api-Key-Scope header": b"X-Api-Key-Scope: reports:write",
    "an X-Scopes header": b"X-Scopes: reports:write reports:read",
    "an OAuth-style scope parameter": b"X-OAuth-Scopes: reports:write",
}.items():
    add(S, f"claiming the scope with {name}", [b"Authorization: Api-Key {KEY}", line])
for name, value in {
    "a scope parameter after the key": b"Api-Key {KEY} scope=reports:write",
    "a scope parameter after a comma": b'Api-Key {KEY}, scope="reports:write"',
    "a scope parameter after a semicolon": b"Api-Key {KEY};scope=reports:write",
    "the scope instead of the keyword": b"reports:write {KEY}",
    "the scope as the key": b"Api-Key reports:write",
    "a wildcard as the key": b"Api-Key *",
    "the scoped key's prefix with this key's secret": b"Api-Key {SCOPED_PREFIX}.{SECRET}",
}.items():
    add(S, f"claiming the scope with {name}", [b"Authorization: " + value])
add(S, "two keys: without the scope, then with it", [b"Authorization: Api-Key {KEY}", b"Authorization: Api-Key {SCOPED}"])
add(S, "two keys: with the scope, then without it", [b"Authorization: Api-Key {SCOPED}", b"Authorization: Api-Key {KEY}"])
add(S, "the scoped key, revoked", [b"Authorization: Api-Key {REVOKED}"])
add(S, "no key", [])

# --- Forwarded headers: the peer (127.0.0.1) is a trusted proxy; {KEY} may be used from
# 203.0.113.0/24 only, and the proxy writes X-Forwarded-For ---------------------------------------
F = "forwarded"
add(F, "control: X-Forwarded-For names an allowed client", [b"Authorization: Api-Key {KEY}", b"X-Forwarded-For: 203.0.113.9"], expect="granted")
add(F, "control: the allowed client, then the trusted proxy", [b"Authorization: Api-Key {KEY}", b"X-Forwarded-For: 203.0.113.9, 127.0.0.1"], expect="granted")
add(F, "control: the allowed client with a port", [b"Authorization: Api-Key {KEY}", b"X-Forwarded-For: 203.0.113.9:4711"], expect="granted")
add(F, "control: two lines, read as one list", [b"Authorization: Api-Key {KEY}", b"X-Forwarded-For: 198.51.100.1", b"X-Forwarded-For: 203.0.113.9"], expect="granted")
forwarded_values = {
    "no header (the proxy itself is the client)": None,
    "a client off the allowlist": b"198.51.100.1",
    "spoofed: an allowed address, then the real client": b"203.0.113.9, 198.51.100.1",
    "spoofed: an allowed address far left": b"203.0.113.9, 198.51.100.1, 127.0.0.1",
    "empty": b"",
    "a comma alone": b",",
    "an empty hop": b"203.0.113.9, , 127.0.0.1",
    "garbage": b"garbage",
    "unknown": b"unknown",
    "an obfuscated identifier": b"_hidden",
    "a host name": b"office.example.com",
    "an address with a zone": b"fe80::1%eth0",
    "a range instead of an address": b"203.0.113.0/24",
    "five octets": b"203.0.113.9.1",
    "an octet over 255": b"203.0.113.256",
    "a leading zero (octal?)": b"203.0.113.09",
    "a port that is not a number": b"203.0.113.9:http",
    "a port too long": b"203.0.113.9:1234567",
    "an unclosed bracket": b"[2001:db8::1",
    "brackets around IPv4": b"[203.0.113.9]",
    "two colons twice": b"2001::db8::1",
    "an IPv6 client off the allowlist": b"2001:db8::1",
    "an IPv4-mapped client off the allowlist": b"::ffff:198.51.100.1",
    "a quoted address": b'"203.0.113.9"',
    "a Forwarded element in X-Forwarded-For": b"for=203.0.113.9",
    "a semicolon": b"203.0.113.9;proto=https",
    "a NUL-free control byte": b"203.0.113.9\x01",
    "non-ASCII": "２０３.0.113.9".encode(),
    "33 trusted hops after the client": b", ".join([b"203.0.113.9"] + [b"127.0.0.1"] * 33),
    "1,000 trusted hops after the client": b",".join([b"203.0.113.9"] + [b"127.0.0.1"] * 1000),
    "4 KiB of spaces": b" " * 4096 + b"203.0.113.9, 198.51.100.1",
}
for name, value in forwarded_values.items():
    lines = [b"Authorization: Api-Key {KEY}"] + ([] if value is None else [b"X-Forwarded-For: " + value])
    add(F, f"X-Forwarded-For: {name}", lines)
add(F, "Forwarded names the allowed client, but the proxy writes X-Forwarded-For", [b"Authorization: Api-Key {KEY}", b"Forwarded: for=203.0.113.9"])
add(F, "X-Real-IP names the allowed client", [b"Authorization: Api-Key {KEY}", b"X-Real-IP: 203.0.113.9"])
add(F, "Client-IP names the allowed client", [b"Authorization: Api-Key {KEY}", b"Client-IP: 203.0.113.9"])
add(F, "a wrong secret from an allowed client", [b"Authorization: Api-Key {WRONG}", b"X-Forwarded-For: 203.0.113.9"])
add(F, "no key from an allowed client", [b"X-Forwarded-For: 203.0.113.9"])

names = [(c["mode"], c["name"]) for c in cases]
assert len(names) == len(set(names)), "case names must be unique per mode"
OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps({"cases": cases}, separators=(",", ":")).replace('},{', '},\n{') + "\n")
print(f"{len(cases)} cases ({sum(c['mode'] == A for c in cases)} authorization, {sum(c['mode'] == C for c in cases)} custom, "
      f"{sum(c['mode'] == S for c in cases)} scope, {sum(c['mode'] == F for c in cases)} forwarded) -> {OUT}")
