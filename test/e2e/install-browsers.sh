#!/usr/bin/env bash
# Gets the browsers the end-to-end tests run on, from Debian (README, "Browsers"):
# - chromium and firefox-esr, the newest Debian serves (bookworm-security), installed;
# - the oldest chromium Debian still lists (bookworm main), unpacked into .browsers/chromium-<version>
#   and pointed to by .browsers/chromium-old, where test/e2e/harness/browsers.ts finds it.
# Idempotent: a second run refreshes the package lists and installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/../.."

sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive

# Always first: with a stale list "the newest" is the main archive's old browser.
"${sudo[@]}" apt-get update -qq
# fonts-nanum: Hangul glyphs for the Korean end-to-end tests and screenshots (none ship with the browsers).
"${sudo[@]}" apt-get install -y -qq chromium firefox-esr fonts-nanum >/dev/null

oldest=$(apt-cache madison chromium | awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -V | head -n 1)
[ -n "$oldest" ] || { echo "apt-cache madison lists no chromium" >&2; exit 1; }
dir=.browsers/chromium-$oldest
if [ ! -x "$dir/usr/lib/chromium/chromium" ]; then
  echo "Unpacking chromium $oldest into $dir"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # As root: the _apt sandbox user cannot write into a private temporary directory.
  (cd "$work" && apt-get download -qq -o APT::Sandbox::User=root "chromium=$oldest" "chromium-common=$oldest")
  rm -rf "$dir.partial" && mkdir -p "$dir.partial"
  for deb in "$work"/*.deb; do dpkg -x "$deb" "$dir.partial"; done
  mv "$dir.partial" "$dir"
fi
ln -sfn "chromium-$oldest" .browsers/chromium-old

chromium --version
.browsers/chromium-old/usr/lib/chromium/chromium --version
firefox-esr --version
