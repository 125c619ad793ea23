"""Fills the key table for the benchmark, as upstream itself writes rows, and writes the keys
the benchmark presents.

    python seed_keys.py COUNT KEYS_FILE

Every row gets its prefix and hash from upstream's own APIKey.objects.assign_key; bulk_create
inserts them in one transaction. KEYS_FILE gets one "label key" line each for `valid` (a real
key), `unknown_prefix` (well formed, no such prefix) and `wrong_secret` (a real prefix, another
secret), the same file the Swift example's bench-seed writes.
"""
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drf_site.settings")
import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from rest_framework_api_key.models import APIKey  # noqa: E402

count, keys_file = int(sys.argv[1]), sys.argv[2]
taken = set(APIKey.objects.values_list("prefix", flat=True))
rows = []
while len(rows) < count:
    row = APIKey(name="bench")
    APIKey.objects.assign_key(row)
    if row.prefix not in taken:  # the prefix is unique: draw again
        taken.add(row.prefix)
        rows.append(row)
with transaction.atomic():
    APIKey.objects.bulk_create(rows, batch_size=5000)

_, valid = APIKey.objects.create_key(name="bench-valid")
prefix, _, secret = valid.partition(".")
unknown = valid
while unknown.partition(".")[0] in taken or unknown == valid:
    unknown = APIKey.objects.key_generator.generate()[0]
wrong = prefix + "." + "x" * len(secret)
assert APIKey.objects.is_valid(valid) and not APIKey.objects.is_valid(unknown) and not APIKey.objects.is_valid(wrong)
with open(keys_file, "w") as f:
    f.write(f"valid {valid}\nunknown_prefix {unknown}\nwrong_secret {wrong}\n")
print(f"Django: {APIKey.objects.count()} keys", file=sys.stderr)
