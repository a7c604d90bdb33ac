#!/usr/bin/env bash
# Installs what the translated books need on Debian (po/README.md): GNU
# gettext (`msgmerge`, for `cargo dev i18n update`) and a CJK font, so that
# the browser test renders the Chinese pages with real glyphs, not boxes.
# Idempotent: a fast no-op when both are there. mdbook-i18n-helpers itself
# is a cargo install that `cargo dev i18n` does when it is missing.
set -euo pipefail

# grep -c, not -q: an early exit would kill fc-list and fail the pipeline.
cjk_faces=$( (fc-list 2>/dev/null || true) | grep -c "Noto Sans CJK" || true)
if command -v msgmerge >/dev/null && [ "${cjk_faces:-0}" -gt 0 ]; then
    echo "i18n: gettext and a CJK font already installed"
    exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    as_root=(sudo)
fi

echo "i18n: installing Debian's gettext and fonts-noto-cjk..."
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    gettext fonts-noto-cjk fontconfig
echo "i18n: installed ($(msgmerge --version | head -n1); $(fc-list | grep -c 'Noto Sans CJK') CJK font faces)"
