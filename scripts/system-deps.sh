#!/usr/bin/env bash
# The system packages a target needs, installed when this machine lets us (root with apt-get),
# or the exact command to run when it does not. Called by the Makefile before `run`, `test` and `bench`.
#
#   scripts/system-deps.sh run     WeasyPrint's libraries and fonts (PDFs are rendered by the app)
#   scripts/system-deps.sh test    the above, plus Chromium, poppler (pdftoppm), PostgreSQL, Redis,
#                                  npm (axe-core and LHC-Forms for the browser tests), wrk (the
#                                  load generator's own test, tests/ops/test_bench_load.py)
#   scripts/system-deps.sh bench   run's packages plus wrk, the HTTP load generator of the load figures
#   scripts/system-deps.sh --check test   only say what is missing (exit 1 if anything is)
#
# Probes can be pointed elsewhere (the set-up is tested with them): FBSS_PROBE_PATH replaces PATH
# for command look-ups, FBSS_LDCONFIG names the program that lists shared libraries, and
# FBSS_FONT_DIR the folder the DejaVu fonts are looked for in.
set -euo pipefail

check_only=0
if [ "${1:-}" = "--check" ]; then check_only=1; shift; fi
target="${1:-run}"

probe_path="${FBSS_PROBE_PATH:-$PATH}"
ldconfig_cmd="${FBSS_LDCONFIG:-ldconfig}"
font_dir="${FBSS_FONT_DIR:-/usr/share/fonts/truetype/dejavu}"
libs="$("$ldconfig_cmd" -p 2>/dev/null || true)"

has_command() { PATH="$probe_path" command -v "$1" >/dev/null 2>&1; }
has_lib() { grep -q "$1" <<<"$libs"; }

missing=()
# Debian's python3 makes virtual environments only with python3-venv (ensurepip).
"${FBSS_PYTHON:-python3}" -c 'import ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
has_lib libpango-1.0 || missing+=(libpango-1.0-0)
has_lib libpangoft2-1.0 || missing+=(libpangoft2-1.0-0)
# HarfBuzz's subsetter: without it WeasyPrint subsets fonts with fontTools, about 0.9 s a PDF.
has_lib libharfbuzz-subset || missing+=(libharfbuzz-subset0)
[ -f "$font_dir/DejaVuSans.ttf" ] || missing+=(fonts-dejavu-core)
if [ "$target" = "test" ]; then
  has_command chromium || missing+=(chromium)
  has_command pdftoppm || missing+=(poppler-utils)
  has_command pg_ctlcluster || missing+=(postgresql)
  has_command redis-server || missing+=(redis-server)
  # npm installs the browser tests' JavaScript (axe-core, LHC-Forms) from the npm registry.
  has_command npm || missing+=(npm)
fi
# wrk (C, one event loop a thread) loads the servers without taking a core from them as a Python
# load generator does (benchmarks/load.py).
if [ "$target" = "test" ] || [ "$target" = "bench" ]; then
  has_command wrk || missing+=(wrk)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
command="apt-get install -y ${missing[*]}"
if [ "$check_only" = 1 ]; then
  echo "system-deps: missing for '$target': ${missing[*]}"
  echo "system-deps: install with: $command"
  exit 1
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing for '$target': ${missing[*]}" >&2
  echo "system-deps: run as root:  apt-get update && $command" >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
