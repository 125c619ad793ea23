"""Writes the extra known-answer vectors under Tests/APIKeyCoreTests/Vectors/.

The djangorestframework-api-key vectors (upstream-3.1.json) were produced by the real package,
produced by the real package. This script adds what that file does not cover, computed with the
reference implementations on PyPI:
  - BLAKE2b at several message and digest lengths (hashlib),
  - Argon2 d/i/id, versions 0x10 and 0x13, odd memory sizes, several lanes, long tags (argon2-cffi),
  - the Django formats that file has no row for: bcrypt (plain), bcrypt with $2a$, argon2i rows
    without a version field (Django 1.10-1.11), pbkdf2 with a short salt.

Run: python3 -m venv /tmp/v && /tmp/v/bin/pip install argon2-cffi bcrypt && /tmp/v/bin/python scripts/vectors/generate.py
"""
import base64, hashlib, json, os
import bcrypt
from argon2.low_level import Type, hash_secret_raw

out = {"blake2b": [], "argon2": [], "django": []}

for message in [b"", b"abc", bytes(range(128)), bytes(range(129)), bytes(i % 251 for i in range(1000))]:
    for size in [1, 32, 64]:
        out["blake2b"].append({"message_hex": message.hex(), "digest_length": size,
                               "digest_hex": hashlib.blake2b(message, digest_size=size).hexdigest()})

types = {"d": Type.D, "i": Type.I, "id": Type.ID}
cases = [
    ("id", 19, 64, 1, 1, 32), ("id", 19, 65, 2, 2, 32), ("id", 19, 256, 3, 4, 16),
    ("i", 19, 100, 2, 3, 32), ("d", 19, 128, 2, 2, 64), ("id", 19, 512, 1, 8, 100),
    ("i", 16, 64, 2, 1, 32), ("id", 16, 96, 3, 2, 32), ("d", 16, 64, 1, 1, 4),
    ("i", 19, 1024, 1, 1, 32),  # more than 128 blocks per segment: several address blocks
]
for variant, version, m, t, p, tag in cases:
    password, salt = b"abcdEFGH.0123456789abcdefghijABCDEFGHIJkl", b"somesalt-" + bytes([m % 256, t, p])
    raw = hash_secret_raw(password, salt, time_cost=t, memory_cost=m, parallelism=p, hash_len=tag,
                          type=types[variant], version=version)
    out["argon2"].append({"variant": variant, "version": version, "memory_kib": m, "iterations": t,
                          "parallelism": p, "password_hex": password.hex(), "salt_hex": salt.hex(),
                          "tag_hex": raw.hex()})

key = "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"
b64 = lambda raw: base64.b64encode(raw).decode()
nopad = lambda raw: base64.b64encode(raw).decode().rstrip("=")
rows = []
rows.append(("bcrypt (cost 10)", "bcrypt$" + bcrypt.hashpw(key.encode(), bcrypt.gensalt(10)).decode()))
rows.append(("bcrypt_sha256 with $2a$ (cost 10)", "bcrypt_sha256$" + bcrypt.hashpw(
    hashlib.sha256(key.encode()).hexdigest().encode(), bcrypt.gensalt(10, prefix=b"2a")).decode()))
salt = b"0123456789abcdef"
raw = hash_secret_raw(key.encode(), salt, time_cost=2, memory_cost=512, parallelism=2, hash_len=16, type=Type.I, version=16)
rows.append(("argon2i without version field (Django 1.10)", "argon2$argon2i$m=512,t=2,p=2$%s$%s" % (nopad(salt), nopad(raw))))
raw = hash_secret_raw(key.encode(), salt, time_cost=2, memory_cost=512, parallelism=2, hash_len=16, type=Type.I, version=19)
rows.append(("argon2i v=19 (Django 2.0)", "argon2$argon2i$v=19$m=512,t=2,p=2$%s$%s" % (nopad(salt), nopad(raw))))
rows.append(("pbkdf2_sha256, short salt", "pbkdf2_sha256$1000$ab$" + b64(hashlib.pbkdf2_hmac("sha256", key.encode(), b"ab", 1000))))
rows.append(("scrypt (Django default N=16384 r=8 p=1)", "scrypt$16384$fixedsalt$8$1$" + b64(
    hashlib.scrypt(key.encode(), salt=b"fixedsalt", n=16384, r=8, p=1, maxmem=64 * 1024 * 1024, dklen=64))))
for name, hashed in rows:
    out["django"].append({"hasher": name, "key": key, "hashed_key": hashed})

path = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "APIKeyCoreTests", "Vectors", "computed.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", os.path.normpath(path))
