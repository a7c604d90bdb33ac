#!/usr/bin/env bash
# Install what the go/ module needs, from Debian bookworm-backports:
#   golang-go                 Go 1.23 (1.23.5 at the time of writing)
#   golang-golang-x-sync-dev  golang.org/x/sync   -> /usr/share/gocode/src
#   golang-uber-goleak-dev    go.uber.org/goleak  -> /usr/share/gocode/src
#   go-staticcheck            staticcheck, for the chapter-4 claim that it flags
#                             a lost append (go/slices/lint)
# go/go.mod points at those source directories with `replace`; no Go module
# proxy is used.
#
# Idempotent: if `go version` already reports go1.23 and both library
# packages are installed, it does nothing and touches no network.
# Otherwise it must run as root on Debian bookworm; it adds the
# bookworm-backports source (deb822 format) if no source names it yet,
# runs apt-get update and installs the three packages non-interactively.
#
# Usage: .ci/install-go.sh [--dry-run]
#   --dry-run  print what would be done, change nothing (works without root)
set -euo pipefail

readonly PACKAGES=(golang-go golang-golang-x-sync-dev golang-uber-goleak-dev go-staticcheck)
readonly SOURCE_FILE=/etc/apt/sources.list.d/bookworm-backports.sources
dry_run=false
case "${1:-}" in
"") ;;
--dry-run) dry_run=true ;;
*)
	echo "usage: $0 [--dry-run]" >&2
	exit 2
	;;
esac

log() { echo "install-go: $*"; }
run() {
	if $dry_run; then
		log "would run: $*"
	else
		"$@"
	fi
}

go_is_123() {
	local v
	# GOTOOLCHAIN=local: never let `go version` fetch another toolchain.
	v=$(GOTOOLCHAIN=local go version 2>/dev/null) || return 1
	[[ $v == "go version go1.23"[.\ ]* ]]
}

packages_installed() {
	local p status
	for p in "${PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) || return 1
		[[ $status == "install ok installed" ]] || return 1
	done
}

if go_is_123 && packages_installed; then
	log "already installed: $(GOTOOLCHAIN=local go version); ${PACKAGES[*]:1}"
	exit 0
fi

if ! $dry_run && [[ $EUID -ne 0 ]]; then
	log "Go 1.23 or its libraries are missing, and installing them needs root (try: sudo $0)" >&2
	exit 1
fi
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
if [[ $codename != bookworm ]]; then
	log "this script installs from Debian bookworm-backports; this system is '${codename:-unknown}'." >&2
	log "install Go 1.23, golang.org/x/sync and go.uber.org/goleak by other means (see go/README.md)" >&2
	exit 1
fi

# Any existing source for bookworm-backports, one-line or deb822, will do.
if grep -Eqs '(^|[[:space:]])bookworm-backports([[:space:]]|$)' \
	/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; then
	log "bookworm-backports source already configured"
else
	log "adding $SOURCE_FILE"
	source_text='Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg'
	if $dry_run; then
		printf '%s\n' "$source_text" | sed 's/^/install-go:   | /'
	else
		printf '%s\n' "$source_text" >"$SOURCE_FILE"
	fi
fi

export DEBIAN_FRONTEND=noninteractive
run apt-get update
run apt-get install -y --no-install-recommends -t bookworm-backports "${PACKAGES[@]}"

if $dry_run; then
	exit 0
fi
if ! go_is_123; then
	log "installed, but \`go version\` still does not report go1.23:" >&2
	log "  $(command -v go || echo 'go: not on PATH') -> $(GOTOOLCHAIN=local go version 2>&1 || true)" >&2
	log "  Debian's go is /usr/bin/go (/usr/lib/go-1.23/bin/go); put it first on PATH" >&2
	exit 1
fi
log "done: $(GOTOOLCHAIN=local go version)"
