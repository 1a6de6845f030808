#!/usr/bin/env bash
# Measures Tiller on generated corpora against the floor (the least work any
# generator must do on the same files) and against Hugo and Zola on the same
# corpus, and prints one Markdown table per corpus size. See benches/README.md.
#
#   benches/run.sh                              # N = 1000 and 10000, 3 runs each
#   SIZES="1000" REPEATS=5 benches/run.sh
#   ZOLA=~/.cache/tiller-zola/zola benches/run.sh   # Zola from benches/install-zola.sh
#
# Progress goes to stderr; the report (Markdown) goes to stdout.
set -euo pipefail

SIZES=${SIZES:-"1000 10000"}
REPEATS=${REPEATS:-3}
# A program whose first run takes longer than this many seconds is not run
# again: Hugo needs minutes for 10,000 articles, and three such runs would
# take the whole benchmark far over its few-minute budget.
SLOW_SECONDS=${SLOW_SECONDS:-30}
SEED=1
# The generated prose repeats real sentences, so its vocabulary is small
# (about 1,300 words); one more Tiller build runs on the same corpus with
# this many made-up words mixed in, as real writing's vocabulary would be.
INVENTED_WORDS=${INVENTED_WORDS:-60000}
TIME=/usr/bin/time

# The all-core runs must really use all cores.
unset RAYON_NUM_THREADS

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '%s\n' "$*" >&2; }
die() {
    say "benches/run.sh: $*"
    exit 1
}

