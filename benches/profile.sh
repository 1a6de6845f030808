#!/usr/bin/env bash
# Where a build spends its time: records `tiller build` of a generated corpus
# with perf (call graphs from DWARF) and prints what share of the CPU samples
# each part of the pipeline takes, and how busy each thread was in each
# tenth of a second (a stage that leaves a core idle shows up there).
#
#   benches/profile.sh            # 10,000 articles
#   ARTICLES=1000 benches/profile.sh
#
# Needs perf (apt-get install linux-perf) and python3. perf's own work slows
# the build by a tenth or so; the shares and the idle stretches are what to
# read, not the times. See benches/README.md.
set -euo pipefail

ARTICLES=${ARTICLES:-10000}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() {
    printf 'benches/profile.sh: %s\n' "$*" >&2
    exit 1
}
command -v perf >/dev/null || die "perf is needed (apt-get install linux-perf)"
command -v python3 >/dev/null || die "python3 is needed"
[[ $ARTICLES =~ ^[1-9][0-9]*$ ]] || die "ARTICLES must be a number of articles"

work=$(mktemp -d /tmp/tiller-profile.XXXXXX)
out=$(mktemp -d /dev/shm/tiller-profile.XXXXXX)
trap 'rm -rf "$work" "$out"' EXIT

# The profiling profile is the release build with debug info: with fat LTO
# most of the pipeline is inlined, and only the debug info names the
# functions that were inlined, so that samples land in the right part.
(cd "$repo" && cargo build --profile profiling --quiet --bin tiller &&
    cargo build --release --quiet --example corpus) ||
    die "cargo build failed"
"$repo/target/release/examples/corpus" --articles "$ARTICLES" --seed 1 \
    --out "$work/site" >/dev/null
rm -rf "$out/site"
perf record --quiet -F 999 --call-graph dwarf,16384 -o "$work/perf.data" \
    "$repo/target/profiling/tiller" build --root "$work/site" --output "$out/site" \
    >/dev/null 2>"$work/build.log" || {
    cat "$work/build.log" >&2
    die "the build failed"
}
perf script -i "$work/perf.data" 2>/dev/null >"$work/perf.txt"
echo "# Profile of tiller build, $ARTICLES generated articles (git $(git -C "$repo" rev-parse --short HEAD))"
echo
python3 "$repo/benches/profile.py" "$work/perf.txt"
