#!/bin/sh
# web_browser.sh: the search page in a real browser. Headless Chromium, driven
# through chromedriver's WebDriver HTTP API with curl and jq, against
# nsearch.cgi as CGI under lighttpd (deploy/lighttpd-cgi.conf): type a Russian and
# an English query into the box, submit, check the rendered results, click a
# vendor facet and check every result has that vendor. Then issue 17's page at
# 1280 and 390 px: every title opens (NSEARCH_PERMALINK), the landing page
# (focused, labelled box, examples, newest articles), the phone's one "Filters"
# control above the results, tap targets of 24 px, and axe-core (from npm,
# installed into $NS_AXE_DIR, default $NS_BUILD/npm; NS_AXE=0 skips it) on the
# landing, results (English and Russian), filtered, empty and error pages: no
# WCAG 2.1 A/AA violation.
# NS_SCREENSHOT=1 saves screenshots: docs/screenshot.png (the README's) and
# docs/screenshots/{desktop,phone}-{en,ru}-{landing,results}.png.
# run-once
set -eu
: "${NS_BUILD:?}" "${NS_TOP:?}"
cgi=$NS_BUILD/nsearch.cgi
[ -x "$cgi" ] || { echo "FAIL: $cgi not built"; exit 1; }
for tool in lighttpd chromedriver chromium jq curl; do
    command -v $tool >/dev/null || { echo "FAIL: $tool is not installed (scripts/setup.sh test)"; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsearch-browser.XXXXXX")
server= driver= wd= sid=
cleanup() {
    if [ -n "$sid" ] && [ -n "$wd" ]; then
        curl -s --max-time 5 -X DELETE "$wd/session/$sid" > /dev/null 2>&1 || true
    fi
    for p in $driver $server; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
    echo "FAIL: $*"
    [ -f "$tmp/resp" ] && { echo "--- last WebDriver answer:"; head -c 800 "$tmp/resp"; echo; }
    [ -f "$tmp/driver.log" ] && { echo "--- chromedriver:"; tail -n 10 "$tmp/driver.log"; }
    exit 1
}

port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
free_port() {
    p=$1
    while ! port_free "$p"; do p=$((p + 1)); done
    echo "$p"
}

# ---- database and web server -------------------------------------------------------------
mkdir -p "$tmp/www"
"$NS_BUILD/nindex" --db "$tmp/db" "$NS_TOP/corpus" > "$tmp/nindex.out" 2>&1 || fail "nindex failed"
port=$(free_port $((20000 + $$ % 10000)))
cat > "$tmp/lighttpd.conf" <<EOF
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$tmp/www"
server.errorlog = "$tmp/error.log"
var.nsearch_bin = "$cgi"
var.nsearch_db = "$tmp/db"
var.nsearch_base_url = "http://127.0.0.1:$port"
var.nsearch_permalink = "http://127.0.0.1:$port/blog/{id}/"
include "$NS_TOP/deploy/lighttpd-cgi.conf"
EOF
lighttpd -D -f "$tmp/lighttpd.conf" > "$tmp/lighttpd.out" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
i=0
until curl -s -o /dev/null --max-time 2 "$base/search"; do
    i=$((i + 1))
    [ $i -lt 50 ] && kill -0 "$server" 2>/dev/null || fail "lighttpd did not start: $(cat "$tmp/lighttpd.out")"
    sleep 0.1
done

# ---- chromedriver and a headless Chromium session ---------------------------------------------
dport=$(free_port $((port + 1)))
chromedriver --port="$dport" > "$tmp/driver.log" 2>&1 &
driver=$!
wd="http://127.0.0.1:$dport"
i=0
until curl -s --max-time 2 "$wd/status" 2>/dev/null | jq -e '.value.ready' > /dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 100 ] && kill -0 "$driver" 2>/dev/null || fail "chromedriver did not start"
    sleep 0.1
done

