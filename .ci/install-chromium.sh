#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the browser test (e2e/).
# Idempotent: a fast no-op when both are already installed. Never downloads a
# browser build of its own: only Debian's packages, through apt.
set -euo pipefail

if command -v /usr/bin/chromium >/dev/null 2>&1 && command -v /usr/bin/chromedriver >/dev/null 2>&1; then
    echo "chromium: already installed ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
echo "chromium: installing Debian's chromium and chromium-driver..."
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium chromium-driver
echo "chromium: installed ($(/usr/bin/chromium --version))"
