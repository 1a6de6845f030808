#!/usr/bin/env bash
# Hostile Markdown benchmark: takes nothing (settings below, from the
# environment) and gives a Markdown table of `tiller build`'s wall time on
# each pathological input of examples/hostile_corpus.rs at two sizes, with
# the ratio of the times, then the time and peak memory of a 20 MB article.
# Exits non-zero if any build crashes, times out or ends other than it
# should, if any ratio is far from linear (over twice the ratio of the
# sizes), or if the 20 MB article takes over 10 s or 512 MiB. See
# benches/README.md.
#
#   benches/hostile.sh                             # every input, scale 1 and 4
#   CASES="same-headings nested-blockquotes" benches/hostile.sh
#   SCALE=2 FACTOR=8 REPEATS=5 benches/hostile.sh
#
# Progress goes to stderr; the report (Markdown) goes to stdout.
set -euo pipefail

SCALE=${SCALE:-1}     # the smaller size: scale 1 is about 1 MB of Markdown
FACTOR=${FACTOR:-4}   # the larger size is FACTOR times the smaller
REPEATS=${REPEATS:-3} # runs per size; the fastest is kept (noise only adds time)
TIMEOUT=${TIMEOUT:-60} # seconds before a build counts as hung
CASES=${CASES:-}      # names of inputs to run; all by default
BIG_SCALE=${BIG_SCALE:-20} # the big article: about 1 MB per unit of scale
# Each build may use this much address space (ulimit -v), so that an input
# whose memory grows out of bounds fails alone instead of taking the
# machine's memory from everyone on it.
MEMORY_LIMIT_MIB=${MEMORY_LIMIT_MIB:-4096}
LIMIT_SECONDS=10
LIMIT_MIB=512
TIME=/usr/bin/time

say() { printf '%s\n' "$*" >&2; }
die() {
    say "benches/hostile.sh: $*"
    exit 2
}

[[ -x $TIME ]] || die "GNU time is needed at $TIME (apt-get install time)"
command -v timeout >/dev/null || die "timeout (coreutils) is needed"
for v in SCALE FACTOR REPEATS TIMEOUT BIG_SCALE MEMORY_LIMIT_MIB; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive whole number"
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Sites go to /tmp, as a real site would be on disk; outputs to RAM
# (/dev/shm), so that the disk's write speed is not what is measured.
work=$(mktemp -d /tmp/tiller-hostile.XXXXXX)
out=$(mktemp -d /dev/shm/tiller-hostile.XXXXXX)
trap 'rm -rf "$work" "$out"' EXIT

# --- Binaries, copied so that a rebuild of target/ during the run cannot
# change what runs. The generator is a debug build: how fast it writes the
# files is not measured, and the debug library is usually built already.
say "building the release binary and the generator…"
(cd "$repo" && cargo build --release --quiet --bin tiller &&
    cargo build --quiet --example hostile_corpus) || die "cargo build failed"
cp "$repo/target/release/tiller" "$repo/target/debug/examples/hostile_corpus" "$work/"
tiller=$work/tiller
corpus=$work/hostile_corpus

# run SITE: builds SITE once into the output folder (emptied first, outside
# the timing) under timeout, GNU time and the memory limit. Sets ms (wall,
# from date's nanoseconds: GNU time's %e has 10 ms steps), kib (peak RSS)
# and status (the exit code; 124 is a timeout, over 128 a signal such as
# the abort of a stack overflow).
run() {
    rm -rf "$out/site"
    local start end
    start=$(date +%s%N)
    status=0
    (
        ulimit -v $((MEMORY_LIMIT_MIB * 1024))
        exec timeout "$TIMEOUT" $TIME -f '%M' -o "$work/time" \
            "$tiller" build --root "$1" --output "$out/site"
    ) >"$work/log" 2>&1 || status=$?
    end=$(date +%s%N)
    ms=$(((end - start) / 1000000))
    kib=$(tail -n 1 "$work/time" 2>/dev/null || echo 0)
    [[ $kib =~ ^[0-9]+$ ]] || kib=0
}

