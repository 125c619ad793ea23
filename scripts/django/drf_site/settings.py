"""Settings of our Django project: the smallest API that the real djangorestframework-api-key
protects, for the interop tests and the side-by-side benchmark.

DJANGO_DATABASE is a SQLite file path or a postgres://user:password@host:port/name URL. No
middleware, no DRF authentication classes, JSON only: the library's best case, so that the
benchmark compares against Django at its fastest.
"""
import os
from urllib.parse import urlparse

SECRET_KEY = "tests-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True
ROOT_URLCONF = "drf_site.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "rest_framework", "rest_framework_api_key"]
MIDDLEWARE = []
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
}

_database = os.environ.get("DJANGO_DATABASE", "db.sqlite3")
if _database.startswith("postgres"):
    _url = urlparse(_database)
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.postgresql", "NAME": _url.path.lstrip("/"), "USER": _url.username,
        "PASSWORD": _url.password or "", "HOST": _url.hostname, "PORT": _url.port or 5432, "CONN_MAX_AGE": None,
    }}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": _database, "CONN_MAX_AGE": None}}
