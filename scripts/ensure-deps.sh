#!/usr/bin/env bash
# Installs what a fresh machine lacks for the tests and the demo: the real servers they start
# (redis-server, docker-registry, git, htpasswd, openssl, skopeo to cross-check the registry test server, gpg
# and ssh-keygen to make and check the keys of signed-commit tests, and chromium for the status page's browser test)
# and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v docker-registry >/dev/null || missing+=(docker-registry)
[ -x /usr/lib/git-core/git-http-backend ] || missing+=(git)
command -v htpasswd >/dev/null || missing+=(apache2-utils)
command -v openssl >/dev/null || missing+=(openssl)
command -v skopeo >/dev/null || missing+=(skopeo)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v gpg >/dev/null || missing+=(gnupg)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian packages: ${missing[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing Debian packages: ${missing[*]}" >&2
    echo "run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
# npm ci only when node_modules is absent or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi
