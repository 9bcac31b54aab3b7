#!/bin/bash
# Installs the Debian packages Roadie needs that are missing. Idempotent and quiet.
# Each area lists its packages in scripts/packages/<area>.txt, one per line (# comments).
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(sed 's/#.*//' scripts/packages/*.txt | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
missing=$(for p in $want; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
done)
# npm fetches data files and web assets; a machine may already have it from NodeSource's
# nodejs, so only ask Debian for it when there is none.
command -v npm >/dev/null || missing="$missing nodejs npm"
[ -z "$missing" ] && exit 0
sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
echo "deps: installing $(echo $missing)" >&2
export DEBIAN_FRONTEND=noninteractive
apt="$sudo apt-get -o DPkg::Lock::Timeout=600 -y -qq"
$apt update >/dev/null
$apt install --no-install-recommends $missing >/dev/null
