#!/bin/sh
# web_browser.sh: the search page in a real browser. Headless Chromium, driven
# through chromedriver's WebDriver HTTP API with curl and jq, against
# nsearch.cgi as CGI under lighttpd (deploy/lighttpd-cgi.conf): type a Russian and
# an English query into the box, submit, check the rendered results, click a
# vendor facet and check every result has that vendor.
# NS_SCREENSHOT=1 saves the last page to $NS_TOP/docs/screenshot.png (the README's).
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

if [ "${NS_SCREENSHOT:-0}" = 1 ]; then
    wd GET "/session/$sid/screenshot" | jq -r . | base64 -d > "$tmp/shot.png" || fail "screenshot"
    mkdir -p "$NS_TOP/docs"
    mv "$tmp/shot.png" "$NS_TOP/docs/screenshot.png"
    echo "saved $NS_TOP/docs/screenshot.png"
fi
echo ok
