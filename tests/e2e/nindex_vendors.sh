#!/bin/sh
# nindex_vendors.sh: vendors through the vendor table: front-matter names are
# canonicalised (Сбер -> Sberbank), names in the title and body are detected in
# any case and Russian inflection (Яндексом -> Yandex), whole words only; the
# filter terms (XV, XM, L) and the facet value (month, language, vendors) follow src/schema.h.
. "$NS_TOP/tests/e2e/nindex_common"
c=$tmp/c
mkdir -p "$c"
# postings: the sorted ids (Q terms) of the documents indexing term $1
ids() {
    for d in $(xapian-delve -1 -t "$1" "$db" | sed 1d); do
        xapian-delve -1 -r "$d" "$db" | sed -n 's/^Q//p'
    done | sort | tr '\n' ' '
}

cat > "$c/ru-yandex.md" <<'A'
---
title: Новые беспилотники
date: 2020-10-05
---
Беспилотные автомобили, созданные Яндексом, проехали миллион километров.
A
cat > "$c/ru-sber.md" <<'A'
---
title: Языковая модель
date: 2020-10-22
vendors: [Сбер]
---
Модель обучена на русских текстах.
A
cat > "$c/en-multi.md" <<'A'
---
title: NVIDIA and Hugging Face team up
date: 2020-11-02
vendors: openai
---
Engineers from **Сбербанка** and [GOOGLE](https://deepmind.com/) met.
A
cat > "$c/en-none.md" <<'A'
---
title: A visit to the Googleplex
date: 2020-12-01
lang: en
---
The link [here](https://openai.com/blog) names nobody; code `yandexoid()` neither.
A

"$nindex" --db "$db" "$c" > "$tmp/out" 2> "$tmp/err" || fail "exit $?: $(cat "$tmp/err")"
[ ! -s "$tmp/err" ] || fail "stderr: $(cat "$tmp/err")"

[ "$(ids XVyandex)" = "ru-yandex " ] || fail "XVyandex: '$(ids XVyandex)'"
[ "$(ids XVsberbank)" = "en-multi ru-sber " ] || fail "XVsberbank: '$(ids XVsberbank)'"
[ "$(ids XVopenai)" = "en-multi " ] || fail "XVopenai: '$(ids XVopenai)'"
[ "$(ids XVnvidia)" = "en-multi " ] || fail "XVnvidia: '$(ids XVnvidia)'"
[ "$(ids "XVhugging face")" = "en-multi " ] || fail "XVhugging face: '$(ids "XVhugging face")'"
[ "$(ids XVgoogle)" = "en-multi " ] || fail "XVgoogle (link text): '$(ids XVgoogle)'"
[ "$(ids XVdeepmind)" = "" ] || fail "link target detected as a vendor"

# month, language, date and facet values
[ "$(ids XM2020-10)" = "ru-sber ru-yandex " ] || fail "XM2020-10: '$(ids XM2020-10)'"
[ "$(ids Lru)" = "ru-sber ru-yandex " ] || fail "Lru: '$(ids Lru)'"
[ "$(ids Len)" = "en-multi en-none " ] || fail "Len: '$(ids Len)'"
d=$(xapian-delve -1 -t Qen-multi "$db" | sed -n 2p)
vals=$(xapian-delve -r "$d" -V "$db")
printf '%s\n' "$vals" | grep -qF '0:20201102' || fail "date value: $vals"
# front matter first, then title, then body, in order of appearance
printf '%s\n' "$vals" | grep -qF '1:M2020-11\x0aLen\x0aVOpenAI\x0aVNvidia\x0aVHugging Face\x0aVSberbank\x0aVGoogle' ||
    fail "facet value: $vals"
# title terms weigh more than body terms (wdf NS_TITLE_WDF = 5)
xapian-delve -v -r "$d" "$db" | grep -q ' nvidia 5 ' || fail "title wdf: $(xapian-delve -v -r "$d" "$db")"
echo ok
