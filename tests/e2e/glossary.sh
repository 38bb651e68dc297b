#!/bin/sh
# glossary.sh: the bilingual glossary (glossary/en-ru.txt) passes its checker
# (tests/glossary/check.py, through this build's `nsearch --analyze`) with at least 400
# entries, and the checker refuses each kind of bad entry with FILE:LINE and the rule,
# answers hostile files (huge, binary, CRLF, thousands of repeats) with messages and no
# traceback, and says what it could not check (missing file, missing nsearch) with exit 2.
# run-once
set -eu
: "${NS_BUILD:?NS_BUILD must name the build directory}" "${NS_TOP:?NS_TOP must name the repo}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsearch-glossary.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
fail() { echo "FAIL: $*"; exit 1; }
check() { /usr/bin/python3 "$NS_TOP/tests/glossary/check.py" --nsearch "$NS_BUILD/nsearch" "$@"; }
g=$tmp/g.txt

# run the checker on $g (written by the caller) with the options $3...; $1 the exit status
# wanted, $2 a pattern (grep -E) its stderr must have, or "" for an empty stderr; never a
# traceback
expect() {
    want=$1 pat=$2
    shift 2
    set +e
    check "$@" "$g" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    set -e
    if grep -q Traceback "$tmp/err"; then fail "traceback: $(cat "$tmp/err")"; fi
    [ "$rc" -eq "$want" ] || fail "exit $rc, not $want, for: $(head -c 300 "$g"): $(cat "$tmp/err")"
    if [ -z "$pat" ]; then
        [ ! -s "$tmp/err" ] || fail "stderr: $(cat "$tmp/err")"
    else
        grep -qE -- "$pat" "$tmp/err" || fail "no /$pat/ in: $(cat "$tmp/err")"
    fi
}

# ---- the real glossary ----------------------------------------------------------------
check "$NS_TOP/glossary/en-ru.txt" > "$tmp/out" 2> "$tmp/err" || fail "glossary: $(cat "$tmp/err")"
[ ! -s "$tmp/err" ] || fail "glossary: $(cat "$tmp/err")"
n=$(sed -n 's/.*: \([0-9]*\) entries, [0-9]* forms, 0 errors$/\1/p' "$tmp/out")
[ -n "$n" ] && [ "$n" -ge 400 ] || fail "glossary: $(cat "$tmp/out")"
# the examples of issue 14 are there, one concept a line
for e in 'translation = перевод' 'neural network | neural net = нейросеть' \
         'speech recognition .*= распознавание речи' \
         'reinforcement learning .*= обучение с подкреплением' 'supercomputer = суперкомпьютер' \
         'dataset .*= датасет \| набор данных'; do
    grep -qE "^$e" "$NS_TOP/glossary/en-ru.txt" || fail "no entry /$e/"
done
# without $NS_BUILD the checker looks for build/nsearch; with a missing one it says so
set +e
/usr/bin/python3 "$NS_TOP/tests/glossary/check.py" --nsearch "$tmp/nowhere/nsearch" \
    "$NS_TOP/glossary/en-ru.txt" > /dev/null 2> "$tmp/err"
rc=$?
set -e
[ $rc -eq 2 ] && grep -q "nowhere/nsearch is missing: build nsearch first" "$tmp/err" \
    || fail "missing nsearch: exit $rc, $(cat "$tmp/err")"

# ---- one rule at a time -----------------------------------------------------------------
good='neural network = нейросеть
# a comment
   
translation = перевод | перевести
reinforcement learning = обучение с подкреплением'
printf '%s\n' "$good" > "$g"
expect 0 '' --min-entries 3
expect 1 'g.txt: 3 entries, at least 400 wanted'

