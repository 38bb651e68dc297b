#!/bin/sh
# Query size limits that cannot be bypassed (issue 13, finding 2): at most
# 1000 terms reach Xapian, however they are written (OR operands, one long
# phrase, one word of many parts), and a query over the cap is refused at
# once, on the command line (exit 2) and in --batch (an error line, the batch
# goes on). On the old code 10,000 ORs took 22 s (4 s for these, which match
# nothing), and every one of them was searched.
. "$NS_TOP/tests/e2e/nsearch_common"

# rep N UNIT: UNIT written N times
rep() { awk -v n="$1" -v u="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", u }'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# words qaaa, qbaa, ... (none is a stopword; none is in the index)
words() { awk -v n="$1" -v sep="$2" 'BEGIN { for (i = 0; i < n; i++)
    printf "%sq%c%c%c", i ? sep : "", 97 + i % 26, 97 + int(i / 26) % 26, 97 + int(i / 676) % 26 }'; }
# the three shapes at ten times the cap, each under the 128 KiB line cap (80 KB at most)
ors=$(words 10000 ' OR ')
phrase="\"$(words 10000 ' ')\""
word=$(rep 5000 x1)
msg='more than 1000 terms'
# a word of 10,000 parts meets the analyzer's own cap on parts per word first
# (1024, shared with nindex); a word of 1,020 parts passes that one and meets
# the query's term cap
wordmsg='more than 1000 terms\|a word of more than 1024 parts'

# ---- command line: exit 2, the message, quickly -----------------------------------
for q in "$ors" "$phrase" "$word"; do
    t0=$(now_ms)
    expect_status 2 ns -- "$q"
    t=$(( $(now_ms) - t0 ))
    grep -q "$wordmsg" "$tmp/err" || fail "no cap message for '$(printf %s "$q" | cut -c1-30)...': $(cat "$tmp/err")"
    [ "$t" -lt 2000 ] || fail "refusing '$(printf %s "$q" | cut -c1-30)...' took $t ms"
done
# the term cap holds inside one word too
expect_status 2 ns -- "$(rep 510 x1)"
grep -q "$msg" "$tmp/err" || fail "a word of 1020 parts: $(cat "$tmp/err")"
# ORs are one flat OR: a chain of 1000 operands (at the cap) is answered at once
or1000=$(awk 'BEGIN { printf "gpt"; for (i = 1; i < 1000; i++) printf " OR w%c%c", 97 + i % 26, 97 + int(i / 26) % 26 }')
t0=$(now_ms)
ns --json -- "$or1000" > "$tmp/out" || fail "a 1000-operand OR failed: $(cat "$tmp/out")"
t=$(( $(now_ms) - t0 ))
[ "$(jq .total "$tmp/out")" -gt 0 ] || fail "a 1000-operand OR finds nothing"
[ "$t" -lt 2000 ] || fail "a 1000-operand OR took $t ms"

# ---- --batch: an error line for each, the good lines answered, all in under 2 s ------------
{ printf '%s\n' "$ors"; printf 'gpt3\n'; printf '%s\n' "$phrase"; printf '%s\n' "$word"
  printf 'перевод\n'; } > "$tmp/in"
t0=$(now_ms)
expect_status 2 sh -c '"$0" --db "$1" --batch < "$2"' "$NS_BUILD/nsearch" "$db" "$tmp/in"
t=$(( $(now_ms) - t0 ))
[ "$t" -lt 2000 ] || fail "the batch of three over-cap queries took $t ms"
[ "$(wc -l < "$tmp/out")" -eq 5 ] || fail "not one answer per line: $(cut -c1-100 "$tmp/out")"
jq -r 'if .error then "error" else (.total > 0 | tostring) end' "$tmp/out" | tr '\n' ' ' > "$tmp/kinds"
[ "$(cat "$tmp/kinds")" = "error true error error true " ] || fail "kinds: $(cat "$tmp/kinds")"
[ "$(jq -r 'select(.error) | .error | test("more than 1000 terms|a word of more than 1024 parts")' "$tmp/out" | sort -u)" = true ] ||
    fail "error lines: $(jq -c .error "$tmp/out")"
# each error line echoes its query whole
jq -r .query "$tmp/out" > "$tmp/queries"
cmp -s "$tmp/in" "$tmp/queries" || fail "queries not echoed whole and in order"
echo ok
