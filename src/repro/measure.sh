#!/usr/bin/env bash
# Writes src/repro/incident.csv, the data of chapter 8: the four series
# (Go leaky, Go fixed, Rust leaky, Rust fixed), each in a process of its own,
# with the same parameters. Run it from anywhere in the repository:
#
#   bash src/repro/measure.sh [JOBS [FAILURE_RATE [RECORD_KIB [EVERY]]]]
#
# Defaults: 1000 jobs, half of them failing, 9 records of 64 KiB per batch, a
# sample every 50 jobs. The four series took 17 s on the project's 2-core
# machine under a load average of 12, once both sides were built.
# Then `cargo run -p plot --bin repro_figures` redraws the figures.
set -euo pipefail
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
jobs=${1:-1000} rate=${2:-0.5} kib=${3:-64} every=${4:-50}
out="$root/src/repro/incident.csv"
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod

# Build first, so that no build runs while another series is measured.
(cd "$root/go" && go build -o "$root/target/repro-go" ./repro)
cargo build -q --manifest-path "$root/Cargo.toml" -p listings --example repro_service
rust="$root/target/debug/examples/repro_service"

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
  echo "# Chapter 8 data, written by: bash src/repro/measure.sh $jobs $rate $kib $every"
  echo "# date: $(date -u +%Y-%m-%d), machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(uname -sm)"
  echo "# $(cd "$root/go" && go version); $(rustc --version) (debug build: the dev profile)"
  echo "# parameters: $jobs jobs, failure rate $rate (spread evenly), batch of 9 records of $kib KiB, a sample every $every jobs"
  echo "# columns: live = goroutines (Go) or threads (Rust); memory in KiB; rss from /proc/self/statm (Go), VmRSS (Rust); heap and stack in use (Go only, after runtime.GC())"
  for mode in leaky fixed; do
    (cd "$root/go" && "$root/target/repro-go" -mode "$mode" -jobs "$jobs" -failure-rate "$rate" -record-kib "$kib" -every "$every")
  done
  for mode in leaky fixed; do
    "$rust" --mode "$mode" --jobs "$jobs" --failure-rate "$rate" --record-kib "$kib" --every "$every"
  done
} >"$tmp"
# The column header goes after the comments, before the rows.
{ grep '^#' "$tmp"; echo "series,jobs,failed,live,rss_kib,heap_inuse_kib,stack_inuse_kib"; grep -v '^#' "$tmp"; } >"$out"
echo "wrote $out ($(grep -vc '^#' "$out") lines)"