# Every rule at once: each line below breaks one rule and must be reported with its line
# number and the rule; the good lines above them stay silent. One run of the checker.
: > "$tmp/want"
bad() {
    printf '%s\n' "$1" >> "$g"
    printf 'g.txt:%d: .*%s\n' "$(wc -l < "$g")" "$2" >> "$tmp/want"
}
bad 'machine learning' "exactly one '=', this line has 0"
bad 'a = b = c' "exactly one '=', this line has 2"
bad ' = машинное обучение' "no English form before the '='"
bad 'machine learning = ' "no Russian form after the '='"
bad 'machine learning || ML = машинное обучение' 'an empty English form'
bad 'machine learning = машинное обучение |' 'an empty Russian form'
bad 'a | b | c | d | e | f | g | h | i = машинное обучение' '9 English forms, at most 8'
bad 'one two three four five six seven = машинное обучение' 'has 7 words, at most 6'
bad 'machine  learning = машинное обучение' 'words are separated by one space'
bad 'C++ = язык' "U\\+002B PLUS SIGN is not allowed in a form"
bad 'supercomputer, cluster = суперкомпьютер' 'U\+002C COMMA is not allowed'
bad 'machine learning = машинное обучение / МО' 'U\+002F SOLIDUS'
bad 'нейросеть = нейросеть' "English form 'нейросеть' has the cyrillic letter"
bad 'dataset = dataset' "Russian form 'dataset' has the latin letter"
bad 'GPU = GPU-ускоритель' "Russian form 'GPU-ускоритель' has the latin letter"
bad 'alpha = альфа | α' "Russian form 'α' has the other letter U\\+03B1 GREEK SMALL LETTER ALPHA"
bad 'GPT 3 = модель' "the word '3' has no letter"
bad '-net = сеть' "the word '-net' starts or ends with '-'"
bad 'the = модель' "'the' is only stopwords: it gives no term to match"
bad 'model = и' "'и' is only stopwords"
bad 'the model = модель' "'the model' starts with the stopword 'the'"
bad 'learning with = обучение с' "'learning with' ends with the stopword 'with'"
bad 'neural networks = нейросетевой' "'neural networks' is the same on stems as 'neural network' on line 1 \(neural network\)"
bad 'machine translation = машинный перевод | машинного перевода' "'машинного перевода' is the same on stems as 'машинный перевод' on the same line \(машин перевод\)"
bad 'self driving | self-driving = беспилотный' "'self-driving' is the same on stems as 'self driving' on the same line"
# с and без are stopwords: to the analyser these are one phrase
printf '%s\n' 'unsupervised learning = обучение без учителя' >> "$g"
bad 'supervised learning = обучение с учителем' "'обучение с учителем' is the same on stems as 'обучение без учителя' on line $(wc -l < "$g")"
bad 'Google = Гугл' "'Google' is the vendor name 'Google' \(Google in vendors/vendors.txt\)"
bad 'search giant = Яндекс' "'Яндекс' is the vendor name 'Яндекс' \(Yandex"
bad "$(printf 'word = %s' "$(head -c 1200 /dev/zero | tr '\0' 'a')")" 'the line is 1207 bytes, at most 1000'
bad "w = $(printf 'я%.0s' $(seq 41))" 'is a word of 41 characters, at most 40'
bad "$(printf 'tab\t= таб')" 'control or invisible character U\+0009'
bad "$(printf 'soh\001 = ноль')" 'control or invisible character U\+0001'
bad "$(printf 'zero\342\200\213width = ноль')" 'U\+200B ZERO WIDTH SPACE'
bad "$(printf 'no\302\240break = пробел')" 'U\+00A0 NO-BREAK SPACE: use a plain space'
bad "$(printf 'bad \377\376 utf8 = байты')" 'invalid UTF-8 at byte 5 of the line'
expect 1 'g.txt:6: ' --min-entries 1
while IFS= read -r pat; do
    grep -qE -- "$pat" "$tmp/err" || fail "no /$pat/ in: $(cat "$tmp/err")"
done < "$tmp/want"
if grep -qE 'g.txt:[1-5]: ' "$tmp/err"; then fail "a good line refused: $(cat "$tmp/err")"; fi
nerr=$(sed -n 's/.* \([0-9]*\) errors$/\1/p' "$tmp/out")
[ "${nerr:-0}" -ge "$(wc -l < "$tmp/want")" ] || fail "$(cat "$tmp/out")"

