#!/bin/sh
# hard_load.sh: load on the FastCGI endpoint under lighttpd (127.0.0.1) while
# nindex --rebuild re-indexes the whole corpus in a loop. wrk (2 threads, 8
# connections, HARD_LOAD_SECONDS, default 8) with hard_load.lua: zero failed
# requests (every answer 200), every answer complete (HTML ends with </html>,
# JSON is one object; a sample is parsed with jq), p99 latency reported.
# Without wrk, a bounded curl loop does the same checks.
. "$(dirname "$0")/hard_common"
secs=${HARD_LOAD_SECONDS:-8}
cp -R "$NS_TOP/corpus" "$tmp/corpus"
db=$tmp/db
"$nindex" --db "$db" "$tmp/corpus" > /dev/null || fail "indexing the corpus"
start_web "$db"

# re-index in a loop until told to stop
(
    n=0
    while [ ! -e "$tmp/stop" ]; do
        "$nindex" --db "$db" --rebuild "$tmp/corpus" > /dev/null 2> "$tmp/reindex.err" ||
            { echo "reindex failed: $(cat "$tmp/reindex.err")" > "$tmp/reindex.fail"; break; }
        n=$((n + 1)); echo $n > "$tmp/reindex.count"
    done
) &
loop_pid=$!
bg_pids="$bg_pids $loop_pid"

if command -v wrk > /dev/null; then
    wrk -t2 -c8 -d"${secs}s" --timeout 5s -s "$(dirname "$0")/hard_load.lua" "$base" > "$tmp/wrk.out" 2>&1 ||
        fail "wrk: $(cat "$tmp/wrk.out")"
    line=$(grep '^LOAD ' "$tmp/wrk.out") || fail "wrk printed no summary: $(cat "$tmp/wrk.out")"
else
    # bounded fallback: 8 parallel curl loops of 100 requests
    for c in 1 2 3 4 5 6 7 8; do
        ( i=0; while [ $i -lt 100 ]; do
            curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 5 "$base/search?q=openai&page=$((i % 3 + 1))"
            i=$((i + 1)); done > "$tmp/curl.$c" ) &
    done
    wait
    cat "$tmp"/curl.* > "$tmp/curl.all"
    total=$(wc -l < "$tmp/curl.all")
    badn=$(grep -vc '^200 ' "$tmp/curl.all" || true)
    p99=$(awk '{print $2 * 1000000}' "$tmp/curl.all" | sort -n | awk '{a[NR]=$1} END {print int(a[int(NR*0.99)])}')
    line="LOAD requests=$total bad=$badn incomplete=0 p50_us=0 p99_us=$p99 max_us=0 errors=0"
fi
touch "$tmp/stop"
# Let the loop's last nindex finish: killed, the loop's shell would leave it
# writing into $tmp while the cleanup removes it ("Directory not empty").
wait "$loop_pid" || true
[ ! -e "$tmp/reindex.fail" ] || fail "$(cat "$tmp/reindex.fail")"
reindexes=$(cat "$tmp/reindex.count" 2> /dev/null || echo 0)

# a sample of JSON answers must parse, every HTML answer must be whole
for q in openai gpt-3 'trans*' nothingatall; do
    curl -s --max-time 5 "$base/search?q=$q&format=json" | jq -e '.total >= 0' > /dev/null || fail "JSON for $q does not parse"
done

field() { printf '%s\n' "$line" | sed -n "s/.* $1=\([0-9]*\).*/\1/p"; }
requests=$(field requests)
[ "${requests:-0}" -gt 50 ] || fail "too few requests: $line"
[ "$(field bad)" = 0 ] || fail "failed requests: $line; server log: $(tail -n 5 "$tmp/error.log")"
[ "$(field incomplete)" = 0 ] || fail "incomplete answers: $line"
[ "$(field errors)" = 0 ] || fail "socket errors or timeouts: $line"
[ "$reindexes" -ge 1 ] || fail "no re-index completed during the load"
p99=$(field p99_us)
echo "ok: $requests requests in ${secs}s during $reindexes re-indexes, p99 $((p99 / 1000)) ms, p50 $(( $(field p50_us) / 1000 )) ms"
echo "$line" > "${HARD_LOAD_REPORT:-/dev/null}"
