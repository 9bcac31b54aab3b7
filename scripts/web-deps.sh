#!/bin/bash
# Installs the web assets Roadie serves but does not keep in git, from npm, into
# build/share/web (share_dir defaults to "share" beside the binary, i.e. build/share in the
# build tree). Idempotent: does nothing when the pinned versions are in place.
#   docs viewer: Redoc's standalone bundle -> build/share/web/docs/
set -euo pipefail
cd "$(dirname "$0")/.."
REDOC_VERSION=2.5.0
dest=build/share/web/docs
stamp=$dest/.redoc-$REDOC_VERSION
[ -f "$stamp" ] && [ -f "$dest/redoc.standalone.js" ] && exit 0
command -v npm >/dev/null || { echo "web-deps: npm is missing (install nodejs)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# npm pack fetches the published tarball and checks it against the registry's integrity hash.
(cd "$tmp" && npm pack --silent "redoc@$REDOC_VERSION" >/dev/null 2>"$tmp/npm.log") ||
  { cat "$tmp/npm.log" >&2; echo "web-deps: npm pack redoc@$REDOC_VERSION failed" >&2; exit 1; }
tar -xzf "$tmp"/redoc-*.tgz -C "$tmp" package/bundles/redoc.standalone.js package/bundles/redoc.standalone.js.LICENSE.txt package/LICENSE
mkdir -p "$dest"
rm -f "$dest"/.redoc-*
cp "$tmp/package/bundles/redoc.standalone.js" "$tmp/package/bundles/redoc.standalone.js.LICENSE.txt" "$dest/"
cp "$tmp/package/LICENSE" "$dest/redoc.LICENSE.txt"
touch "$stamp"
echo "web-deps: redoc $REDOC_VERSION -> $dest" >&2
