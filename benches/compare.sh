#!/usr/bin/env bash
# Compares two gloss binaries on one site, runs interleaved, and prints the
# median wall time, CPU time (user + system) and peak memory of each, and
# their ratios. For "is this change slower?", where benches/run.sh answers
# "how fast against Hugo?".
#
#   bash benches/compare.sh OLD_BINARY NEW_BINARY SITE [RUNS]
#
# OUT (default /dev/shm/gloss-compare, tmpfs) is where the builds write;
# each run writes a new folder, and the previous run's output is moved
# aside and deleted only at the end: deleting many files right before a
# build makes this machine's ext4 charge the next build seconds of kernel
# time (see benches/README.md). Needs GNU time.
set -euo pipefail
OLD=$1 NEW=$2 SITE=$3 RUNS=${4:-7}
OUT=${OUT:-/dev/shm/gloss-compare}
rm -rf "$OUT" && mkdir -p "$OUT"
trap 'rm -rf "$OUT"' EXIT
declare -A wall cpu mem
for i in $(seq "$RUNS"); do
    for which in old new; do
        bin=$OLD
        [[ $which == new ]] && bin=$NEW
        sync
        line=$(/usr/bin/time -f "%e %U %S %M %x" "$bin" build --root "$SITE" --output "$OUT/$which-$i" 2>&1 >/dev/null | tail -1)
        read -r e u s m status <<<"$line"
        if [[ $status != 0 ]]; then
            echo "$bin failed (exit $status); is $OUT's file system full?" >&2
            exit 1
        fi
        wall[$which]+="$e "
        cpu[$which]+="$(echo "$u + $s" | bc) "
        mem[$which]+="$m "
    done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for which in old new; do
    w=$(echo "${wall[$which]}" | median) c=$(echo "${cpu[$which]}" | median) m=$(echo "${mem[$which]}" | median)
    printf '%s: wall %s s, cpu %s s, peak %d MiB  (wall runs: %s)\n' "$which" "$w" "$c" $((m / 1024)) "${wall[$which]}"
    eval "${which}_w=$w ${which}_c=$c"
done
# shellcheck disable=SC2154
printf 'new/old: wall %.3f, cpu %.3f\n' "$(echo "$new_w / $old_w" | bc -l)" "$(echo "$new_c / $old_c" | bc -l)"