# measure SITE EXPECTED: runs SITE up to REPEATS times, keeping the fastest
# time (best_ms), the most memory (max_kib) and the exit code (last_status,
# the same every run); a run whose exit
# code is not one of EXPECTED ("0", "1" for an input that must fail with
# diagnostics, or "0|1") stops at once, setting best_ms to its time and
# outcome to what happened. Slow runs (over 5 s) are not repeated.
measure() {
    local site=$1 expected=$2 i
    best_ms=0 max_kib=0 outcome=ok
    for ((i = 0; i < REPEATS; i++)); do
        run "$site"
        last_status=$status
        if [[ "|$expected|" != *"|$status|"* ]]; then
            best_ms=$ms
            case $status in
            124) outcome="timeout (${TIMEOUT} s)" ;;
            101) outcome="panic" ;;
            134) outcome="SIGABRT (a stack overflow aborts)" ;;
            137) outcome="SIGKILL (out of memory?)" ;;
            139) outcome="SIGSEGV" ;;
            *) outcome="exit $status, expected $expected" ;;
            esac
            say "    $outcome; last lines of its output:"
            tail -n 5 "$work/log" | cut -c1-200 >&2
            return
        fi
        if ((i == 0 || ms < best_ms)); then best_ms=$ms; fi
        if ((kib > max_kib)); then max_kib=$kib; fi
        ((ms < 5000)) || break
    done
}

# fmt_s MS: milliseconds as seconds with two decimals; kb BYTES: in KB.
fmt_s() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }
kb() { awk -v b="$1" 'BEGIN { printf "%.0f KB", b / 1000 }'; }

# --- The fixed cost: a site whose article is one short section, built as
# every other site is. It is what a build costs whatever the input (the
# theme, the entity pages, the search script), and is taken off each time
# before the times are compared, so that it does not hide growth.
say "measuring the fixed cost…"
"$corpus" --case big-article --units 1 --out "$work/baseline"
measure "$work/baseline" 0
[[ $outcome == ok ]] || die "the baseline site does not build: $outcome"
base_ms=$best_ms

commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$repo" status --porcelain 2>/dev/null) ]]; then
    commit="$commit + uncommitted changes"
fi
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "# Hostile Markdown"
echo
echo "- machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr); load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- tiller: $("$tiller" --version) (git $commit), $(rustc --version)"
echo "- each input at scale $SCALE and $((SCALE * FACTOR)) (scale 1 is about 1 MB), fastest of $REPEATS runs;" \
    "fixed cost (a one-section site) $(fmt_s "$base_ms") s, taken off both times before their ratio;" \
    "linear is a ratio near the size ratio, and over twice it fails; peak memory is the most of the larger size's runs"
echo
echo "| input | from | size | time (s) | size ×$FACTOR | time (s) | size ratio | time ratio | peak MiB | verdict |"
echo "|---|---|--:|--:|--:|--:|--:|--:|--:|---|"

