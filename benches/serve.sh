#!/usr/bin/env bash
# Save-to-reload latency of `tiller serve`: the time from saving an article to
# the open page being told to reload, and to the page serving the new text,
# median of 20 edits, on a copy of the real site and on 10,000 generated
# articles. See benches/README.md.
#
#   benches/serve.sh            # 20 edits each
#   EDITS=50 benches/serve.sh
#   BASELINE=/path/to/tiller benches/serve.sh   # and that binary, side by side
set -euo pipefail

EDITS=${EDITS:-20}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d /tmp/tiller-serve-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "building release binaries…" >&2
(cd "$repo" && cargo build --release --quiet --bin tiller --example corpus --example reload_latency)

# The example edits the site it is given: it gets copies.
mkdir -p "$work/real"
cp -r "$repo/site.toml" "$repo/content" "$repo/themes" "$work/real/"
"$repo/target/release/examples/reload_latency" "$work/real" "$EDITS"

echo "generating 10000 articles…" >&2
"$repo/target/release/examples/corpus" --articles 10000 --seed 1 --out "$work/corpus" >/dev/null
"$repo/target/release/examples/reload_latency" "$work/corpus" "$EDITS"
if [[ -n ${BASELINE:-} ]]; then
    echo "the baseline, $BASELINE, on a fresh copy of the same corpus…" >&2
    "$repo/target/release/examples/corpus" --articles 10000 --seed 1 --out "$work/baseline" >/dev/null
    TILLER_BINARY=$BASELINE "$repo/target/release/examples/reload_latency" "$work/baseline" "$EDITS"
fi
