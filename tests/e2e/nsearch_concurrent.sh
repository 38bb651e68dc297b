#!/bin/sh
# While nindex rewrites the database in a loop, every search still answers
# from the last commit and never fails (nsearch, issue 4).
. "$NS_TOP/tests/e2e/nsearch_common"
end=$(( $(date +%s) + 10 ))
(
    while [ "$(date +%s)" -lt "$end" ]; do
        "$NS_BUILD/nindex" --db "$db" --rebuild "$tmp/corpus" > /dev/null 2>&1 || echo x >> "$tmp/nindex-failed"
    done
) &
writer=$!
n=0
bad=0
while [ "$(date +%s)" -lt "$end" ]; do
    for q in gpt3 'перевод lang:ru' 'transl*' '"machine translation"'; do
        set +e
        "$NS_BUILD/nsearch" --db "$db" --json --facets "$q" > "$tmp/out" 2> "$tmp/err"
        rc=$?
        set -e
        n=$((n + 1))
        if [ $rc -eq 1 ]; then
            # nsearch answered, but the last commit had no articles: a
            # rebuild must never commit an empty or partial database
            bad=$((bad + 1))
            echo "search '$q' found nothing (an empty commit was visible)" >&2
        elif [ $rc -ne 0 ]; then
            bad=$((bad + 1))
            echo "search '$q' exited $rc: $(cat "$tmp/err")" >&2
        elif ! jq -e '.total > 0' "$tmp/out" > /dev/null; then
            bad=$((bad + 1))
            echo "search '$q' gave bad JSON: $(head -c 300 "$tmp/out")" >&2
        fi
    done
done
# a --batch with one database handle for the whole run
yes 'gpt3' | head -n 2000 | "$NS_BUILD/nsearch" --db "$db" --batch > "$tmp/batch" 2> "$tmp/err" ||
    { bad=$((bad + 1)); echo "batch failed: $(cat "$tmp/err")" >&2; }
jq -e 'select(.total == 0 or .error)' "$tmp/batch" > /dev/null && { bad=$((bad + 1)); echo "batch line failed" >&2; }
wait $writer
[ ! -e "$tmp/nindex-failed" ] || echo "note: nindex failed $(wc -l < "$tmp/nindex-failed") times" >&2
[ $n -gt 10 ] || fail "only $n searches ran"
[ $bad -eq 0 ] || fail "$bad of $n searches failed while nindex was writing"
echo "ok ($n searches)"
