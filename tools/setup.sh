#!/usr/bin/env bash
# Installs what Tekan needs and is missing: Debian packages (Noto CJK fonts, poppler, Java for EPUBCheck,
# Chromium; the PDF's compiler, Typst, is a Python wheel) when run as root with apt, the Python packages into .venv/, and the accessibility
# checkers (axe-core, DAISY Ace; versions locked in tools/npm/) into .npm-tools/.
# Idempotent and quiet when everything is there. Used by `make book` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(make fonts-noto-cjk poppler-utils default-jre-headless chromium fontconfig python3-venv)
missing=()
for pkg in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: warning: missing Debian packages: ${missing[*]}" >&2
    echo "setup:   install them with: sudo apt-get install ${missing[*]}" >&2
    echo "setup:   (without them the PDF, EPUBCheck or browser checks cannot run)" >&2
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv" >&2
  "$python" -m venv .venv
fi
stamp=.venv/.tekan-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages into .venv" >&2
  # This machine's pip.conf names local mirrors that may be absent: drop pip's notes about them.
  pip() { .venv/bin/python -m pip "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); }
  pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  pip install -q --disable-pip-version-check -e ".[test]"
  touch "$stamp"
fi

# The accessibility checkers the tests run: axe-core (injected into each page) and DAISY Ace (EPUB).
# `npm ci` installs exactly tools/npm/package-lock.json. Ace drives Debian's Chromium through puppeteer
# (PUPPETEER_EXECUTABLE_PATH, set by the tests): never let puppeteer download a browser of its own.
if ! cmp -s tools/npm/package-lock.json .npm-tools/package-lock.json || [ ! -d .npm-tools/node_modules ]; then
  if ! command -v npm >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: nodejs npm" >&2
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm >/dev/null
  fi
  if command -v npm >/dev/null; then
    echo "setup: installing the accessibility checkers into .npm-tools (npm ci)" >&2
    rm -rf .npm-tools && mkdir -p .npm-tools
    cp tools/npm/package.json tools/npm/package-lock.json .npm-tools/
    PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix .npm-tools --no-audit --no-fund --loglevel=error >/dev/null
  else
    echo "setup: warning: npm is missing: the accessibility tests (axe-core, Ace) cannot run" >&2
    echo "setup:   install Node.js ≥ 18 with npm (Debian: sudo apt-get install npm), then rerun tools/setup.sh" >&2
  fi
fi
