#!/bin/sh
# bench-suggest.sh DB CORPUS [BUILD]: the cost of a spelling lookup on an
# nsearch database, the suggestion dictionary (src/sdict.h) against Xapian's
# spelling table; `make bench-suggest DB=... CORPUS=...`.
# Misspelt words are made from the words of CORPUS's articles (the first 2,000
# files; words of 6-14 letters seen in at least 5 of them, 300 per language):
# one edit for two words in three, two edits for the rest (a deletion,
# insertion, substitution or swap of neighbours; seeded, so the same each
# run). Prints a Markdown table (suggest_bench.c says what it measures).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
DB=${1:?usage: bench-suggest.sh DB CORPUS [BUILD]}
CORPUS=${2:?usage: bench-suggest.sh DB CORPUS [BUILD]}
BUILD=${3:-${BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
out=$BUILD/bench
mkdir -p "$out"
[ -f "$BUILD/libnscore.a" ] || { echo "bench-suggest: $BUILD/libnscore.a missing: run make" >&2; exit 2; }
PKGS="xapian-core libutf8proc libcmark yaml-0.1"
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Wall -Wextra \
    -I"$top/src" -c "$top/bench/suggest_bench.c" -o "$out/suggest_bench.o"
${CXX:-c++} -o "$out/suggest_bench" "$out/suggest_bench.o" "$BUILD/libnscore.a" \
    $(pkg-config --libs $PKGS) -lstemmer -lzstd -lpthread
python3 - "$CORPUS" > "$out/typos.tsv" <<'PY'
import os, random, re, sys
from collections import Counter
root = sys.argv[1]
files = []
for d, _, fs in sorted(os.walk(root)):
    files += [os.path.join(d, f) for f in sorted(fs) if f.endswith('.md')]
files = files[:2000]
df = {'en': Counter(), 'ru': Counter()}
for f in files:
    text = open(f, encoding='utf-8', errors='replace').read().lower()
    lang = 'ru' if re.search(r'^lang:\s*ru', text, re.M) else 'en'
    pat = r'[а-яё]{6,14}' if lang == 'ru' else r'[a-z]{6,14}'
    df[lang].update(set(re.findall(pat, text.split('---', 2)[-1])))
rng = random.Random(14)
for lang, abc in (('en', 'abcdefghijklmnopqrstuvwxyz'), ('ru', 'абвгдежзийклмнопрстуфхцчшщъыьэюя')):
    words = sorted(w for w, n in df[lang].items() if n >= 5)
    rng.shuffle(words)
    for i, w in enumerate(words[:300]):
        t = w
        for _ in range(1 if i % 3 else 2):
            k = rng.randrange(len(t)); op = rng.randrange(4)
            if op == 0: t = t[:k] + t[k + 1:]
            elif op == 1: t = t[:k] + rng.choice(abc) + t[k:]
            elif op == 2: t = t[:k] + rng.choice(abc) + t[k + 1:]
            elif k + 1 < len(t): t = t[:k] + t[k + 1] + t[k] + t[k + 2:]
        if t != w:
            print(f'{lang}\t{t}\t{w}')
PY
echo "$(wc -l < "$out/typos.tsv") misspelt words from $CORPUS, on $DB:"
"$out/suggest_bench" "$DB" < "$out/typos.tsv"
