# Our Django project (scripts/django) with the real djangorestframework-api-key 3.x from PyPI,
# for the interop tests and the side-by-side benchmark. Source it, then:
#   django_install                       # a virtual environment in .venv-django, once
#   django_manage DATABASE ARGS...       # manage.py ARGS on DATABASE (a SQLite path or a postgres:// URL)
#   django_serve DATABASE PORT           # gunicorn on 127.0.0.1:PORT, 2 workers x 4 threads, in the foreground
#   django_seed DATABASE COUNT KEYS_FILE # COUNT keys in bulk, and the benchmark's three keys
DJANGO_PROJECT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DJANGO_VENV=${DJANGO_VENV:-$(cd "$DJANGO_PROJECT/../.." && pwd)/.venv-django}

django_install() {
    if [ -x "$DJANGO_VENV/bin/python" ] && "$DJANGO_VENV/bin/python" -c "import rest_framework_api_key, gunicorn, psycopg, argon2, bcrypt" 2>/dev/null; then
        return
    fi
    echo "Installing djangorestframework-api-key 3.x and Django from PyPI in $DJANGO_VENV..." >&2
    python3 -m venv "$DJANGO_VENV" >/dev/null 2>&1 || {
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$DJANGO_VENV"
    }
    "$DJANGO_VENV/bin/pip" install -q --upgrade pip >/dev/null
    "$DJANGO_VENV/bin/pip" install -q "djangorestframework-api-key==3.*" django djangorestframework gunicorn "psycopg[binary]" argon2-cffi bcrypt >/dev/null
}

django_manage() {
    local database=$1; shift
    (cd "$DJANGO_PROJECT" && DJANGO_DATABASE="$database" "$DJANGO_VENV/bin/python" manage.py "$@")
}

django_serve() {
    cd "$DJANGO_PROJECT" && DJANGO_DATABASE="$1" DJANGO_SETTINGS_MODULE=drf_site.settings \
        exec "$DJANGO_VENV/bin/gunicorn" "django.core.wsgi:get_wsgi_application()" -b "127.0.0.1:$2" -k gthread --threads 4 -w 2 --log-level warning
}

django_seed() {
    django_manage "$1" migrate -v0
    (cd "$DJANGO_PROJECT" && DJANGO_DATABASE="$1" "$DJANGO_VENV/bin/python" seed_keys.py "$2" "$3")
}