[[ -x $TIME ]] || die "GNU time is needed at $TIME (apt-get install time)"
[[ $REPEATS =~ ^[1-9][0-9]*$ ]] || die "REPEATS must be a positive number"
[[ $SLOW_SECONDS =~ ^[0-9]+$ ]] || die "SLOW_SECONDS must be a whole number"
[[ $INVENTED_WORDS =~ ^[1-9][0-9]*$ ]] || die "INVENTED_WORDS must be a positive number"
read -r -a sizes <<<"$SIZES"
((${#sizes[@]} > 0)) || die "SIZES is empty"
for n in "${sizes[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "SIZES must be numbers of articles, not '$n'"
done

# Corpora go on disk under /tmp, as a real site would be; outputs go to RAM
# (/dev/shm) so that the disk's write speed is not what gets measured.
work=$(mktemp -d /tmp/tiller-bench.XXXXXX)
out=$(mktemp -d /dev/shm/tiller-bench.XXXXXX)
trap 'rm -rf "$work" "$out"' EXIT

# --- 1. Build once, and run copies, so that a rebuild of target/ during the
# benchmark (someone else working in the repository) cannot change what runs.
say "building release binaries…"
(cd "$repo" && cargo build --release --quiet --bin tiller \
    --example corpus --example floor --example write_floor --example hugo_corpus \
    --example zola_corpus) ||
    die "cargo build failed"
bin=$work/bin
mkdir -p "$bin"
cp "$repo/target/release/tiller" "$bin/"
for example in corpus floor write_floor hugo_corpus zola_corpus; do
    cp "$repo/target/release/examples/$example" "$bin/"
done

have_hugo=false
if command -v hugo >/dev/null; then have_hugo=true; fi
# Zola: the command in ZOLA (benches/install-zola.sh prints one), else zola
# on PATH.
zola=${ZOLA:-}
if [[ -z $zola ]] && command -v zola >/dev/null; then zola=zola; fi
have_zola=false
if [[ -n $zola ]]; then
    "$zola" --version >/dev/null 2>&1 || die "ZOLA=$zola does not run"
    have_zola=true
fi

# --- Machine and versions, at the top of the report.
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$repo" status --porcelain 2>/dev/null) ]]; then
    commit="$commit + uncommitted changes"
fi
echo "# Tiller benchmark"
echo
echo "- machine: $(nproc) cores, ${cpu:-unknown CPU}, $mem RAM, $(uname -sr)"
echo "- tiller: $("$bin/tiller" --version) (git $commit), $(rustc --version)"
if $have_hugo; then
    echo "- hugo: $(hugo version | cut -d' ' -f1-2)"
else
    echo "- hugo: not on PATH, so not measured"
fi
if $have_zola; then
    echo "- zola: $("$zola" --version)"
else
    echo "- zola: not on PATH and ZOLA not set, so not measured (benches/install-zola.sh)"
fi
echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the times)"
echo "- corpus: \`examples/corpus.rs\`, seed $SEED (the invented-words row: the same with" \
    "\`--invented-words $INVENTED_WORDS\`); $REPEATS rounds, each running every program" \
    "once in the table's order (a program whose first run takes over ${SLOW_SECONDS} s" \
    "runs once), median wall shown;" \
    "output written to /dev/shm, removed before each run"
echo

# --- 3. Measuring.
#
# Programs are run in rounds: each round runs every program once, in the
# table's order, and REPEATS rounds are run. A slow spell of this shared
# machine then touches every program alike, so the ratios between them hold
# better than the times do.
#
# run_once K OUTPUT COMMAND...: runs COMMAND once under GNU time for program
# K, removing OUTPUT (a folder, or - for none) and extra_clean before it,
# outside the timing. Aborts, showing the program's output, if the run fails.
# Appends "wall-ms user-s system-s peak-KiB" to $work/runs-K and sets
# last_ms. Wall time is taken with date's nanoseconds, as GNU time's %e has
# only 10 ms steps, too coarse for the floors; GNU time gives CPU time and
# peak RSS.
run_once() {
    local k=$1 dest=$2
    shift 2
    if [[ $dest != - ]]; then rm -rf "$dest"; fi
    rm -rf "${extra_clean[@]}"
    local start end
    start=$(date +%s%N)
    if ! $TIME -f '%U %S %M' -o "$work/time" "$@" >"$work/log" 2>&1; then
        say "error: ${labels[k]} failed; its output:"
        tail -n 20 "$work/log" >&2
        exit 1
    fi
    end=$(date +%s%N)
    last_ms=$(((end - start) / 1000000))
    echo "$last_ms $(tail -n 1 "$work/time")" >>"$work/runs-$k"
    if [[ $dest != - ]]; then find "$dest" -type f | wc -l >"$work/files-$k"; fi
}
extra_clean=()

# summarise K: appends "label|wall|cpu|MiB|files|runs" to the rows array for
# program K: the median wall time, the median CPU time (user + system), the
# peak RSS of the median-wall run, and the number of files it wrote.
summarise() {
    local k=$1 median cpu wall rss ms runs files=-
    runs=$(wc -l <"$work/runs-$k")
    # Sort runs by wall time and take the middle one (the lower middle for an
    # even count, so it is always a real run); the CPU median separately.
    median=$(sort -n -k1,1 "$work/runs-$k" | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }')
    cpu=$(awk '{ print $2 + $3 }' "$work/runs-$k" | sort -n |
        awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }')
    read -r ms _ _ rss <<<"$median"
    wall=$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')
    if [[ -f $work/files-$k ]]; then files=$(<"$work/files-$k"); fi
    rows+=("${labels[k]}|$wall|$cpu|$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')|$files|$runs")
    say "  ${labels[k]}: $wall s"
}

# ratio A B: A / B to two decimals, or - if B is zero.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# --- 2. Corpora: a Tiller site and the same site converted for Hugo.
for n in "${sizes[@]}"; do
    say "generating $n articles…"
    "$bin/corpus" --articles "$n" --seed "$SEED" --out "$work/tiller-$n" >/dev/null
    "$bin/corpus" --articles "$n" --seed "$SEED" --invented-words "$INVENTED_WORDS" \
        --out "$work/words-$n" >/dev/null
    if $have_hugo; then
        "$bin/hugo_corpus" --from "$work/tiller-$n" --out "$work/hugo-$n" >/dev/null
    fi
    if $have_zola; then
        "$bin/zola_corpus" --from "$work/tiller-$n" --out "$work/zola-$n" >/dev/null
    fi
done

# Before measuring, check that every program succeeds on the smallest corpus
# (each timed run is checked too, so a failure at a larger size also stops
# the benchmark). Hugo's and Zola's checks double as their checks of every
# link between articles.
smallest=$(printf '%s\n' "${sizes[@]}" | sort -n | head -n 1)
say "checking that every program succeeds on $smallest articles…"
check() {
    "$@" >"$work/log" 2>&1 || {
        say "error: '$*' failed; its output:"
        tail -n 20 "$work/log" >&2
        exit 1
    }
}
# The write floor writes files of the names and sizes Tiller writes: listed
# here from one build per size, outside the timing. These builds are also
# Tiller's check on the plain corpora.
for n in "${sizes[@]}"; do
    check "$bin/tiller" build --root "$work/tiller-$n" --output "$out/listed"
    find "$out/listed" -type f -printf '%s %P\n' >"$work/listing-$n"
    rm -rf "$out/listed"
done
check "$bin/tiller" build --root "$work/words-$smallest" --output "$out/check-tiller"
check "$bin/floor" "$work/tiller-$smallest"
check "$bin/floor" "$work/tiller-$smallest" --highlight
check "$bin/floor" "$work/tiller-$smallest" --front-matter
check "$bin/write_floor" "$work/listing-$smallest" "$out/check-written"
if $have_hugo; then
    check hugo --source "$work/hugo-$smallest" --destination "$out/check-hugo" --quiet
fi
if $have_zola; then
    check "$zola" --root "$work/zola-$smallest" build --output-dir "$out/check-zola"
fi
rm -rf "$out/check-tiller" "$out/check-written" "$out/check-hugo" "$out/check-zola"

labels=(
    "tiller build"
    "tiller build, $INVENTED_WORDS invented words"
    "floor: render"
    "floor: render + highlight"
    "floor: front matter + render + highlight"
    "floor: render, 1 core"
    "floor: render + highlight, 1 core"
    "floor: write Tiller's files"
)
if $have_hugo; then labels+=("hugo"); fi
if $have_zola; then labels+=("zola"); fi

# run_program K: one run of program K on the corpus of $n articles.
run_program() {
    local k=$1 site=$work/tiller-$n
    case ${labels[k]} in
    "tiller build") run_once "$k" "$out/tiller" "$bin/tiller" build --root "$site" --output "$out/tiller" ;;
    "tiller build, "*) run_once "$k" "$out/tiller" "$bin/tiller" build --root "$work/words-$n" --output "$out/tiller" ;;
    "floor: render") run_once "$k" - "$bin/floor" "$site" ;;
    "floor: render + highlight") run_once "$k" - "$bin/floor" "$site" --highlight ;;
    "floor: front matter + render + highlight") run_once "$k" - "$bin/floor" "$site" --front-matter ;;
    "floor: render, 1 core") run_once "$k" - env RAYON_NUM_THREADS=1 "$bin/floor" "$site" ;;
    "floor: render + highlight, 1 core") run_once "$k" - env RAYON_NUM_THREADS=1 "$bin/floor" "$site" --highlight ;;
    "floor: write Tiller's files") run_once "$k" "$out/written" "$bin/write_floor" "$work/listing-$n" "$out/written" ;;
    hugo)
        # Hugo writes resources/ into its source folder; a cold build starts
        # without it.
        extra_clean=("$work/hugo-$n/resources")
        run_once "$k" "$out/hugo" hugo --source "$work/hugo-$n" --destination "$out/hugo" --quiet
        extra_clean=()
        ;;
    zola) run_once "$k" "$out/zola" "$zola" --root "$work/zola-$n" build --output-dir "$out/zola" ;;
    *) die "no way to run '${labels[k]}'" ;;
    esac
}