# another vendor table (--vendors), whose alias holds a number: still one text an alias
printf '%s\n' '# test vendors' 'Zeta Labs | Zeta 000 | Зета' > "$tmp/vendors.txt"
printf '%s\n' "$good" 'zeta labs = лаборатория Зета' 'zeta = зета' > "$g"
expect 1 "g.txt:6: 'zeta labs' is the vendor name 'Zeta Labs' \(Zeta Labs in $tmp/vendors.txt\)" --min-entries 1 --vendors "$tmp/vendors.txt"
grep -q "g.txt:7: 'зета' is the vendor name 'Зета'" "$tmp/err" || fail "vendors: $(cat "$tmp/err")"

# ---- what an editor or a careless copy does to the file ---------------------------------
printf '%s\r\n' 'neural network = нейросеть' 'translation = перевод' > "$g"
expect 1 'g.txt:1: control or invisible character U\+000D .*save the file with LF line ends' --min-entries 1
printf '\357\273\277neural network = нейросеть\n' > "$g"
expect 1 'g.txt:1: .*U\+FEFF .*byte-order mark' --min-entries 1
printf 'neural network = нейросеть' > "$g"          # no final newline: fine
expect 0 '' --min-entries 1
: > "$g"
expect 1 'g.txt: 0 entries, at least 1 wanted' --min-entries 1
printf '%s\n' "$good" | iconv -f UTF-8 -t KOI8-R > "$g"   # a Russian legacy encoding
expect 1 'g.txt:1: invalid UTF-8 at byte 18 of the line' --min-entries 1
{ printf 'neural network = нейросеть\n'; printf 'null\000byte = ноль\n'; } > "$g"  # NUL
expect 1 'g.txt:2: control or invisible character U\+0000' --min-entries 1
set +e
check "$tmp" > /dev/null 2> "$tmp/err0"; rc0=$?
check "$tmp/gone" > /dev/null 2> "$tmp/err"; rc=$?
check --no-such-option "$g" > /dev/null 2> "$tmp/err2"; rc2=$?
set -e
[ $rc0 -eq 2 ] && grep -q "check.py: $tmp is a directory, not a glossary file" "$tmp/err0" \
    || fail "a directory: exit $rc0, $(cat "$tmp/err0")"
[ $rc -eq 2 ] && grep -q "check.py: $tmp/gone: No such file or directory" "$tmp/err" \
    || fail "missing file: exit $rc, $(cat "$tmp/err")"
[ $rc2 -eq 2 ] && grep -q "unrecognized arguments: --no-such-option" "$tmp/err2" \
    || fail "bad option: exit $rc2, $(cat "$tmp/err2")"

# ---- hostile files ----------------------------------------------------------------------
head -c 17000000 /dev/zero > "$g"                  # over 16 MiB: refused before reading on
expect 2 'g.txt is over 16 MiB: not a glossary'
# binary (the same 200 kB of noise each run): one message a bad line, 100 shown and a count
/usr/bin/python3 -c 'import random, sys; random.seed(14); sys.stdout.buffer.write(random.randbytes(200000))' > "$g"
expect 1 'g.txt:[0-9]+: ' --min-entries 1
[ "$(wc -l < "$tmp/err")" -eq 101 ] && grep -qE '^.*g.txt: \.\.\. and [0-9]+ more errors$' "$tmp/err" \
    || fail "binary file: $(wc -l < "$tmp/err") lines, $(tail -n 1 "$tmp/err")"
# the same entry 20,000 times: 19,999 duplicates reported as 100 and a count, in one analyser run
awk 'BEGIN { for (i = 0; i < 20000; i++) print "neural network = нейросеть" }' > "$g"
start=$(date +%s)
expect 1 "g.txt:2: 'neural network' is the same on stems as 'neural network' on line 1" --min-entries 1
grep -q '\.\.\. and 39898 more errors$' "$tmp/err" && grep -q 'g.txt: 20000 entries, 40000 forms, 39998 errors' "$tmp/out" \
    || fail "repeats: $(tail -n 1 "$tmp/err") $(cat "$tmp/out")"
[ $(( $(date +%s) - start )) -lt 60 ] || fail "20,000 repeats took over a minute"
# the checker only reads: the files it was given are as they were
cksum "$g" > "$tmp/sum1"
check --min-entries 1 "$g" > /dev/null 2>&1 || true
cksum "$g" | cmp -s - "$tmp/sum1" || fail "the checker changed its input"
echo "glossary: $n entries; every rule refused"
