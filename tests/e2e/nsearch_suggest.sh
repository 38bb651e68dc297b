#!/bin/sh
# Did you mean, the wrong keyboard layout, and disjunctive facets (issue 14):
# suggestions in both languages from the index's own words, a layout fix in
# each direction, the suggestion's results shown (and said so) when the
# query finds nothing, on the CLI, in JSON and on the web page; facet counts
# checked against counts made from the articles' front matter by a script.
. "$NS_TOP/tests/e2e/nsearch_common"
command -v python3 > /dev/null || fail "python3 is needed"

# sugg QUERY WANT LAYOUT: JSON has suggestion WANT with layout LAYOUT, the
# suggestion's results are shown (the query found nothing: exit 1) and they
# are exactly what WANT finds.
sugg() {
    expect_status 1 ns --json -n 100 "$1"
    jq -e --arg w "$2" --argjson l "$3" \
        '.suggestion == $w and .layout == $l and .showing_suggestion == true and .total > 0' \
        "$tmp/out" > /dev/null || fail "'$1': $(cat "$tmp/out")"
    jq -r '.results[].id' "$tmp/out" | sort > "$tmp/shown"
    listed "$2" > "$tmp/want"
    cmp -s "$tmp/shown" "$tmp/want" || fail "'$1' shows other results than '$2'"
}
sugg transformr transformer false                 # English, a letter missing
sugg нейрость нейросеть false                     # Russian, a letter missing
sugg "нейросеьт обучние" "нейросеть обучение" false  # two words: a swap and a deletion
sugg ytqhjctnm нейросеть true                     # Russian typed on QWERTY
sugg "ьфсршту дуфктштп" "machine learning" true   # English typed on ЙЦУКЕН

# the text output says whose results these are
expect_status 1 ns ytqhjctnm
grep -q 'No results for "ytqhjctnm" (typed in the other keyboard layout?)' "$tmp/out" &&
    grep -q 'results for "нейросеть" instead' "$tmp/out" || fail "text: $(cat "$tmp/out")"

# a query with results gets no suggestion; a word with no correction none
expect_status 0 ns --json gpt3
jq -e '.suggestion == null and .layout == false and .showing_suggestion == false' "$tmp/out" \
    > /dev/null || fail "suggestion for a good query: $(cat "$tmp/out")"
expect_status 1 ns --json qqqqzzzzxxxx
jq -e '.suggestion == null and .total == 0' "$tmp/out" > /dev/null ||
    fail "suggestion from nothing: $(cat "$tmp/out")"
# a suggestion keeps the query's filters, and is offered only if it finds
# something with them: no Russian article says "learning" (in English)
expect_status 1 ns --json lerning lang:en
jq -e '.suggestion == "learning lang:en" and .total > 0' "$tmp/out" > /dev/null ||
    fail "suggestion with a filter: $(cat "$tmp/out")"
# (the words as typed: a suggestion is checked on its own words, not their translations)
[ "$(total --no-cross learning lang:ru)" = 0 ] || fail "the corpus changed: learning lang:ru finds articles"
expect_status 1 ns --json lerning lang:ru
jq -e '.suggestion == null and .total == 0' "$tmp/out" > /dev/null ||
    fail "a suggestion that finds nothing was offered: $(cat "$tmp/out")"

# the web page: "Showing results for X; search instead for Y", and as_typed
cgi() { QUERY_STRING=$1 REQUEST_METHOD=GET NSEARCH_DB=$db "$NS_BUILD/nsearch.cgi" > "$tmp/page"; }
cgi 'q=ytqhjctnm'
grep -q 'id="suggestion" data-showing="1" data-layout="1">.*Showing results for <strong>нейросеть</strong>; search instead for <a href="[^"]*as_typed=1">ytqhjctnm</a>' "$tmp/page" ||
    fail "web: no 'showing results for': $(grep -n suggestion "$tmp/page")"
grep -q '<li class="hit">' "$tmp/page" || fail "web: the suggestion's results are not shown"
cgi 'q=ytqhjctnm&as_typed=1'
grep -q 'Did you mean (keyboard layout): <a href="[^"]*">нейросеть</a>?' "$tmp/page" ||
    fail "web as_typed: $(grep -n suggestion "$tmp/page")"
