#!/bin/sh
# --batch on several threads (--jobs): answers come back in input order and
# equal the one-thread answers; a caller that writes a line and waits for
# its answer gets it before writing the next (lock-step); bad --jobs values
# are refused (nsearch, issue 7).
. "$NS_TOP/tests/e2e/nsearch_common"
index

# A mix of 300 lines: words of both languages, filters, phrases, prefixes,
# errors and empty lines, so lines take different times and finish out of order.
cat > "$tmp/words" <<'WORDS'
gpt3
перевод
"machine translation"
transl*
vendor:openai
month:2020-10
lang:ru модель
qqqqzzzz
month:2020-13

нейросеть OR stylegan2
-gpt3
lang:xx
vendor:сбер
m2m-100
WORDS
awk 'NR == FNR { w[n++] = $0; next } END { for (i = 0; i < 300; i++) print w[(i * 7) % n] }' \
    "$tmp/words" /dev/null > "$tmp/in"

set +e
ns --batch --jobs 1 < "$tmp/in" > "$tmp/one"; rc1=$?
ns --batch --jobs 4 < "$tmp/in" > "$tmp/four"; rc4=$?
ns --batch < "$tmp/in" > "$tmp/default"; rcd=$?
set -e
[ $rc1 -eq 2 ] && [ $rc4 -eq 2 ] && [ $rcd -eq 2 ] || fail "exit statuses $rc1 $rc4 $rcd (bad lines: 2)"
for f in one four default; do
    [ "$(wc -l < "$tmp/$f")" -eq 300 ] || fail "$f: not 300 lines"
    jq -r '.query' "$tmp/$f" | cmp -s - "$tmp/in" || fail "$f: answers not in input order"
    jq -c 'del(.took_ms)' "$tmp/$f" > "$tmp/$f.n"
done
cmp -s "$tmp/one.n" "$tmp/four.n" || fail "--jobs 4 answers differ from --jobs 1"
cmp -s "$tmp/one.n" "$tmp/default.n" || fail "default --jobs answers differ from --jobs 1"

# Lock-step: each answer arrives while the next line is not yet written.
mkfifo "$tmp/qin" "$tmp/qout"
ns --batch --jobs 2 < "$tmp/qin" > "$tmp/qout" &
pid=$!
exec 3> "$tmp/qin" 4< "$tmp/qout"
for q in gpt3 перевод 'vendor:openai' gpt3; do
    printf '%s\n' "$q" >&3
    # one line is all there is to read until the next query is written
    line=$(timeout 20 head -n 1 <&4) || fail "no answer to '$q' within 20 s in lock-step"
    [ "$(printf '%s' "$line" | jq -r .query)" = "$q" ] || fail "lock-step answer is for another query"
done
exec 3>&-
wait $pid || fail "lock-step batch exited non-zero"
exec 4<&-

# Bad --jobs values
for j in 0 -1 x 65 ''; do
    set +e
    ns --batch --jobs "$j" < /dev/null > /dev/null 2> "$tmp/err"; rc=$?
    set -e
    [ $rc -eq 2 ] || fail "--jobs '$j' exited $rc"
    grep -q -- "--jobs" "$tmp/err" || fail "--jobs '$j': message does not name the option: $(cat "$tmp/err")"
done
echo ok
