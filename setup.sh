#!/usr/bin/env bash
# Set up councildoc on a fresh Debian/Ubuntu machine with Python 3.11+:
# the Debian packages it needs (when missing), then a virtual environment in .venv
# with councildoc and its test tools. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
# python3-venv: the virtual environment; Pango (WeasyPrint's text layout); HarfBuzz's subsetter
# (embedded fonts, byte-identical PDFs); Liberation Serif, the font of the PDFs (Times New Roman's metrics).
DEBIAN_PACKAGES=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2)
# For the tests: LibreOffice renders the DOCX editions as a reader's word processor would.
DEBIAN_PACKAGES+=(libreoffice-writer-nogui)
# For the tests: Chromium, headless, opens the live preview's page as an editor's browser would and
# runs axe-core on every web page (Node drives it); the Nu Html Checker needs Java. Node and Java come
# from Debian unless the machine has them.
DEBIAN_PACKAGES+=(chromium)
command -v java >/dev/null 2>&1 || DEBIAN_PACKAGES+=(default-jre-headless)
# Only with --bench-peers: Pandoc → LaTeX, a peer in bench/run.py that nothing else uses (XeLaTeX, the
# LaTeX packages Pandoc's template loads and the fonts it links with; the benchmark prints their size).
BENCH_PACKAGES=()
if [ "${1:-}" = "--bench-peers" ]; then
  BENCH_PACKAGES=(texlive-xetex lmodern texlive-latex-recommended texlive-fonts-recommended)
elif [ -n "${1:-}" ]; then
  echo "usage: ./setup.sh [--bench-peers]" >&2
  exit 2
fi
command -v node >/dev/null 2>&1 || DEBIAN_PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || DEBIAN_PACKAGES+=(npm)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
fi
# A Python that is not Debian's (pyenv, a container's) has venv built in.
if "$PYTHON" -c "import ensurepip, venv" 2>/dev/null; then
  missing=("${missing[@]/python3-venv}")
  read -r -a missing <<< "${missing[*]}"
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
bench_missing=()
for package in "${BENCH_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || bench_missing+=("$package")
done
if [ ${#bench_missing[@]} -gt 0 ]; then
  echo "setup: installing the benchmark's LaTeX peer: ${bench_missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${bench_missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the package's declaration changed.
stamp=.venv/.councildoc-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing councildoc, its test tools and the benchmark's into .venv"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[test,bench]'
  echo "$want" > "$stamp"
fi

# The validators (and Paged.js and Vivliostyle, peers in bench/run.py), from npm into .tools/ (not committed), pinned;
# no install scripts (vnu-jar's would download a Java runtime: Debian's is used).
NPM_TOOLS=(vnu-jar@26.9.27 axe-core@4.14.1 puppeteer-core@25.16.0 pagedjs@0.4.3 @vivliostyle/core@2.45.1)
stamp=.tools/.councildoc-installed
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${NPM_TOOLS[*]}" ]; then
  echo "setup: installing the HTML validators into .tools: ${NPM_TOOLS[*]}"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --ignore-scripts --loglevel=error "${NPM_TOOLS[@]}" >/dev/null
  echo "${NPM_TOOLS[*]}" > "$stamp"
fi
