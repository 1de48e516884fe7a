#!/usr/bin/env bash
# Counts the instructions each of two gloss binaries executes to build one
# site (valgrind's cachegrind, without its cache simulation, on one
# thread), and prints them and their ratio. Unlike time on a shared
# machine, the count is the same from run to run: a change that saves 1 %
# shows as 1 %. It does not see what the count misses (cache misses,
# memory bandwidth, the kernel's time), so confirm a gain in time with
# benches/compare.sh. A 1,000-article corpus takes about a minute a build.
#
#   bash benches/instructions.sh OLD_BINARY NEW_BINARY SITE
#
# OUT (default /dev/shm/gloss-instructions) is where the builds write; the
# per-function counts stay in $OUT/old.cg and $OUT/new.cg, for
# `cg_annotate`. Needs valgrind.
set -euo pipefail
OLD=$1 NEW=$2 SITE=$3
OUT=${OUT:-/dev/shm/gloss-instructions}
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT"
declare -A count
for which in old new; do
    bin=$OLD
    [[ $which == new ]] && bin=$NEW
    rm -rf "$OUT/site"
    count[$which]=$(RAYON_NUM_THREADS=1 valgrind --tool=cachegrind --cache-sim=no \
        --cachegrind-out-file="$OUT/$which.cg" "$bin" build --root "$SITE" --output "$OUT/site" 2>&1 >/dev/null |
        sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,)
    printf '%s %s instructions\n' "$which" "${count[$which]}"
done
rm -rf "$OUT/site"
awk -v o="${count[old]}" -v n="${count[new]}" 'BEGIN { printf "new / old: %.4f\n", n / o }'
