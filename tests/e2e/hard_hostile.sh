#!/bin/sh
# hard_hostile.sh: hostile HTTP against nsearch.cgi (FastCGI under lighttpd):
# every query string of tests/e2e/hostile_requests.txt (XSS payloads, attribute
# breakers, javascript: urls, UTF-7, overlong UTF-8, NUL, CRLF, very long
# values in every parameter), against a corpus with hostile titles, urls and
# vendors. Only 200 or 400; nothing from input unescaped (<script, <svg, <img,
# on*= handlers); no javascript:/data: link; no header injection; JSON parses.
. "$(dirname "$0")/hard_common"
cp -R "$NS_TOP/corpus" "$tmp/corpus"
mkdir -p "$tmp/corpus/hostile"
i=0
while IFS='|' read -r title url vendor; do
    i=$((i + 1))
    cat > "$tmp/corpus/hostile/h$i.md" <<ART
---
title: '$title'
date: 2020-10-$(printf %02d $((i % 28 + 1)))
url: '$url'
vendors: ['$vendor', OpenAI]
---

The xsshostile article $i: $title and [a link]($url) with <script>alert($i)</script> in the body,
<img src=x onerror=alert($i)> and "><svg onload=alert($i)> as raw HTML.
ART
done <<'LIST'
<script>alert(1)</script>|javascript:alert(1)|<script>alert(1)</script>
"><svg onload=alert(2)>| jAvAsCrIpT:alert(2)|"><svg onload=alert(2)>
<img src=x onerror=alert(3)>|JAVASCRIPT:alert(3)|<img src=x onerror=alert(3)>
+ADw-script+AD4-alert(4)+ADw-/script+AD4-|data:text/html,<script>alert(4)</script>|+ADw-script+AD4-
" onmouseover="alert(5)|java	script:alert(5)|" onmouseover="alert(5)
</title><script>alert(6)</script>|vbscript:msgbox(6)|</a><script>
<a href="javascript:alert(7)">x</a>|http://example.com/"><script>alert(7)</script>|<b>bold</b>
LIST
"$nindex" --db "$tmp/db" "$tmp/corpus" > "$tmp/nindex.out" 2> "$tmp/nindex.err" || true
grep -q 'failed 0$' "$tmp/nindex.out" || fail "hostile corpus: $(tail -n 1 "$tmp/nindex.out"): $(cat "$tmp/nindex.err")"
start_web "$tmp/db"

# one curl for the whole list (a process per request would take a minute)
mkdir -p "$tmp/b" "$tmp/h"
n=0
: > "$tmp/curl.cfg"
while IFS= read -r line; do
    case $line in '#'*|'') continue ;; esac
    n=$((n + 1))
    printf '%s\n' "$line" > "$tmp/b/$n.req"
    printf 'url = "%s/search?%s"\noutput = "%s/b/%d"\ndump-header = "%s/h/%d"\nwrite-out = "%d %%{http_code} %%{content_type}\\n"\npath-as-is\nmax-time = 10\nsilent\nnext\n' \
        "$base" "$(printf '%s' "$line" | sed 's/\\/\\\\/g; s/"/\\"/g')" "$tmp" $n "$tmp" $n $n >> "$tmp/curl.cfg"
done < "$(dirname "$0")/hostile_requests.txt"
sed -i '$d' "$tmp/curl.cfg" # no "next" after the last request
curl -K "$tmp/curl.cfg" > "$tmp/codes" 2> "$tmp/curl.err" || fail "curl: $(head -n 3 "$tmp/curl.err")"
[ "$(wc -l < "$tmp/codes")" = $n ] || fail "$(wc -l < "$tmp/codes") answers for $n requests"
n200=0 n400=0
: > "$tmp/html.all"
while read -r k code ctype; do
    line=$(cat "$tmp/b/$k.req")
    case $code in
        200) n200=$((n200 + 1)) ;;
        400) n400=$((n400 + 1)) ;;
        *) fail "status $code for: $line ($(tail -n 3 "$tmp/error.log"))" ;;
    esac
    case $ctype in
        *json*) jq -e . "$tmp/b/$k" > /dev/null 2>&1 || fail "JSON does not parse for: $line" ;;
        *html*) tail -c 20 "$tmp/b/$k" | grep -q '</html>' || fail "incomplete page for: $line"
                cat "$tmp/b/$k" >> "$tmp/html.all" ;;
        *) cat "$tmp/b/$k" >> "$tmp/html.all" ;;
    esac
done < "$tmp/codes"
# every answer, together: no tag or link from input, no injected header
safe_body "$tmp/html.all" "hostile requests (see $tmp/b)"
! grep -qil '^set-cookie' "$tmp/h"/* || fail "header injection: $(grep -il '^set-cookie' "$tmp/h"/* | head -n 1)"

# the hostile articles are found, shown escaped, and none of their urls is a link
for q in q=xsshostile 'q=xsshostile&format=json' 'q=xsshostile&sort=date&page=1' q=alert; do
    code=$(curl -s -o "$tmp/body" -w '%{http_code}' --max-time 10 "$base/search?$q")
    [ "$code" = 200 ] || fail "status $code for $q"
    safe_body "$tmp/body" "hostile corpus: $q"
    grep -q 'xsshostile' "$tmp/body" || grep -q 'alert' "$tmp/body" || fail "hostile articles not found for $q: $(head -c 600 "$tmp/body")"
done
curl -s --max-time 10 "$base/search?q=xsshostile" > "$tmp/body"
grep -q '&lt;script&gt;' "$tmp/body" || fail "titles are not shown escaped"
# the same through the command line (JSON carries text, the HTML snippet is escaped)
"$nsearch" --db "$tmp/db" --json -n 50 xsshostile > "$tmp/json" || fail "nsearch --json"
jq -e '.total >= 7' "$tmp/json" > /dev/null || fail "nsearch finds $(jq .total "$tmp/json") hostile articles"
jq -r '.results[].snippet_html' "$tmp/json" > "$tmp/snips"
safe_body "$tmp/snips" "snippet_html"
echo "ok: $n hostile requests ($n200 x 200, $n400 x 400), 7 hostile articles"
