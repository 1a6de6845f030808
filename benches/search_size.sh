#!/usr/bin/env bash
# What the search page loads in a browser, and what the search costs the build, on the
# generated corpus (examples/corpus.rs, seed 1).
#
#   benches/search_size.sh                                  # 10,000 and 100,000 articles
#   SIZES=10000 INVENTED_WORDS=60000 benches/search_size.sh # a larger vocabulary
#   SIZES=10000 BASE=main REPEATS=3 benches/search_size.sh  # and the build time against BASE
#
# For each size: builds the corpus with the release binary (timed with GNU time), sums up the
# search's files (raw and gzipped), then opens /search/ in headless Chromium through
# ../shared/checks/search.sh (served on loopback, every response gzipped and counted) and
# types each query: the KB loaded on opening the page and for the query. With BASE (a git
# revision), the same corpus is also built REPEATS times by BASE's release binary and by this
# one, in turns, and the median wall times are compared: the difference is what this branch's
# search adds (or saves). Output: Markdown on stdout, progress on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZES=${SIZES:-"10000 100000"}
# On /dev/shm (RAM) by default, as benches/run.sh: 100,000 articles make about 4 GB.
WORK=${WORK:-/dev/shm/tiller-search-size}
CHECKS=${CHECKS:-$ROOT/../shared/checks}
[ -x "$CHECKS/search.sh" ] || CHECKS=/work/shared/checks
REPEATS=${REPEATS:-3}
# query|text the first article found must contain
QUERIES=${QUERIES:-"supervision|supervision;supervise appraisals|apprais;warwickshre|warwickshire;social care|care"}
mkdir -p "$WORK"
log() { echo "$*" >&2; }

log "building the release binaries…"
nice -n 10 cargo build --quiet --release --bin tiller --example corpus
cp "$ROOT/target/release/tiller" "$WORK/tiller"
TILLER=$WORK/tiller
if [ -n "${BASE:-}" ]; then
  # Built in this target folder, which has the dependencies already: only the
  # crate itself is compiled again.
  log "building $BASE's release binary…"
  rm -rf "$WORK/base-src" && mkdir -p "$WORK/base-src"
  git archive "$BASE" | tar -x -C "$WORK/base-src"
  (cd "$WORK/base-src" && CARGO_TARGET_DIR=$ROOT/target nice -n 10 cargo build --quiet --release --bin tiller)
  cp "$ROOT/target/release/tiller" "$WORK/tiller-base"
  BASE_TILLER=$WORK/tiller-base
  rm -rf "$WORK/base-src"
fi

gz() { gzip -c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1024 }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
wall() { # wall seconds of one cold build of $2 by $1 into $3
  rm -rf "$3"
  /usr/bin/time -f "%e" -o "$WORK/time" "$1" build --root "$2" --output "$3" >/dev/null 2>&1
  cat "$WORK/time"
}

for n in $SIZES; do
  corpus=$WORK/corpus-$n${INVENTED_WORDS:+-w$INVENTED_WORDS}
  out=$WORK/public-$n
  if [ ! -d "$corpus" ]; then
    log "generating $n articles…"
    "$ROOT/target/release/examples/corpus" --articles "$n" --seed 1 \
      ${INVENTED_WORDS:+--invented-words "$INVENTED_WORDS"} --out "$corpus" >/dev/null
  fi
  log "building $n articles…"
  rm -rf "$out"
  /usr/bin/time -f "%e s wall, %U s user + %S s system, %M KB peak" -o "$WORK/time" \
    "$TILLER" build --root "$corpus" --output "$out" >/dev/null
  echo
  echo "## $n articles${INVENTED_WORDS:+, $INVENTED_WORDS invented words}"
  echo
  echo "Build: $(cat "$WORK/time")."
  s=$out/search
  index_raw=$(wc -c < "$s/index.js"); index_gz=$(gz "$s/index.js")
  shards=$(ls "$s" | grep -c '^words-' || true)
  largest=$(ls -S "$s"/words-*.js | sed -n 1p)
  shards_raw=$(cat "$s"/words-*.js | wc -c)
  texts=$(ls "$s" | grep -c '^text-' || true)
  metas=$(ls "$s" | grep -c '^meta-' || true)
  echo
  echo "| file | count | raw | gzipped |"
  echo "|---|---:|---:|---:|"
  echo "| \`index.js\` | 1 | $(kb "$index_raw") KB | $(kb "$index_gz") KB |"
  echo "| word shards | $shards | $(kb "$shards_raw") KB in all | largest $(kb "$(gz "$largest")") KB ($(basename "$largest")) |"
  echo "| files of titles (\`meta-*\`) | $metas | $(kb "$(wc -c < "$s/meta-0.js")") KB each | $(kb "$(gz "$s/meta-0.js")") KB each |"
  echo "| texts (\`text-*\`) | $texts | $(kb "$(cat "$s"/text-{0..19}.js | wc -c)") KB the first 20 | $(kb "$(for f in "$s"/text-{0..19}.js; do gz "$f"; done | paste -sd+ | bc)") KB the first 20 |"
  echo
  echo "In Chromium (\`search.sh\`, every response gzipped and counted):"
  echo
  echo "| query | on opening the page | for the query | first article |"
  echo "|---|---:|---:|---|"
  IFS=';' read -ra queries <<< "$QUERIES"
  for q in "${queries[@]}"; do
    line=$(MAP_BASE_URL=0 bash "$CHECKS/search.sh" "$out" "${q%%|*}" "${q#*|}" 2>/dev/null | tail -1 || true)
    open=$(sed -n 's/.*loaded \([0-9]*\) KB gz on open.*/\1/p' <<< "$line")
    query=$(sed -n 's/.* \([0-9]*\) KB gz for the query.*/\1/p' <<< "$line")
    first=$(sed -n 's/.*first \([^ ]*\) (\(has\|lacks\)\( "[^"]*"\)).*/\1 (\2\3)/p' <<< "$line")
    echo "| \`${q%%|*}\` | ${open:-?} KB | ${query:-?} KB | ${first:-$line} |"
  done
  if [ -n "${BASE:-}" ]; then
    log "timing $REPEATS builds each of $BASE and this branch…"
    : > "$WORK/base.times"; : > "$WORK/this.times"
    for _ in $(seq "$REPEATS"); do
      wall "$BASE_TILLER" "$corpus" "$WORK/out-base" >> "$WORK/base.times"
      wall "$TILLER" "$corpus" "$WORK/out-this" >> "$WORK/this.times"
    done
    rm -rf "$WORK/out-base" "$WORK/out-this"
    b=$(median < "$WORK/base.times"); t=$(median < "$WORK/this.times")
    echo
    echo "Build time, median of $REPEATS cold builds each, in turns: $BASE $b s, this branch $t s" \
      "($(awk -v b="$b" -v t="$t" 'BEGIN { printf "%+.2f s, %+.0f%%", t - b, (t - b) * 100 / b }'))."
  fi
done