declare -A tiller_wall
for n in "${sizes[@]}"; do
    say "measuring $n articles…"
    rm -f "$work"/runs-* "$work"/files-*
    declare -A slow=()
    for ((round = 1; round <= REPEATS; round++)); do
        for k in "${!labels[@]}"; do
            [[ -z ${slow[$k]:-} ]] || continue
            run_program "$k"
            if ((round == 1 && last_ms > SLOW_SECONDS * 1000)); then
                say "  ${labels[k]} took $((last_ms / 1000)) s: not repeated"
                slow[$k]=1
            fi
        done
    done
    unset slow
    rows=()
    for k in "${!labels[@]}"; do summarise "$k"; done

    # --- 4. The table. Ratios are to the highlighting floor, which does the
    # same Markdown and code work as a build but writes nothing.
    declare -A wall_of=()
    for row in "${rows[@]}"; do
        IFS='|' read -r label wall _ <<<"$row"
        wall_of[$label]=$wall
    done
    floor_all=${wall_of["floor: render + highlight"]}
    floor_one=${wall_of["floor: render + highlight, 1 core"]}
    tiller_wall[$n]=${wall_of["tiller build"]}

    echo "## $n articles"
    echo
    echo "| program | wall s | CPU s | peak MiB | files written | runs | × floor+hl (all cores) | × floor+hl (1 core) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for row in "${rows[@]}"; do
        IFS='|' read -r label wall cpu mib files runs <<<"$row"
        printf '| %s | %.3f | %.2f | %s | %s | %s | %s | %s |\n' "$label" "$wall" "$cpu" "$mib" \
            "$files" "$runs" "$(ratio "$wall" "$floor_all")" "$(ratio "$wall" "$floor_one")"
    done
    echo
    # Any build both renders and writes, and each floor keeps every core
    # busy, so the two floors' sum is about the least a build of this site
    # can take, whatever else it does.
    floor_write=${wall_of["floor: write Tiller's files"]}
    floors=$(awk -v a="$floor_all" -v b="$floor_write" 'BEGIN { printf "%.3f", a + b }')
    echo "Render + highlight floor and write floor together: $floor_all + $floor_write = $floors s" \
        "($(ratio "$floors" "$floor_all")× the render + highlight floor);" \
        "Tiller / both floors: $(ratio "${tiller_wall[$n]}" "$floors")×"
    echo
    # The same with the front matter read too, by the YAML crate Tiller must
    # use: what no build of this site with these crates can go under.
    floor_read=${wall_of["floor: front matter + render + highlight"]}
    floors=$(awk -v a="$floor_read" -v b="$floor_write" 'BEGIN { printf "%.3f", a + b }')
    echo "Front matter + render + highlight floor and write floor together:" \
        "$floor_read + $floor_write = $floors s" \
        "($(ratio "$floors" "$floor_all")× the render + highlight floor);" \
        "Tiller / both floors: $(ratio "${tiller_wall[$n]}" "$floors")×"
    echo
    if $have_hugo; then
        echo "Hugo / Tiller wall time: $(ratio "${wall_of[hugo]}" "${tiller_wall[$n]}")×"
    else
        echo "Hugo / Tiller wall time: not measured (hugo is not on PATH)"
    fi
    echo
    if $have_zola; then
        echo "Zola / Tiller wall time: $(ratio "${wall_of[zola]}" "${tiller_wall[$n]}")×"
    else
        echo "Zola / Tiller wall time: not measured (no zola; see benches/install-zola.sh)"
    fi
    echo
    unset wall_of
done

# Linearity: how Tiller's time grows from the smallest corpus to the largest.
largest=$(printf '%s\n' "${sizes[@]}" | sort -n | tail -n 1)
if ((largest > smallest)); then
    echo "Tiller linearity: wall at $largest / wall at $smallest articles =" \
        "$(ratio "${tiller_wall[$largest]}" "${tiller_wall[$smallest]}")" \
        "(for $(ratio "$largest" "$smallest")× the articles)"
fi
