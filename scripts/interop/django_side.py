"""The Django half of the interop test, run inside our Django project (scripts/django) with the real
djangorestframework-api-key: `manage.py shell -c "exec(open(PATH).read())"`.

INTEROP_ACTION=seed   writes keys made by Django (and legacy rows as 1.x/2.x wrote them) to INTEROP_FILE
INTEROP_ACTION=check  reads {"expect": {key: bool}, "legacy": {prefix: id}} from INTEROP_FILE and
                      prints one JSON line per check, judged by Django's own APIKey.objects.is_valid
INTEROP_ACTION=guard  on a table our service guarded (GuardRevocation): Django's own writes still
                      work, and none of its ways to bring a revoked key back does; one JSON line each
"""
import datetime as dt
import json
import os

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from rest_framework_api_key.models import APIKey

action, path = os.environ["INTEROP_ACTION"], os.environ["INTEROP_FILE"]

if action == "seed":
    now = timezone.now()
    keys = {}
    keys["valid"] = APIKey.objects.create_key(name="django-valid")[1]
    keys["revoked"] = APIKey.objects.create_key(name="django-revoked", revoked=True)[1]
    keys["expired"] = APIKey.objects.create_key(name="django-expired", expiry_date=now - dt.timedelta(days=1))[1]
    keys["tomorrow"] = APIKey.objects.create_key(name="django-tomorrow", expiry_date=now + dt.timedelta(days=1))[1]
    legacy_ids = {}
    for hasher in ["pbkdf2_sha256", "argon2", "bcrypt_sha256"]:
        key, prefix, _ = APIKey.objects.key_generator.generate()
        hashed = make_password(key, hasher=hasher)  # what 1.4-2.3 stored
        APIKey.objects.create(id=f"{prefix}.{hashed}", prefix=prefix, hashed_key=hashed, name=f"legacy-{hasher}", created=now)
        keys[f"legacy_{hasher}"] = key
        legacy_ids[prefix] = f"{prefix}.{hashed}"
    with open(path, "w") as f:
        json.dump({"keys": keys, "legacy_ids": legacy_ids}, f)
elif action == "check":
    with open(path) as f:
        spec = json.load(f)
    for key, expected in spec["expect"].items():
        got = APIKey.objects.is_valid(key)
        print(json.dumps({"check": "django is_valid", "prefix": key.partition(".")[0], "expected": expected, "got": got}))
    for prefix, original_id in spec["legacy"].items():
        row = APIKey.objects.get(prefix=prefix)
        print(json.dumps({"check": "legacy row upgraded, id kept", "prefix": prefix, "expected": True,
                          "got": row.id == original_id and row.hashed_key.startswith("sha512$$")}))
elif action == "guard":
    def attempt(label, expected, work):
        try:
            with transaction.atomic():
                work()
            got = True
        except (DatabaseError, ValidationError):
            got = False
        print(json.dumps({"check": "guard", "prefix": label, "expected": expected, "got": got}))

    # What Django does day to day still works on the guarded table.
    made = {}
    attempt("django creates a key", True, lambda: made.update(key=APIKey.objects.create_key(name="django-guarded")[0]))
    def revoke():
        made["key"].revoked = True
        made["key"].save()
    attempt("django revokes it (admin save)", True, revoke)
    attempt("django deletes a revoked key", True, lambda: APIKey.objects.filter(pk=made["key"].pk).delete())
    # None of Django's ways brings a revoked key back.
    revoked = APIKey.objects.filter(revoked=True).first()
    attempt("django un-revokes with update()", False, lambda: APIKey.objects.filter(pk=revoked.pk).update(revoked=False))
    def unrevoke_by_save():
        revoked.revoked = False
        revoked.save()
    attempt("django un-revokes with save()", False, unrevoke_by_save)
    def delete_and_recreate():
        fields = {f.attname: getattr(revoked, f.attname) for f in APIKey._meta.concrete_fields}
        APIKey.objects.filter(pk=revoked.pk).delete()
        APIKey.objects.create(**dict(fields, revoked=False))
    attempt("django deletes and re-creates it, not revoked", False, delete_and_recreate)
    print(json.dumps({"check": "guard", "prefix": "the revoked key is still refused", "expected": False,
                      "got": APIKey.objects.is_valid(os.environ["INTEROP_REVOKED_KEY"])}))
else:
    raise SystemExit(f"unknown INTEROP_ACTION {action}")