! grep -q '<li class="hit">' "$tmp/page" || fail "web as_typed shows results"

# ---- disjunctive facets against the front matter ----
# expect QUERY: nsearch's facets for QUERY (words, vendor: and month:
# filters) against counts made by facets.py from the front matter of the
# articles in DIR that have every word.
facets_py=$tmp/facets.py
cat > "$facets_py" <<'PY'
import json, os, re, sys
root, query = sys.argv[1], sys.argv[2].split()
words = [w for w in query if ':' not in w]
vend = [w.split(':', 1)[1].lower() for w in query if w.startswith('vendor:')]
mon = [w.split(':', 1)[1] for w in query if w.startswith('month:')]
lang = [w.split(':', 1)[1] for w in query if w.startswith('lang:')]
arts = []
for d, _, fs in os.walk(root):
    for f in fs:
        if not f.endswith('.md'):
            continue
        t = open(os.path.join(d, f), encoding='utf-8').read()
        fm, body = t.split('---\n', 2)[1:]
        get = lambda k: (re.search(r'^%s:\s*(.*)$' % k, fm, re.M) or [None, ''])[1].strip()
        arts.append({'month': get('date')[:7], 'lang': get('lang'),
                     'vendors': [v.strip() for v in get('vendors').strip('[]').split(',') if v.strip()],
                     'text': (get('title') + ' ' + body).lower()})
def ok(a, skip):
    return (all(re.search(r'\b%s\b' % w, a['text']) for w in words)
            and ('v' in skip or not vend or any(v.lower() in vend for v in a['vendors']))
            and ('m' in skip or not mon or a['month'] in mon)
            and (not lang or a['lang'] in lang))
def count(key, skip):
    c = {}
    for a in arts:
        if ok(a, skip):
            for k in (a['vendors'] if key == 'vendor' else [a['month']]):
                c[k] = c.get(k, 0) + 1
    return c
print(json.dumps({'total': sum(ok(a, '') for a in arts),
                  'vendor': count('vendor', 'v'), 'month': count('month', 'm'),
                  'disjunctive': {'vendor': bool(vend), 'month': bool(mon)}}, sort_keys=True))
PY
expect() {
    dir=$1; shift
    python3 "$facets_py" "$dir" "$*" > "$tmp/want.json"
    ns --json -n 0 "$@" | jq -S -c '{total, vendor: .facets.vendor, month: .facets.month,
        disjunctive: .facets_disjunctive}' > "$tmp/got.json"
    jq -S -c . "$tmp/want.json" > "$tmp/want2.json"
    cmp -s "$tmp/want2.json" "$tmp/got.json" ||
        fail "facets of '$*': got $(cat "$tmp/got.json"), front matter says $(cat "$tmp/want2.json")"
}
# corpus/: month counts with a month filter are every month's (and with lang:
# the language's); vendors there are also found in the text, so the bundled
# corpus checks months only
python3 "$facets_py" "$tmp/corpus" "month:2020-10" | jq -S -c .month > "$tmp/want.json"
ns --json -n 0 month:2020-10 | jq -S -c .facets.month > "$tmp/got.json"
cmp -s "$tmp/want.json" "$tmp/got.json" || fail "months of month:2020-10: $(cat "$tmp/got.json") vs $(cat "$tmp/want.json")"
python3 "$facets_py" "$tmp/corpus" "lang:ru month:2020-10" | jq -S -c .month > "$tmp/want.json"
ns --json -n 0 lang:ru month:2020-10 | jq -S -c .facets.month > "$tmp/got.json"
cmp -s "$tmp/want.json" "$tmp/got.json" || fail "months of lang:ru month:2020-10: $(cat "$tmp/got.json") vs $(cat "$tmp/want.json")"

