module example.com/workbook

go 1.23

require (
	go.uber.org/goleak v1.2.0
	golang.org/x/sync v0.1.0
)

// No Go module proxy is used: both modules come from Debian packages
// (golang-uber-goleak-dev, golang-golang-x-sync-dev, from bookworm-backports),
// which install their sources with a go.mod under /usr/share/gocode/src.
// See README.md, "Dependencies".
replace (
	go.uber.org/goleak => /usr/share/gocode/src/go.uber.org/goleak
	golang.org/x/sync => /usr/share/gocode/src/golang.org/x/sync
)
