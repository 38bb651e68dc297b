#!/bin/sh
# bench-analyze.sh [BUILD]: ns_analyze against Xapian::TermGenerator (with the
# same Snowball stemmer) on English and Russian prose; `make bench-analyze`.
# Samples: English from /usr/share/common-licenses and man pages, Russian from
# the manpages-ru pages (mixed Russian and English tech prose, like ours).
# Each program runs 5 times per language; prints the median MB/s of each and
# the ratio ours / TermGenerator.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-${BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
out=$BUILD/bench
mkdir -p "$out"
[ -f "$BUILD/libnscore.a" ] || { echo "bench-analyze: $BUILD/libnscore.a missing: run make" >&2; exit 2; }

PKGS="xapian-core libutf8proc libcmark yaml-0.1"
LIBS="$(pkg-config --libs $PKGS) -lstemmer -lpthread"
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Wall -Wextra \
    -I"$top/src" -c "$top/bench/analyze_bench.c" -o "$out/analyze_bench.o"
${CXX:-c++} -o "$out/analyze_bench" "$out/analyze_bench.o" "$BUILD/libnscore.a" $LIBS
${CXX:-c++} -std=c++11 -O2 -Wall -Wextra $(pkg-config --cflags xapian-core) \
    "$top/bench/tg_bench.cc" -o "$out/tg_bench" $(pkg-config --libs xapian-core)

render() { # man page files -> plain text
    for f in "$@"; do
        LC_ALL=C.UTF-8 MANWIDTH=80 man -E UTF-8 -P cat -l "$f" 2>/dev/null | col -b || true
    done
}
en=$out/sample-en.txt
ru=$out/sample-ru.txt
if [ ! -s "$en" ]; then
    { cat /usr/share/common-licenses/*
      render $(ls -S /usr/share/man/man1/*.gz | head -20); } | head -c 2000000 > "$en"
fi
if [ ! -s "$ru" ]; then
    set -- $(ls -S /usr/share/man/ru/man*/*.gz 2>/dev/null | head -40)
    [ $# -gt 0 ] || { echo "bench-analyze: no Russian man pages: apt-get install manpages-ru" >&2; exit 2; }
    render "$@" | head -c 2000000 > "$ru"
fi

median() { sort -n | sed -n 3p; }
rate() { sed -n 's/^MB\/s //p'; }
printf '%-8s %10s %10s %8s   %s\n' lang ours TermGen ratio "sample"
for lang in english russian; do
    case $lang in english) f=$en ;; *) f=$ru ;; esac
    n=5
    # alternate the two programs, so that a busy machine slows both alike
    : > "$out/ours.$lang"; : > "$out/tg.$lang"
    for i in 1 2 3 4 5; do
        "$out/analyze_bench" -n $n "$f" | rate >> "$out/ours.$lang"
        "$out/tg_bench" $lang -n $n "$f" | rate >> "$out/tg.$lang"
    done
    ours=$(median < "$out/ours.$lang")
    tg=$(median < "$out/tg.$lang")
    ratio=$(awk -v a="$ours" -v b="$tg" 'BEGIN { printf "%.2f", a / b }')
    printf '%-8s %7s MB/s %5s MB/s %7sx   %s (%s bytes)\n' $lang "$ours" "$tg" "$ratio" \
        "${f#$top/}" "$(wc -c < "$f")"
done