# an archive whose vendors are only in the front matter: every count checkable
fm=$tmp/fm
mkdir -p "$fm"
i=0
for spec in "Google 2020-10 alpha" "Google 2020-10 alpha beta" "Google,Nvidia 2020-11 alpha" \
            "Nvidia 2020-10 alpha" "Nvidia 2020-12 beta" "OpenAI 2020-10 alpha" \
            "OpenAI,Google 2020-12 alpha" "Yandex 2020-11 alpha beta" "Yandex 2020-10 beta" \
            "Google 2020-11 beta" "Nvidia,OpenAI 2020-10 alpha" "Yandex 2020-12 alpha"; do
    i=$((i + 1))
    set -- $spec
    printf -- '---\ntitle: "Report %s"\ndate: %s-0%d\nlang: en\nvendors: [%s]\n---\n\n%s report number %s about plain things.\n' \
        "$i" "$2" $((i % 9 + 1)) "$(echo "$1" | sed 's/,/, /g')" "$3${4:+ $4}" "$i" > "$fm/a$i.md"
done
db=$tmp/fmdb
"$NS_BUILD/nindex" --db "$db" "$fm" > "$tmp/nindex2.out" || fail "nindex of the front-matter archive"
expect "$fm" alpha
expect "$fm" alpha vendor:Google
expect "$fm" alpha vendor:Google month:2020-10
expect "$fm" vendor:Google vendor:Nvidia
expect "$fm" beta month:2020-11 month:2020-12
expect "$fm" vendor:Yandex month:2020-10
[ "$(jq -c .vendor "$tmp/got.json")" = '{"Google":2,"Nvidia":2,"OpenAI":2,"Yandex":1}' ] ||
    fail "the front-matter archive changed: $(cat "$tmp/got.json")"
# the web page lists the other vendors with those counts, each link adding it (OR)
cgi 'q=alpha&vendor=Google'
grep -q 'id="facet-vendor-or"' "$tmp/page" || fail "web: no OR hint"
n=$(python3 "$facets_py" "$fm" "alpha vendor:Google" | jq '.vendor.Nvidia')
grep -q "<li><a href=\"?q=alpha&amp;vendor=Google&amp;vendor=Nvidia\">Nvidia</a> <span class=\"n\">$n</span></li>" "$tmp/page" ||
    fail "web: Nvidia's count is not $n or its link does not add it: $(grep -n Nvidia "$tmp/page")"
# a long-running searcher keeps the counts over every article between
# queries of only filters, and counts again when the database changes
mkfifo "$tmp/in"
ns --batch --jobs 1 < "$tmp/in" > "$tmp/bout" &
bpid=$!
exec 3> "$tmp/in"
echo "vendor:Google" >&3
for _ in $(seq 100); do [ -s "$tmp/bout" ] && break; sleep 0.1; done
printf -- '---\ntitle: "Gamma"\ndate: 2021-02-05\nlang: en\nvendors: [Nvidia]\n---\n\nGamma.\n' > "$fm/gamma.md"
"$NS_BUILD/nindex" --db "$db" "$fm" > "$tmp/nindex4.out" || fail "incremental nindex"
echo "vendor:Google" >&3
exec 3>&-
wait "$bpid" || fail "--batch failed"
[ "$(sed -n 1p "$tmp/bout" | jq -c '[.facets.vendor.Nvidia, .facets.month["2021-02"]]')" = '[4,null]' ] &&
    [ "$(sed -n 2p "$tmp/bout" | jq -c '[.facets.vendor.Nvidia, .facets_disjunctive.vendor]')" = '[5,true]' ] ||
    fail "counts over every article not renewed after a commit: $(cat "$tmp/bout")"

# an incremental run that adds an article rewrites the dictionary: its new
# word is suggested at once
printf -- '---\ntitle: "Quokkaphone"\ndate: 2021-01-05\nlang: en\nvendors: [Google]\n---\n\nThe quokkaphone plays.\n' > "$fm/new.md"
"$NS_BUILD/nindex" --db "$db" "$fm" > "$tmp/nindex3.out" || fail "incremental nindex"
grep -q 'added 1,' "$tmp/nindex3.out" || fail "not incremental: $(cat "$tmp/nindex3.out")"
expect_status 1 ns --json quokaphone
jq -e '.suggestion == "quokkaphone" and .showing_suggestion and .total == 1' "$tmp/out" > /dev/null ||
    fail "new word not suggested: $(cat "$tmp/out")"
echo ok
