#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the browser test (e2e/,
# `cargo dev e2e`). Idempotent: a fast no-op when both are installed.
# Only Debian's packages, through apt: never a browser download of its own.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "chromium: already installed ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    as_root=(sudo)
fi

echo "chromium: installing Debian's chromium and chromium-driver..."
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    chromium chromium-driver
echo "chromium: installed ($(/usr/bin/chromium --version))"
