# Headless Chromium and Selenium for the browser tests: Debian's chromium and chromium-driver,
# Selenium from PyPI in a virtual environment under .venv-browser/. Source it, then call
# ensure_browser; it sets BROWSER_PYTHON.
ensure_browser() {
    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
        echo "Installing chromium and chromium-driver from Debian's packages..." >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
    fi
    local venv=.venv-browser
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import selenium" 2>/dev/null; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q "selenium>=4.20,<5"
    fi
    BROWSER_PYTHON="$venv/bin/python"
}
