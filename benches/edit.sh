#!/usr/bin/env bash
# Times `gloss serve` bringing the site up to date after edits to a
# generated corpus: one-line edits to one article, then that article
# naming a place it did not name and taking it back, then the place's
# summary (shown in the cast of every article that names it) and its
# description. See benches/README.md.
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
trap '[[ -n $PID ]] && kill "$PID" 2>/dev/null; rm -rf "$COPY" "$LOG" "$COPY.before"' EXIT
cp -r "$SITE/." "$COPY/"

target/release/gloss serve --root "$COPY" --port 0 2>"$LOG" &
PID=$!
built() { grep -c '^Built' "$LOG" || true; }
until [[ $(built) -ge 1 ]]; do
    kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
    sleep 0.2
done
echo "$(grep '^Built' "$LOG" | head -1) (the first build, into the server's folder)"

# Makes one change (the command given), waits for the update, prints it.
timed() {
    local label=$1 before
    shift
    before=$(built)
    sleep 1
    "$@"
    until [[ $(built) -gt $before ]]; do sleep 0.05; done
    sleep 0.1
    echo "$label: $(grep '^Built' "$LOG" | tail -1 | sed 's/.*: //'), $(grep 'done .* after the change' "$LOG" | tail -1 | sed 's/^ *//')"
}
add_line() { printf '\n%s\n' "$2" >>"$1"; }

# An article from the middle of the archive; each edit adds one line.
article=$(find "$COPY/content/articles" -name '*.md' | sort | sed -n "$((N / 2))p")
for ((i = 1; i <= EDITS; i++)); do
    timed "edit $i" add_line "$article" "One more line, edit $i."
done
place=$(find "$COPY/content/places" -name "*.md" | sort | sed -n 1p)
name=$(sed -n 's/^name: "\(.*\)"$/\1/p' "$place")
cp "$article" "$COPY.before"
timed "the article names $name" add_line "$article" "Later, $name was named."
timed "and no longer does" cp "$COPY.before" "$article"
timed "$name's summary" sed -i 's/^summary: "/summary: "Once /' "$place"
timed "$name's description" add_line "$place" "One more line about it."
