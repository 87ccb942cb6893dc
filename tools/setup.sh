#!/usr/bin/env bash
# Installs what Tekan needs and is missing: Debian packages (TeX, Noto CJK fonts, poppler, Java for
# EPUBCheck, Chromium) when run as root with apt, and the Python packages into .venv/.
# Idempotent and quiet when everything is there. Used by `make book` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(make latexmk texlive-xetex texlive-lang-chinese texlive-fonts-recommended fonts-noto-cjk
      poppler-utils default-jre-headless chromium fontconfig)
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
