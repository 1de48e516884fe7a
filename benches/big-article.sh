#!/usr/bin/env bash
# Times one very large article: 50 MB of prose, about half a million
# mentions and five thousand warnings (a possible mention every so often).
# Every warning used to count the lines of the whole file again; this
# checks it stays a matter of seconds.
#
#   bash benches/big-article.sh [GLOSS_BINARY]
#
# BENCH_DIR (default target/bench) holds the generated site. Needs GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
GLOSS=${1:-target/release/gloss}
[[ -x $GLOSS ]] || cargo build --release --quiet
WORK=${BENCH_DIR:-target/bench}/big-article
rm -rf "$WORK" && mkdir -p "$WORK/content/articles" "$WORK/content/people" "$WORK/content/places"
printf 'title: One long article\n' >"$WORK/content/site.yaml"
printf -- '---\nname: Kim Jong-il\naliases: [Kim]\nsummary: A leader.\n---\nA leader.\n' >"$WORK/content/people/kim-jong-il.md"
printf -- '---\nname: Vladimir Putin\naliases: [Putin]\nsummary: A president.\n---\nA president.\n' >"$WORK/content/people/vladimir-putin.md"
printf -- '---\nname: Vladivostok\nsummary: A port.\ncoordinates: [43.1, 131.9]\n---\nA port.\n' >"$WORK/content/places/vladivostok.md"
python3 - "$WORK/content/articles/trip.md" <<'PY'
import random, sys
random.seed(1)
sentences = [
    ("Kim Jong-il met Putin in Vladivostok.", 3),
    ("The train rolled on through the night and into the day.", 6),
    ("Putin waited at the station for Kim.", 3),
    ("Nothing else happened that day, officials said, and the talks went on.", 6),
    ("A long sentence of plain prose without any names at all, as reports have.", 6),
    ("Officials in vladivostok said little.", 0.15),  # a possible mention
]
texts, weights = zip(*sentences)
size, paragraphs = 0, []
while size < 50_000_000:
    paragraph = " ".join(random.choices(texts, weights=weights, k=6))
    paragraphs.append(paragraph)
    size += len(paragraph) + 2
with open(sys.argv[1], "w") as f:
    f.write("---\ntitle: The trip\n---\n" + "\n\n".join(paragraphs) + "\n")
PY
echo "$(du -h "$WORK/content/articles/trip.md" | cut -f1) article:" >&2
/usr/bin/time -f "%e s wall, %U s user, %M KB peak" "$GLOSS" build --root "$WORK" --output "$WORK/public" --force 2>&1 \
    | grep -E "^Built|wall" | sed 's/^/  /'
