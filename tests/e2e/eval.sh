#!/bin/sh
# make eval's harness (tests/eval/, issue 14): the metric code passes its hand-computed
# checks, and one run over the judged set gives every figure of every engine, with the ids
# of nindex, nsearch, FTS5 and Xapian all matching the judgments. The figures themselves
# are not asserted: they measure ranking, which other work changes.
# run-once
set -eu
: "${NS_BUILD:?NS_BUILD must name the build directory}" "${NS_TOP:?NS_TOP must name the repo}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsearch-e2e.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }
py=/usr/bin/python3
ev=$NS_TOP/tests/eval

$py "$ev/test_metrics.py" > "$tmp/metrics.out" 2>&1 || fail "metric checks: $(tail -n 20 "$tmp/metrics.out")"

# under the C locale with Python's UTF-8 fallbacks off, as a bare cron job or CI may run it:
# the Russian queries once failed to encode on their way to nsearch
LC_ALL=C PYTHONCOERCECLOCALE=0 PYTHONUTF8=0 \
    $py "$ev/eval.py" run --build "$NS_BUILD" --out "$tmp/out" > "$tmp/stdout" 2> "$tmp/stderr" \
    || fail "eval.py run exited $?: $(cat "$tmp/stderr")"
[ ! -s "$tmp/stderr" ] || fail "eval.py run wrote to stderr: $(cat "$tmp/stderr")"
n=$(grep -c . "$ev/queries.tsv"); n=$((n - 1))   # less the header line
# four tables (nDCG@10, MRR@10, P@5, R@10) of ten rows, each with four figures and a ratio
rows=$(grep -cE '^\| (all queries|English|Russian|cross-lingual|topics|questions|product names|vendor intents|month/year intents|a word missing) \| [0-9]+ \|( [01]\.[0-9]{3} \|){4} ([0-9]+\.[0-9]{2}×|—) \|$' "$tmp/stdout")
[ "$rows" -eq 40 ] || fail "expected 40 table rows, got $rows: $(cat "$tmp/stdout")"
grep -q "^| all queries | $n |" "$tmp/stdout" || fail "the table does not count $n queries"
[ "$(grep -cE '^- nDCG@10 .*: (met|not met)$' "$tmp/stdout")" -eq 5 ] || fail "goal lines: $(cat "$tmp/stdout")"
cmp -s "$tmp/out/results.md" /dev/null && fail "results.md is empty"
grep -q '^| all queries |' "$tmp/out/results.md" || fail "results.md has no table"
[ "$(wc -l < "$tmp/out/per-query.tsv")" -eq $((n + 1)) ] || fail "per-query.tsv is not one line per query"
grep -q '^# Queries nsearch loses' "$tmp/out/per-query.md" || fail "per-query.md"
for e in nsearch fts5 xapian-or xapian-and; do
    grep -q "^$e	p03	1	" "$tmp/out/runs.tsv" || fail "$e answered nothing to p03 (M2M-100)"
done
# M2M-100 has one article in each language, both judged 3: every engine finds them (the ids
# of all four engines and of qrels.tsv agree) and every figure of p03 is above 0
awk -F'\t' '$1 == "p03" { for (i = 5; i <= NF; i++) if ($i + 0 <= 0) bad = 1; found = 1 }
            END { exit !(found && !bad) }' "$tmp/out/per-query.tsv" \
    || fail "p03 scores: $(grep '^p03' "$tmp/out/per-query.tsv")"

# a missing build is a message and exit 2, not a traceback
set +e
$py "$ev/eval.py" run --build "$tmp/nowhere" --out "$tmp/out2" > "$tmp/stdout" 2> "$tmp/stderr"
rc=$?
set -e
[ $rc -eq 2 ] || fail "a missing build exited $rc"
grep -q "nindex is missing: build nsearch first" "$tmp/stderr" || fail "missing build: $(cat "$tmp/stderr")"
if grep -q Traceback "$tmp/stderr"; then fail "traceback: $(cat "$tmp/stderr")"; fi
# --out naming a file, or a folder of the user's (here with a work/ of its own), is refused and
# left as it was; a second run into eval.py's own folder is fine
echo keep > "$tmp/file"
mkdir -p "$tmp/mine/work" && echo keep > "$tmp/mine/work/notes" && echo keep > "$tmp/mine/results.md"
for out in "$tmp/file" "$tmp/mine"; do
    set +e
    $py "$ev/eval.py" run --build "$NS_BUILD" --out "$out" > /dev/null 2> "$tmp/stderr"
    rc=$?
    set -e
    [ $rc -eq 2 ] && grep -qE "is not a directory|was not made by eval.py" "$tmp/stderr" \
        || fail "--out $out: exit $rc, $(cat "$tmp/stderr")"
done
[ "$(cat "$tmp/file" "$tmp/mine/work/notes" "$tmp/mine/results.md")" = "keep
keep
keep" ] || fail "a refused --out was changed"
$py "$ev/eval.py" run --build "$NS_BUILD" --out "$tmp/out" > /dev/null 2> "$tmp/stderr" \
    || fail "a second run into the same --out: $(cat "$tmp/stderr")"