failures=0
# Each line of --list: name, units at scale 1, the exit codes allowed, source.
while IFS=$'\t' read -r name _units expected source; do
    if [[ -n $CASES && " $CASES " != *" $name "* ]]; then continue; fi
    # The big article is measured on its own below.
    if [[ $name == big-article ]]; then continue; fi
    say "$name"
    small=$work/small large=$work/large
    rm -rf "$small" "$large"
    "$corpus" --case "$name" --scale "$SCALE" --out "$small"
    "$corpus" --case "$name" --scale "$((SCALE * FACTOR))" --out "$large"
    bytes_small=$(stat -c %s "$small/content/articles/hostile.md")
    bytes_large=$(stat -c %s "$large/content/articles/hostile.md")
    size_ratio=$(awk -v a="$bytes_large" -v b="$bytes_small" 'BEGIN { printf "%.1f", a / b }')

    measure "$small" "$expected"
    small_ms=$best_ms small_outcome=$outcome
    large_ms=- large_kib=0 verdict=
    if [[ $small_outcome == ok ]]; then
        measure "$large" "$expected"
        large_ms=$best_ms large_kib=$max_kib
        [[ $outcome == ok ]] || verdict="FAIL: $outcome at ×$FACTOR"
    else
        verdict="FAIL: $small_outcome"
    fi
    time_ratio=-
    if [[ -z $verdict ]]; then
        # The work each size took beyond the fixed cost. A floor of 25 ms
        # keeps a build that is nearly all fixed cost from dividing by
        # nearly nothing: on this shared machine 10 ms of noise is common,
        # and a 20 ms build read as 30 ms doubles a ratio. With the floor a
        # fast input's ratio reads low, never falsely high; a quadratic one
        # still fails, as its larger size takes far over 8 × 25 ms.
        time_ratio=$(awk -v l="$large_ms" -v s="$small_ms" -v b="$base_ms" \
            'BEGIN { w = s - b; if (w < 25) w = 25; v = l - b; if (v < 0) v = 0; printf "%.1f", v / w }')
        if awk -v t="$time_ratio" -v r="$size_ratio" 'BEGIN { exit !(t > 2 * r) }'; then
            verdict="FAIL: super-linear"
        else
            verdict=ok
        fi
    fi
    [[ $verdict == ok ]] || failures=$((failures + 1))
    small_s=$(fmt_s "$small_ms")
    [[ $small_outcome == ok ]] || small_s="> $(fmt_s "$small_ms")"
    large_s=-
    [[ $large_ms == - ]] || large_s=$(fmt_s "$large_ms")
    [[ $verdict != *"at ×$FACTOR"* ]] || large_s="> $large_s"
    mib=$(awk -v k="$large_kib" 'BEGIN { printf "%.0f", k / 1024 }')
    [[ $large_kib != 0 ]] || mib=-
    if [[ $verdict == ok && $last_status == 1 ]]; then
        verdict="ok (fails with diagnostics, as allowed)"
    fi
    echo "| $name | $source | $(kb "$bytes_small") | $small_s | $(kb "$bytes_large") | $large_s | $size_ratio | $time_ratio | $mib | $verdict |"
    rm -rf "$small" "$large"
done < <("$corpus" --list)

# --- The big article: one real-looking article of about 20 MB (headings,
# prose with mentions, lists, quotes, tables, code, footnotes), against the
# limits of the hardening issue.
if [[ -z $CASES || " $CASES " == *" big-article "* ]]; then
    say "big-article (scale $BIG_SCALE)"
    big=$work/big
    "$corpus" --case big-article --scale "$BIG_SCALE" --out "$big"
    bytes=$(stat -c %s "$big/content/articles/hostile.md")
    measure "$big" 0
    mib=$(awk -v k="$max_kib" 'BEGIN { printf "%.0f", k / 1024 }')
    if [[ $outcome != ok ]]; then
        verdict="FAIL: $outcome"
    elif ((best_ms > LIMIT_SECONDS * 1000)); then
        verdict="FAIL: over $LIMIT_SECONDS s"
    elif ((max_kib > LIMIT_MIB * 1024)); then
        verdict="FAIL: over $LIMIT_MIB MiB"
    else
        verdict=ok
    fi
    [[ $verdict == ok ]] || failures=$((failures + 1))
    echo
    echo "| big article | size | time (s) | limit | peak MiB | limit | verdict |"
    echo "|---|--:|--:|--:|--:|--:|---|"
    echo "| big-article, scale $BIG_SCALE | $(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }') | $(fmt_s "$best_ms") | $LIMIT_SECONDS | $mib | $LIMIT_MIB | $verdict |"
fi

echo
if ((failures)); then
    echo "**$failures failed.**"
    exit 1
fi
echo "All within bounds."
