#!/usr/bin/env bash
# Times `gloss serve` bringing the site up to date after a one-line edit to
# one article of a generated corpus. See benches/README.md.
#
#   bash benches/edit.sh
#
# Needs the corpus that benches/run.sh generates (target/bench/corpus-N).
# Environment: ARTICLES (corpus size, default 10000), EDITS (default 5),
# BENCH_DIR (default target/bench).
set -euo pipefail

cd "$(dirname "$0")/.."
WORK=${BENCH_DIR:-$PWD/target/bench}
N=${ARTICLES:-10000}
EDITS=${EDITS:-5}
SITE=$WORK/corpus-$N/gloss
if [[ ! -d $SITE ]]; then
    echo "no corpus at $SITE: run benches/run.sh first" >&2
    exit 1
fi
cargo build --release --quiet --bin gloss

# The edits go to a copy: the corpus stays as generated.
COPY=$(mktemp -d)
LOG=$COPY.log
PID=""
trap '[[ -n $PID ]] && kill "$PID" 2>/dev/null; rm -rf "$COPY" "$LOG"' EXIT
cp -r "$SITE/." "$COPY/"

target/release/gloss serve --root "$COPY" --port 0 2>"$LOG" &
PID=$!
built() { grep -c '^Built' "$LOG" || true; }
until [[ $(built) -ge 1 ]]; do
    kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
    sleep 0.2
done
echo "$(grep '^Built' "$LOG" | head -1) (the first build, into the server's folder)"

# An article from the middle of the archive; each edit adds one line.
article=$(find "$COPY/content/articles" -name '*.md' | sort | sed -n "$((N / 2))p")
for ((i = 1; i <= EDITS; i++)); do
    before=$(built)
    sleep 1
    printf '\nOne more line, edit %d.\n' "$i" >>"$article"
    until [[ $(built) -gt $before ]]; do sleep 0.05; done
    sleep 0.1
    echo "edit $i: $(grep '^Built' "$LOG" | tail -1 | sed 's/.*: //'), $(grep 'done .* after the change' "$LOG" | tail -1 | sed 's/^ *//')"
done
