#!/usr/bin/env bash
# Installs what Goldpath needs on a fresh Debian machine: the system programs it drives (git,
# Jupyter with the data science stack, psql), the npm packages (which bring Node.js 24 and
# PostgreSQL), and the built portal. Safe to run again; it skips what is already there.
#   ./setup.sh                 everything to run the platform
#   ./setup.sh --with-browser  also Chromium, for the portal's end-to-end tests
#   ./setup.sh --without-ide   without the browser IDE (code-server: 1-3 minutes, 421 MB), for quick installs
set -euo pipefail
cd "$(dirname "$0")"

packages=(git procps bubblewrap util-linux postgresql-client redis-server openjdk-17-jdk-headless libpostgresql-jdbc-java jupyter-notebook python3-pandas python3-psycopg2 python3-sklearn python3-boto3 python3-sqlalchemy)
[[ " $* " == *" --with-browser "* ]] && packages+=(chromium)
with_ide=1; [[ " $* " == *" --without-ide "* ]] && with_ide=""
[ -n "$with_ide" ] && packages+=(build-essential) # the IDE's two native modules (log files, a watchdog) are compiled

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
# The browser IDE installs beside the portal's build, so its download overlaps that work (scripts/install-ide.sh).
ide_pid=""
if [ -n "$with_ide" ]; then
  mkdir -p .goldpath-tools
  scripts/install-ide.sh > .goldpath-tools/install-ide.log 2>&1 &
  ide_pid=$!
fi
npm run build
if [ -n "$ide_pid" ]; then
  if ! wait "$ide_pid"; then
    tail -n 30 .goldpath-tools/install-ide.log >&2
    echo "setup: the browser IDE did not install (whole log: .goldpath-tools/install-ide.log); ./setup.sh --without-ide skips it" >&2
    exit 1
  fi
  tail -n 1 .goldpath-tools/install-ide.log
fi
echo "setup done: start the platform with bin/goldpath up"