# wd METHOD PATH [JSON]: the WebDriver answer's "value" on stdout (also in $tmp/resp).
# An answer that is not JSON (chromedriver busy starting Chromium, or restarting
# it) is retried once after a second, then reported with what came back.
wd_call() {
    if [ $# -ge 3 ]; then
        curl -s --max-time 30 -X "$1" -H 'Content-Type: application/json' -d "$3" "$wd$2" > "$tmp/resp"
    else
        curl -s --max-time 30 -X "$1" "$wd$2" > "$tmp/resp"
    fi
}
wd() {
    if ! wd_call "$@" || ! jq -e . "$tmp/resp" > /dev/null 2>&1; then
        sleep 1
        wd_call "$@" || fail "WebDriver $1 $2: no answer"
        jq -e . "$tmp/resp" > /dev/null 2>&1 || fail "WebDriver $1 $2: the answer is not JSON"
    fi
    if jq -e '.value | type == "object" and has("error")' "$tmp/resp" > /dev/null 2>&1; then
        fail "WebDriver $1 $2: $(jq -r '.value.error + ": " + .value.message' "$tmp/resp" | head -n 1)"
    fi
    jq -c '.value' "$tmp/resp"
}
ELEM=element-6066-11e4-a52e-4f735466cecf
find1() { wd POST "/session/$sid/element" "$(jq -nc --arg v "$1" '{using: "css selector", value: $v}')" | jq -r ".\"$ELEM\""; }
findall() { wd POST "/session/$sid/elements" "$(jq -nc --arg v "$1" '{using: "css selector", value: $v}')" | jq -r ".[].\"$ELEM\""; }
text() { wd GET "/session/$sid/element/$1/text" | jq -r .; }
attr() { wd GET "/session/$sid/element/$1/attribute/$2" | jq -r .; }
click() { wd POST "/session/$sid/element/$1/click" '{}' > /dev/null; }
type_into() { wd POST "/session/$sid/element/$1/value" "$(jq -nc --arg t "$2" '{text: $t}')" > /dev/null; }
go() { wd POST "/session/$sid/url" "$(jq -nc --arg u "$1" '{url: $u}')" > /dev/null; }
current_url() { wd GET "/session/$sid/url" | jq -r .; }
wait_url() {  # wait_url SUBSTRING: until the page's URL contains it (5 s)
    i=0
    until current_url | grep -qF -- "$1"; do
        i=$((i + 1))
        [ $i -lt 50 ] || fail "page did not reach a URL with $1 (at $(current_url))"
        sleep 0.1
    done
}

caps=$(jq -nc --arg dir "$tmp/profile" '{capabilities: {alwaysMatch: {
    browserName: "chrome", pageLoadStrategy: "normal",
    timeouts: {pageLoad: 15000, script: 5000, implicit: 2000},
    "goog:chromeOptions": {binary: "/usr/bin/chromium", args: [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1280,1000", "--lang=en-US", "--user-data-dir=\($dir)"]}}}}')
# Starting Chromium is the step most likely to hiccup on a loaded machine: one
# more try before failing.
sid=$(wd POST /session "$caps" | jq -r '.sessionId') || sid=
if [ -z "$sid" ] || [ "$sid" = null ]; then
    sleep 2
    sid=$(wd POST /session "$caps" | jq -r '.sessionId') || sid=
fi
[ -n "$sid" ] && [ "$sid" != null ] || fail "no WebDriver session"

# search: type QUERY into the box on a fresh page and submit with the button
search() {
    go "$base/search"
    box=$(find1 '#q')
    [ -n "$box" ] || fail "no search box"
    type_into "$box" "$1"
    click "$(find1 '#go')"
    wait_url "q="
}

# ---- a Russian query --------------------------------------------------------------------------
search 'нейросеть'
[ "$(attr "$(find1 html)" lang)" = ru ] || fail "Russian query without Russian interface"
count=$(text "$(find1 '#count')")
echo "$count" | grep -q '^[0-9][0-9]* результат' || fail "Russian count: $count"
nhits=$(findall '#hits .hit' | wc -l)
[ "$nhits" -gt 0 ] || fail "no results for нейросеть"
[ "$(attr "$(find1 '#q')" value)" = 'нейросеть' ] || fail "the box lost the query"
findall '#hits mark' | grep -q . || fail "no highlighted words"
echo "ru: $count, $nhits on the page"

# ---- an English query -----------------------------------------------------------------------------
search 'GPT-3'
[ "$(attr "$(find1 html)" lang)" = en ] || fail "English query without English interface"
count=$(text "$(find1 '#count')")
echo "$count" | grep -q '^[0-9][0-9]* results' || fail "English count: $count"
[ "$(findall '#hits .hit' | wc -l)" -gt 0 ] || fail "no results for GPT-3"
title=$(text "$(find1 '#hits .hit h2')")
[ -n "$title" ] || fail "first result has no title"
echo "en: $count; first: $title"

# ---- click a vendor facet ----------------------------------------------------------------------------
facet=
for a in $(findall '#facet-vendor li a'); do
    facet=$a
    break
done
[ -n "$facet" ] || fail "no vendor facet"
vendor=$(text "$facet")
click "$facet"
wait_url "vendor="
echo "$(text "$(find1 '#filters')")" | grep -qF -- "$vendor" || fail "active filter $vendor not shown"
# every result's vendors, read in one round trip (WebDriver scripts are not page scripts:
# the page's CSP, which forbids scripts, does not apply to them)
wd POST "/session/$sid/execute/sync" '{"script": "return Array.from(document.querySelectorAll(\"#hits .hit\")).map(h => Array.from(h.querySelectorAll(\".vendor\")).map(v => v.textContent));", "args": []}' \
    > "$tmp/vendors.json"
n=$(jq length "$tmp/vendors.json")
[ "$n" -gt 0 ] || fail "no results after clicking $vendor"
[ "$(jq --arg v "$vendor" 'all(.[]; any(.[]; . == $v))' "$tmp/vendors.json")" = true ] ||
    fail "a result lacks vendor $vendor: $(cat "$tmp/vendors.json")"
echo "facet $vendor: $n results, all with $vendor: $(text "$(find1 '#count')")"
# the chosen entry is marked for screen readers, and its chip's button names it
[ "$(attr "$(find1 '#facet-vendor li.on a')" aria-current)" = true ] || fail "no aria-current on $vendor"
[ "$(attr "$(find1 '#filters .filter a')" aria-label)" = "Remove filter: $vendor" ] ||
    fail "the chip's button does not name $vendor"

if [ "${NS_SCREENSHOT:-0}" = 1 ]; then
    wd GET "/session/$sid/screenshot" | jq -r . | base64 -d > "$tmp/shot.png" || fail "screenshot"
    mkdir -p "$NS_TOP/docs"
    mv "$tmp/shot.png" "$NS_TOP/docs/screenshot.png"
    echo "saved $NS_TOP/docs/screenshot.png"
fi

# js SCRIPT: run a WebDriver script (not a page script: the page's CSP does not apply)
js() { wd POST "/session/$sid/execute/sync" "$(jq -nc --arg s "$1" '{script: $s, args: []}')"; }
size() { wd POST "/session/$sid/window/rect" "$(jq -nc --argjson w "$1" '{width: $w, height: 900}')" > /dev/null; }

# ---- every result opens ----------------------------------------------------------------------------
go "$base/search?q=model"
js 'return Array.from(document.querySelectorAll("#hits .hit h2")).map(h => { const a = h.querySelector("a"); return a ? a.getAttribute("href") : null; });' > "$tmp/links.json"
[ "$(jq 'length > 0 and all(.[]; . != null and startswith("'"$base"'/blog/"))' "$tmp/links.json")" = true ] ||
    fail "a title does not open its blog page: $(cat "$tmp/links.json")"
# page 2 counts from 11
go "$base/search?q=model&page=2"
text "$(find1 '#count')" | grep -q '^11–20 of [0-9]* results' || fail "page 2 count: $(text "$(find1 '#count')")"

# ---- a story told in both languages: once, with a link to the other telling -----------------------------
for w in 1280 390; do
    size $w
    go "$base/search?q=gpt-3"
    js 'return Array.from(document.querySelectorAll("#hits .hit")).map(h => { const a = h.querySelector("a.also"); return [h.querySelector("h2").textContent, a ? a.textContent : null, a ? a.getAttribute("hreflang") : null, a ? a.getBoundingClientRect().height : 0]; });' > "$tmp/also.json"
    jq -e 'any(.[]; .[0] == "Microsoft gets an exclusive license to GPT-3" and .[1] == "Also in Русский" and .[2] == "ru")' \
        "$tmp/also.json" > /dev/null || fail "at $w px, no link to the Russian telling: $(cat "$tmp/also.json")"
    jq -e 'all(.[]; .[0] | test("Microsoft получила") | not)' "$tmp/also.json" > /dev/null ||
        fail "at $w px, the Russian telling is listed too"
    # the link opens the other telling
    click "$(find1 '#hits a.also[hreflang=ru]')"
    case $(current_url) in "$base"/blog/ru/*) ;; *) fail "at $w px, the link opened $(current_url)" ;; esac
done
size 1280
# the Russian interface shows the Russian telling, the English one a link away
go "data:text/html;charset=utf-8;base64,$(curl -s -H 'Accept-Language: ru' "$base/search?q=gpt-3" | base64 -w0)"
js 'return Array.from(document.querySelectorAll("#hits a.also")).map(a => a.textContent);' > "$tmp/also-ru.json"
jq -e 'length > 0 and all(.[]; . == "Также на английском")' "$tmp/also-ru.json" > /dev/null ||
    fail "the Russian page's links to the other telling: $(cat "$tmp/also-ru.json")"

# ---- a query the parser refuses: plain words in the page's language, the query kept --------------------
search 'модель a*'
[ "$(attr "$(find1 html)" lang)" = ru ] || fail "the Russian refusal is not in Russian"
text "$(find1 '#error p')" | grep -qF 'Введите хотя бы две буквы перед *.' || fail "Russian refusal: $(text "$(find1 '#error p')")"
[ "$(attr "$(find1 '#q')" value)" = 'модель a*' ] || fail "the refusal lost the query"
search 'model a*'
text "$(find1 '#error p')" | grep -qF 'Type at least two letters before *.' || fail "English refusal: $(text "$(find1 '#error p')")"

# ---- the landing page -----------------------------------------------------------------------------------
go "$base/search"
[ "$(js 'return document.activeElement.id;')" = '"q"' ] || fail "the box has no focus on the landing page"
[ -n "$(text "$(find1 'label[for=q]')")" ] || fail "the box has no visible label"
[ "$(findall '#examples a' | wc -l)" -ge 3 ] || fail "no example queries"
[ "$(findall '#recent li' | wc -l)" -ge 3 ] || fail "no recent articles"
[ "$(findall '#browse-vendor a' | wc -l)" -ge 3 ] || fail "no vendors to browse"
click "$(find1 '#examples a')"
wait_url "q="
[ "$(findall '#hits .hit' | wc -l)" -gt 0 ] || fail "the first example finds nothing"

# ---- a phone: 390 px ---------------------------------------------------------------------------------------
size 390
go "$base/search?q=gpt-3"
js 'const f = document.querySelector(".fbtn").getBoundingClientRect(), c = document.querySelector("#count").getBoundingClientRect(); return [f.width > 0, f.top < c.top, getComputedStyle(document.querySelector(".fbody")).display];' > "$tmp/phone.json"
[ "$(jq -c . "$tmp/phone.json")" = '[true,true,"none"]' ] ||
    fail "at 390 px the filters are not one closed control above the results: $(cat "$tmp/phone.json")"
click "$(find1 '.fbtn')"
[ "$(js 'return getComputedStyle(document.querySelector(".fbody")).display;')" = '"block"' ] ||
    fail "the Filters control does not open"
[ "$(js 'return document.documentElement.scrollWidth <= window.innerWidth;')" = true ] ||
    fail "the page scrolls sideways at 390 px: $(js 'return document.documentElement.scrollWidth;')"
# tap targets: 24 x 24 px at least (WCAG 2.5.8), where they are not inline in a sentence
js 'return Array.from(document.querySelectorAll("button, .fbtn, ul.facet a, .filter a, nav.pages a, nav.pages strong")).map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && (r.width < 24 || r.height < 24)).length;' > "$tmp/small"
[ "$(cat "$tmp/small")" = 0 ] || fail "$(cat "$tmp/small") tap targets under 24 px at 390 px"
# the sort links stay on one line
[ "$(js 'return new Set(Array.from(document.querySelector(".sort").getClientRects()).map(r => Math.round(r.bottom))).size;')" = 1 ] ||
    fail "the sort links wrap"
size 1280

# ---- axe-core: no WCAG 2.1 A/AA violations --------------------------------------------------------------
if [ "${NS_AXE:-1}" != 0 ]; then
    axedir=${NS_AXE_DIR:-$NS_BUILD/npm}
    axe=$axedir/node_modules/axe-core/axe.min.js
    if [ ! -f "$axe" ]; then
        command -v npm > /dev/null || fail "npm is not installed (scripts/setup.sh test), or NS_AXE=0"
        mkdir -p "$axedir"
        npm install --no-audit --no-fund --prefix "$axedir" "axe-core@$(sed -n 's/^NPM_TEST_AXE=//p' "$NS_TOP/scripts/packages.sh")" \
            > "$tmp/npm.out" 2>&1 || fail "npm install axe-core: $(tail -n 5 "$tmp/npm.out")"
    fi
    # the whole of axe and the call in one async WebDriver script (the page's CSP forbids eval)
    { cat "$axe"; printf '\n;axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => arguments[arguments.length - 1](r.violations.map(v => v.id + " (" + v.impact + ", " + v.nodes.length + "): " + v.help + " at " + v.nodes[0].target.join(" "))), e => arguments[arguments.length - 1](["axe failed: " + e]));\n'; } > "$tmp/axe.js"
    jq -Rsc '{script: ., args: []}' "$tmp/axe.js" > "$tmp/axe.json"
    # axe takes seconds on a loaded machine: longer than the session's 5 s for scripts
    wd POST "/session/$sid/timeouts" '{"script": 120000}' > /dev/null
    axe_check() {  # axe_check NAME URL [WIDTH]
        size "${3:-1280}"
        go "$2"
        curl -s --max-time 150 -X POST -H 'Content-Type: application/json' -d @"$tmp/axe.json" \
            "$wd/session/$sid/execute/async" > "$tmp/resp"
        jq -e '.value | type == "array"' "$tmp/resp" > /dev/null || fail "axe on $1: $(head -c 300 "$tmp/resp")"
        [ "$(jq '.value | length' "$tmp/resp")" = 0 ] || fail "axe on $1 ($2): $(jq -r '.value[]' "$tmp/resp")"
        echo "axe $1${3:+ at $3 px}: no violations"
    }
    # axe can fail: an image without alt text on a page of its own is one violation
    go "data:text/html;charset=utf-8,%3C!DOCTYPE html%3E%3Chtml lang=en%3E%3Ctitle%3Ex%3C/title%3E%3Cimg src=x%3E"
    curl -s --max-time 150 -X POST -H 'Content-Type: application/json' -d @"$tmp/axe.json" \
        "$wd/session/$sid/execute/async" > "$tmp/resp"
    jq -e '.value | length == 1 and (.[0] | startswith("image-alt"))' "$tmp/resp" > /dev/null ||
        fail "axe did not find the missing alt text: $(head -c 300 "$tmp/resp")"
    axe_check landing "$base/search"
    axe_check landing "$base/search" 390
    axe_check results-en "$base/search?q=gpt-3"
    axe_check results-ru "$base/search?q=%D0%BD%D0%B5%D0%B9%D1%80%D0%BE%D1%81%D0%B5%D1%82%D1%8C"
    axe_check results-ru "$base/search?q=%D0%BD%D0%B5%D0%B9%D1%80%D0%BE%D1%81%D0%B5%D1%82%D1%8C" 390
    axe_check filtered "$base/search?q=model&vendor=OpenAI&lang=en&month=2020-06"
    axe_check typed "$base/search?q=model+vendor%3AGoogle"
    axe_check empty "$base/search?q=zzzqqqxyz"
    axe_check error "$base/search?q=gpt&month=2020-13"
    axe_check error-ru "$base/search?q=%D0%BC%D0%BE%D0%B4%D0%B5%D0%BB%D1%8C+a%2A"
    axe_check error-ru "$base/search?q=%D0%BC%D0%BE%D0%B4%D0%B5%D0%BB%D1%8C+a%2A" 390
    axe_check stories "$base/search?q=gpt-3" 390
    size 1280
fi

# ---- the page's weight: one request (the favicon is inline), under 30 KB ------------------------------------------
for q in 'q=gpt-3' 'q=model&page=2' ''; do
    n=$(curl -s --max-time 10 "$base/search?$q" | wc -c)
    [ "$n" -lt 30720 ] || fail "the page for '$q' weighs $n bytes"
done
curl -s --max-time 10 "$base/search?q=gpt-3" | grep -q '<link rel="icon" href="data:' || fail "no inline favicon"

if [ "${NS_SCREENSHOT:-0}" = 1 ]; then
    mkdir -p "$NS_TOP/docs/screenshots"
    for shot in desktop:1280 phone:390; do
        size "${shot#*:}"
        for page in "en-landing:" "en-results:q=GPT-3" "ru-landing:" \
                    "ru-results:q=%D0%BD%D0%B5%D0%B9%D1%80%D0%BE%D1%81%D0%B5%D1%82%D1%8C"; do
            name=${shot%%:*}-${page%%:*}
            if [ "${page%%:*}" = ru-landing ]; then
                # the landing page speaks the browser's language (English here): the
                # Russian one as a Russian browser gets it, shown from a data: URL
                go "data:text/html;charset=utf-8;base64,$(curl -s -H 'Accept-Language: ru' "$base/search" | base64 -w0)"
            else
                go "$base/search?${page#*:}"
            fi
            wd GET "/session/$sid/screenshot" | jq -r . | base64 -d > "$NS_TOP/docs/screenshots/$name.png" ||
                fail "screenshot $name"
        done
    done
    size 1280
    echo "saved $NS_TOP/docs/screenshots/"
fi
echo ok
