#!/usr/bin/env bash
# Fuzz campaign: takes a time in seconds (default 3600) and optionally one
# target's name, and runs each fuzz target in turn (or that one) for that
# long; gives, for each target, the executions made and the crash, timeout
# and out-of-memory inputs found. Exits 1 if any was found.
#
#   fuzz/run.sh               every target for an hour each
#   fuzz/run.sh 300 markdown  one target for five minutes
#
# Each target starts from its committed seeds (fuzz/seeds/<target>/) and
# grows a working corpus (fuzz/corpus/<target>/, kept between runs, not
# committed); findings go to fuzz/artifacts/<target>/ and the full log to
# fuzz/artifacts/<target>.log. Needs the nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz`). Not part of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-3600}
only=${2:-}
targets=(front_matter markdown site_toml entities_yaml serve_path)
if [[ -n $only ]]; then
    if [[ ! -f fuzz/fuzz_targets/$only.rs ]]; then
        echo "no fuzz target $only (targets: ${targets[*]})" >&2
        exit 2
    fi
    targets=("$only")
fi
# The machines are shared: fuzz at a lower priority unless told otherwise.
nice=${FUZZ_NICE:-10}

nice -n "$nice" cargo +nightly fuzz build

found_any=0
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
    log="fuzz/artifacts/$target.log"
    stamp=$(mktemp)
    echo "== $target: ${seconds}s, log in $log"
    # One worker process (-fork=1) that is restarted after a crash, timeout
    # or out-of-memory input, so that one finding does not end the campaign;
    # each is saved as an artifact all the same. A 10 s timeout makes a
    # pathologically slow input a finding, not a stall.
    nice -n "$nice" cargo +nightly fuzz run "$target" \
        "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
        -max_total_time="$seconds" \
        -dict="fuzz/dicts/$target.dict" \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -timeout=10 -rss_limit_mb=2048 \
        >"$log" 2>&1 || true
    # The fork supervisor's status lines read `#<executions>: cov: ...`.
    executions=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
    status=$(grep -E '^#[0-9]+:' "$log" | tail -n 1 || true)
    echo "executions: ${executions:-unknown}"
    echo "last status: ${status:-none (see the log)}"
    mapfile -t new < <(find "fuzz/artifacts/$target" -type f -newer "$stamp" | sort)
    rm -f "$stamp"
    if ((${#new[@]})); then
        found_any=1
        echo "findings: ${#new[@]}"
        for artifact in "${new[@]}"; do
            echo "  $artifact"
        done
        echo "  reproduce: cargo +nightly fuzz run $target <file>;" \
            "minimise: cargo +nightly fuzz tmin $target <file>"
    else
        echo "findings: none"
    fi
done
exit "$found_any"
