#!/bin/sh
# web_cgi.sh: nsearch.cgi behind a real web server on 127.0.0.1, driven with curl.
# NS_WEB_MODE names the server and how it runs the program, each from the
# documented snippet in deploy/ (docs/web.md), included unchanged (lighttpd) or
# with its installed paths replaced by the test's (nginx, Apache):
#   cgi            lighttpd, mod_cgi                      deploy/lighttpd-cgi.conf (default)
#   fastcgi        lighttpd, mod_fastcgi starts it        deploy/lighttpd-fastcgi.conf
#   spawn          lighttpd, spawn-fcgi starts it         deploy/lighttpd-spawn-fcgi.conf
#   nginx-fcgiwrap nginx, fcgiwrap runs it as CGI         deploy/nginx-fcgiwrap.conf
#   nginx-spawn    nginx, spawn-fcgi starts it            deploy/nginx-fastcgi.conf
#   nginx-socket   nginx, socket activation as by nsearch.socket + nsearch.service
#                  (systemd-socket-activate passes the listening socket)
#                                                         deploy/nginx-fastcgi.conf
#   apache-cgi     Apache 2.4, mod_cgid                   deploy/apache-cgi.conf
#   apache-fcgid   Apache 2.4, mod_fcgid starts it        deploy/apache-fcgid.conf
# Each mode has its script (web_fastcgi.sh, web_nginx_fcgiwrap.sh, ...).
# Checks HTML and JSON answers (JSON equal to nsearch --json but for "path", which is
# relative to the archive), HEAD, status codes
# 200/400/405/500, hostile input (XSS in q and in a title, bad encodings, an
# oversized query), the Russian interface, OpenSearch (links from
# NSEARCH_BASE_URL, never from the Host header), and that a new nindex commit
# is seen without restarting the server.
set -eu
mode=${NS_WEB_MODE:-cgi}
: "${NS_BUILD:?}" "${NS_TOP:?}"
cgi=$NS_BUILD/nsearch.cgi
[ -x "$cgi" ] || { echo "FAIL: $cgi not built"; exit 1; }
case $mode in
    cgi | fastcgi | spawn) server_prog=lighttpd ;;
    nginx-fcgiwrap | nginx-spawn | nginx-socket) server_prog=nginx ;;
    apache-cgi | apache-fcgid) server_prog=apache2 ;;
    *) echo "FAIL: unknown NS_WEB_MODE '$mode'"; exit 1 ;;
esac
PATH=$PATH:/usr/sbin:/sbin
command -v $server_prog >/dev/null || { echo "FAIL: $server_prog is not installed (scripts/setup.sh test)"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsearch-web.XXXXXX")
server= spawned=
# the documented snippet under test (deploy/...)
snippet=
cleanup() {
    for p in $server $spawned; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
    echo "FAIL ($mode): $*"
    [ -f "$tmp/body" ] && { echo "--- last body:"; head -c 1500 "$tmp/body"; echo; }
    [ -f "$tmp/error.log" ] && { echo "--- server log:"; tail -n 20 "$tmp/error.log"; }
    exit 1
}

# ---- a database with one hostile article ------------------------------------------
cp -r "$NS_TOP/corpus" "$tmp/corpus"
mkdir -p "$tmp/corpus/hostile" "$tmp/www"
cat > "$tmp/corpus/hostile/xss.md" <<'EOF'
---
title: "<script>alert(1)</script>"
date: 2020-10-15
lang: en
vendors: [OpenAI]
url: "javascript:alert(1)"
---

The xsshostile article mentions <img src=x onerror=alert(1)> and "quotes" & ampersands.
EOF
"$NS_BUILD/nindex" --db "$tmp/db" "$tmp/corpus" > "$tmp/nindex.out" 2>&1 || fail "nindex: $(cat "$tmp/nindex.out")"

# ---- the site's public address the program is given (NSEARCH_BASE_URL) -------------------
# The test sets it where it starts the program or writes the server's variables; a
# snippet that sets it itself (nginx with fcgiwrap, Apache) keeps its documented value.
case $mode in
    nginx-fcgiwrap | apache-cgi | apache-fcgid) site=https://blog.example.org ;;
    *) site=http://www.example.org/blog ;;
esac
# and each article's page (NSEARCH_PERMALINK), likewise
permalink="$site/{id}/"

# ---- the program where the server may run it --------------------------------------------
# Apache will not run a program as root: started by root it serves as www-data,
# which then needs to reach the program and the database.
if [ $server_prog = apache2 ] && [ "$(id -u)" -eq 0 ]; then
    run_user=www-data
    chmod 755 "$tmp"
    chmod -R a+rX "$tmp/db"
    mkdir -p "$tmp/bin"
    cp "$cgi" "$tmp/bin/nsearch.cgi"
    cgi=$tmp/bin/nsearch.cgi
else
    run_user=
fi

# from_snippet FILE: FILE (deploy/FILE) with its installed paths replaced by the
# test's, into $tmp/snippet.conf; fails if a documented path is left over (the
# snippet changed and this test no longer follows it).
from_snippet() {
    snippet=deploy/$1
    sed -e "s#/usr/lib/nsearch/nsearch.cgi#$cgi#g" \
        -e "s#/usr/lib/nsearch#$(dirname "$cgi")#g" \
        -e "s#/var/lib/nsearch/db#$tmp/db#g" \
        -e "s#/run/nsearch/nsearch.sock#$tmp/nsearch.sock#g" \
        -e "s#/run/fcgiwrap.socket#$tmp/fcgiwrap.sock#g" \
        "$NS_TOP/$snippet" > "$tmp/snippet.conf"
    # the test's own paths may be anywhere (TMPDIR=/var/tmp/...): hide them first
    if grep -v '^[[:space:]]*#' "$tmp/snippet.conf" |
            sed -e "s#$tmp#TMP#g" -e "s#$(dirname "$cgi")#CGIDIR#g" | grep -E '/usr/|/var/|/run/'; then
        fail "$snippet: a path the test does not replace (above)"
    fi
    grep -q "$tmp" "$tmp/snippet.conf" || fail "$snippet: none of the documented paths is in it"
}

# ---- the server's configuration ------------------------------------------------------------
write_lighttpd_conf() {
    cat > "$tmp/server.conf" <<EOF
server.bind = "127.0.0.1"
server.port = $1
server.document-root = "$tmp/www"
server.errorlog = "$tmp/error.log"
server.breakagelog = "$tmp/breakage.log"
# hand the raw query string to the program: lighttpd's default normalisation
# would re-encode a stray '%' as %25, and the test is about the program's checks
server.http-parseopts = ( "url-normalize" => "disable" )
server.pid-file = "$tmp/lighttpd.pid"
var.nsearch_bin = "$cgi"
var.nsearch_db = "$tmp/db"
var.nsearch_base_url = "$site"
var.nsearch_permalink = "$permalink"
var.nsearch_socket = "$tmp/nsearch.sock"
EOF
    if [ "$mode" = spawn ]; then
        cat >> "$tmp/server.conf" <<EOF
include "$NS_TOP/deploy/lighttpd-spawn-fcgi.conf"
fastcgi.server += ( "/broken" => (( "socket" => "$tmp/broken.sock", "check-local" => "disable" )) )
EOF
    elif [ "$mode" = fastcgi ]; then
        cat >> "$tmp/server.conf" <<EOF
include "$NS_TOP/deploy/lighttpd-fastcgi.conf"
# a second instance whose database is missing: the 500 page
fastcgi.server += ( "/broken" => ((
    "bin-path" => var.nsearch_bin, "socket" => "$tmp/broken.sock",
    "bin-environment" => ( "NSEARCH_DB" => "$tmp/missing-db" ),
    "check-local" => "disable", "max-procs" => 1 )) )
EOF
    else
        cat >> "$tmp/server.conf" <<EOF
include "$NS_TOP/deploy/lighttpd-cgi.conf"
# the same program with a missing database: the 500 page
\$HTTP["url"] =~ "^/broken(\$|/)" {
    alias.url = ( "/broken" => var.nsearch_bin )
    cgi.assign = ( ".cgi" => "" )
    setenv.add-environment = ( "NSEARCH_DB" => "$tmp/missing-db" )
}
# and with a base URL that is not one: the program refuses to run
\$HTTP["url"] =~ "^/badbase(\$|/)" {
    alias.url = ( "/badbase" => var.nsearch_bin )
    cgi.assign = ( ".cgi" => "" )
    setenv.add-environment = ( "NSEARCH_DB" => "$tmp/db", "NSEARCH_BASE_URL" => "javascript:alert(1)//" )
}
# and with a permalink template that is not one
\$HTTP["url"] =~ "^/badlink(\$|/)" {
    alias.url = ( "/badlink" => var.nsearch_bin )
    cgi.assign = ( ".cgi" => "" )
    setenv.add-environment = ( "NSEARCH_DB" => "$tmp/db", "NSEARCH_PERMALINK" => "https://blog.example.org/" )
}
EOF
    fi
}

write_nginx_conf() {
    if [ "$mode" = nginx-fcgiwrap ]; then
        from_snippet nginx-fcgiwrap.conf
        broken="fastcgi_param SCRIPT_FILENAME $cgi;
        fastcgi_param NSEARCH_DB $tmp/missing-db;
        fastcgi_pass unix:$tmp/fcgiwrap.sock;"
    else
        from_snippet nginx-fastcgi.conf
        broken="fastcgi_pass unix:$tmp/broken.sock;"
    fi
    # the snippet's relative `include fastcgi_params` is read beside this file
    ln -sf /etc/nginx/fastcgi_params "$tmp/fastcgi_params"
    # started by root, nginx would serve as nobody, who cannot reach $tmp
    user=
    [ "$(id -u)" -eq 0 ] && user="user root root;"
    cat > "$tmp/server.conf" <<EOF
$user
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx-body;
    fastcgi_temp_path $tmp/nginx-fastcgi;
    proxy_temp_path $tmp/nginx-proxy;
    uwsgi_temp_path $tmp/nginx-uwsgi;
    scgi_temp_path $tmp/nginx-scgi;
    server {
        listen 127.0.0.1:$1;
        server_name 127.0.0.1;
        root $tmp/www;
        include $tmp/snippet.conf;
        # the same program with a missing database: the 500 page
        location = /broken {
            include fastcgi_params;
            $broken
        }
    }
}
EOF
}

write_apache_conf() {
    m=/usr/lib/apache2/modules
    if [ "$mode" = apache-cgi ]; then
        from_snippet apache-cgi.conf
        modules="cgid_module mod_cgid.so"
        broken="ScriptSock $tmp/cgid.sock
ScriptAlias /broken $cgi
<Location /broken>
    SetEnv NSEARCH_DB $tmp/missing-db
</Location>"
    else
        from_snippet apache-fcgid.conf
        modules="fcgid_module mod_fcgid.so"
        # a copy of the program: mod_fcgid's options are per program file
        mkdir -p "$tmp/broken"
        cp "$cgi" "$tmp/broken/nsearch.cgi"
        broken="Alias /broken $tmp/broken/nsearch.cgi
FcgidCmdOptions $tmp/broken/nsearch.cgi InitialEnv NSEARCH_DB=$tmp/missing-db
<Directory $tmp/broken>
    Options +ExecCGI
    SetHandler fcgid-script
    Require all granted
</Directory>
FcgidIPCDir $tmp/fcgid
FcgidProcessTableFile $tmp/fcgid-shm"
    fi
    user=
    [ -n "$run_user" ] && user="User $run_user
Group $run_user"
    {
        for mod in mpm_event_module:mod_mpm_event.so authz_core_module:mod_authz_core.so \
                   alias_module:mod_alias.so env_module:mod_env.so \
                   "${modules% *}:${modules#* }"; do
            echo "LoadModule ${mod%%:*} $m/${mod#*:}"
        done
        cat <<EOF
$user
ServerName 127.0.0.1
Listen 127.0.0.1:$1
PidFile $tmp/apache.pid
DefaultRuntimeDir $tmp
ErrorLog $tmp/error.log
LogLevel warn
DocumentRoot $tmp/www
<Directory />
    Require all denied
</Directory>
<Directory $tmp/www>
    Require all granted
</Directory>
Include $tmp/snippet.conf
# the same program with a missing database: the 500 page
$broken
EOF
    } > "$tmp/server.conf"
}

write_conf() {
    case $server_prog in
        lighttpd) write_lighttpd_conf "$1" ;;
        nginx) write_nginx_conf "$1" ;;
        apache2) write_apache_conf "$1" ;;
    esac
}

check_conf() {
    case $server_prog in
        lighttpd) lighttpd -tt -f "$tmp/server.conf" ;;
        nginx) nginx -t -q -e "$tmp/error.log" -c "$tmp/server.conf" ;;
        apache2) apache2 -t -f "$tmp/server.conf" ;;
    esac
}

start_server() {  # in the foreground of a background job: $! is the server
    case $server_prog in
        lighttpd) exec lighttpd -D -f "$tmp/server.conf" ;;
        nginx) exec nginx -e "$tmp/error.log" -c "$tmp/server.conf" ;;
        apache2) exec apache2 -DFOREGROUND -f "$tmp/server.conf" ;;
    esac
}

port_free() {
    ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

# ---- a FastCGI server or fcgiwrap, when the web server does not start the program --------
wait_sockets() {
    i=0
    for sock; do
        until [ -S "$sock" ]; do
            i=$((i + 1))
            [ $i -lt 50 ] || fail "$sock did not appear: $(cat "$tmp/backend.out")"
            sleep 0.1
        done
    done
}
case $mode in
    spawn | nginx-spawn)
        command -v spawn-fcgi >/dev/null || fail "spawn-fcgi is not installed (scripts/setup.sh test)"
        # -n: spawn-fcgi execs the program in place, so $! is the FastCGI server itself
        NSEARCH_DB=$tmp/db NSEARCH_BASE_URL=$site NSEARCH_PERMALINK=$permalink \
            spawn-fcgi -n -s "$tmp/nsearch.sock" -- "$cgi" > "$tmp/backend.out" 2>&1 &
        spawned=$!
        NSEARCH_DB=$tmp/missing-db spawn-fcgi -n -s "$tmp/broken.sock" -- "$cgi" >> "$tmp/backend.out" 2>&1 &
        spawned="$spawned $!"
        wait_sockets "$tmp/nsearch.sock" "$tmp/broken.sock" ;;
    nginx-fcgiwrap)
        command -v fcgiwrap >/dev/null || fail "fcgiwrap is not installed (scripts/setup.sh test)"
        # -f: the program's stderr goes to nginx's error log, as with Debian's fcgiwrap service
        fcgiwrap -f -s "unix:$tmp/fcgiwrap.sock" > "$tmp/backend.out" 2>&1 &
        spawned=$!
        wait_sockets "$tmp/fcgiwrap.sock" ;;
    nginx-socket)
        # What systemd does for nsearch.socket + nsearch.service: listen, and at
        # the first connection start the program with the listening socket as
        # its standard input (StandardInput=socket) and NSEARCH_DB from
        # Environment=. The program is exec'd in place: $! is the FastCGI server.
        command -v systemd-socket-activate >/dev/null ||
            fail "systemd-socket-activate is not installed (scripts/setup.sh test)"
        unit=$NS_TOP/deploy/systemd/nsearch.service.in
        inetd=
        grep -q '^StandardInput=socket$' "$unit" && inetd=--inetd
        systemd-socket-activate $inetd -l "$tmp/nsearch.sock" -E NSEARCH_DB="$tmp/db" -E NSEARCH_BASE_URL="$site" \
            -E NSEARCH_PERMALINK="$permalink" \
            "$cgi" > "$tmp/backend.out" 2>&1 &
        spawned=$!
        systemd-socket-activate $inetd -l "$tmp/broken.sock" -E NSEARCH_DB="$tmp/missing-db" \
            "$cgi" >> "$tmp/backend.out" 2>&1 &
        spawned="$spawned $!"
        wait_sockets "$tmp/nsearch.sock" "$tmp/broken.sock" ;;
esac

# ---- the server ----------------------------------------------------------------------------
port=$((20000 + $$ % 10000))
started=0
for attempt in 1 2 3 4 5 6; do
    while ! port_free "$port"; do port=$((port + 1)); done
    write_conf "$port"
    check_conf > "$tmp/conftest.out" 2>&1 || fail "bad config: $(cat "$tmp/conftest.out")"
    start_server > "$tmp/server.out" 2>&1 &
    server=$!
    i=0
    while [ $i -lt 50 ]; do
        if ! kill -0 "$server" 2>/dev/null; then break; fi
        if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/search"; then started=1; break; fi
        sleep 0.1
        i=$((i + 1))
    done
    [ $started = 1 ] && break
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
    port=$((port + 7))
done
[ $started = 1 ] || fail "$server_prog did not start: $(cat "$tmp/server.out" "$tmp/error.log" 2>/dev/null)"
base="http://127.0.0.1:$port"

# get PATH [curl args...]: status code on stdout; body in $tmp/body, headers in $tmp/headers
get() {
    p=$1
    shift
    # a failed transfer (a cut answer, a timeout) shows in the status: "405 (curl exit 18)"
    curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' --max-time 10 "$@" "$base$p" ||
        echo " (curl exit $?)"
}
expect() {  # expect CODE PATH [curl args...]
    code=$1
    shift
    got=$(get "$@")
    [ "$got" = "$code" ] || fail "$1: status $got, expected $code"
    cat "$tmp/body" >> "$tmp/all-bodies"
}
header() {  # header NAME: its value in the last answer
    grep -i "^$1:" "$tmp/headers" | head -n 1 | sed 's/^[^:]*: *//' | tr -d '\r'
}
has() { grep -qF -- "$1" "$tmp/body" || fail "body lacks: $1"; }
hasnt() { ! grep -qiF -- "$1" "$tmp/body" || fail "body contains: $1"; }

# ---- an ordinary search ------------------------------------------------------------------
expect 200 "/search?q=gpt-3"
[ "$(header Content-Type)" = "text/html; charset=utf-8" ] || fail "content type $(header Content-Type)"
[ "$(header Cache-Control)" = "public, max-age=60" ] || fail "cache control on 200"
[ "$(header X-Content-Type-Options)" = nosniff ] || fail "no nosniff"
header Content-Security-Policy | grep -q "default-src 'none'" || fail "no CSP"
# the program's Content-Length, or none and chunked (Apache's mod_cgid drops a CGI's length)
if [ -n "$(header Content-Length)" ] || [ "$(header Transfer-Encoding)" != chunked ]; then
    [ "$(header Content-Length)" = "$(wc -c < "$tmp/body" | tr -d ' ')" ] || fail "Content-Length is wrong"
fi
has '<meta name="viewport"'
has '<ol class="hits"'
has '<ul class="facet" id="facet-vendor">'
has '<ul class="facet" id="facet-month">'
# both languages at a glance (issue 17): a language facet with counts, a badge
# and the article's lang on each result
has '<ul class="facet" id="facet-lang">'
grep -q 'lang=en" lang="en">English</a> <span class="n">[0-9]' "$tmp/body" || fail "no English facet entry"
grep -q 'lang=ru" lang="ru">Русский</a> <span class="n">[0-9]' "$tmp/body" || fail "no Russian facet entry"
grep -q '<span class="sr">English</span>' "$tmp/body" || fail "no language badge"
grep -q '<h2 lang="en">' "$tmp/body" || fail "no lang on an English result"
# a story told in both languages is shown once, in the page's language, with a
# link to the other telling (issue 17): the GPT-3 paper by its url, the
# Microsoft licence by translation_of
# (the other telling's link is its blog page: NSEARCH_PERMALINK is set here)
grep -q '<a class="also" hreflang="ru" href="[^"]*" title="OpenAI представила GPT-3 с 175 миллиардами параметров">Also in <span lang="ru">Русский</span></a>' "$tmp/body" ||
    fail "no link to the Russian telling of the GPT-3 paper"
grep -q '<a class="also" hreflang="ru" href="[^"]*" title="Microsoft получила эксклюзивную лицензию на GPT-3">Also in' "$tmp/body" ||
    fail "no link to the Russian telling of the licence (translation_of)"
[ "$(grep -c '<h2 lang="ru">.*Microsoft получила' "$tmp/body")" = 0 ] || fail "the Russian telling is listed too"
# the count is of stories: as many as the page lists (fewer than ten here)
n=$(grep -o 'id="count">[0-9]*' "$tmp/body" | grep -o '[0-9]*$')
[ "$(grep -c '<li class="hit">' "$tmp/body")" = "$n" ] && [ "$n" -lt 10 ] ||
    fail "the count ($n) is not the stories listed"
# the Russian page: the Russian telling, the English one a link away
expect 200 "/search?q=gpt-3" -H 'Accept-Language: ru'
grep -q '<span class="sr">Русский</span>' "$tmp/body" || fail "no Russian badge"
grep -q '<h2 lang="ru">' "$tmp/body" || fail "no lang on a Russian result"
has 'title="OpenAI describes GPT-3, a 175-billion-parameter language model">Также на английском</a>'
grep -q '<h2 lang="ru">.*Microsoft получила эксклюзивную лицензию' "$tmp/body" || fail "the Russian telling is not shown"
expect 200 "/search?q=gpt-3"
has 'value="gpt-3"'
has '<mark>GPT-3</mark>'
# titles mark matched words as snippets do (issue 17)
grep -q '^<h2 lang="[a-z]*"><a href="[^"]*">[^<]*<mark>GPT-3</mark>' "$tmp/body" || fail "no marked word in a title"
has 'rel="search" type="application/opensearchdescription+xml"'
grep -q 'id="count">[0-9][0-9]* results' "$tmp/body" || fail "no result count"

# ---- JSON is what nsearch --json prints, but for "path" -----------------------------------
# The page gives each article's path relative to the archive root, never the
# server's own file path; nsearch gives the path as nindex found it (issue 13).
if [ -x "$NS_BUILD/nsearch" ]; then
    expect 200 "/search?q=gpt-3&format=json"
    [ "$(header Content-Type)" = "application/json; charset=utf-8" ] || fail "json content type"
    jq -e . "$tmp/body" > /dev/null || fail "json does not parse"
    "$NS_BUILD/nsearch" --db "$tmp/db" --json --facets --stories gpt-3 > "$tmp/cli.json" || true
    jq -c 'del(.results[].path, .results[].permalink, .results[].also[].permalink)' "$tmp/body" > "$tmp/a"
    jq -c 'del(.results[].path)' "$tmp/cli.json" > "$tmp/b"
    cmp -s "$tmp/a" "$tmp/b" || {
        diff "$tmp/a" "$tmp/b" | head -n 20
        fail "format=json differs from nsearch --json --facets --stories"
    }
    hasnt "$tmp"
    jq -e '.results | length > 0 and all(.[]; .path | test("^(en|ru)/[^/]+[.]md$"))' "$tmp/body" \
        > /dev/null || fail "web paths are not relative to the archive: $(jq -c '[.results[].path]' "$tmp/body")"
    jq -e --arg top "$tmp/corpus/" '.results | all(.[]; .path | startswith($top))' "$tmp/cli.json" \
        > /dev/null || fail "CLI paths are not as nindex found them"
    [ "$(jq -r '[.results[].path] | join(" ")' "$tmp/body")" = \
      "$(jq -r --arg top "$tmp/corpus/" '[.results[].path | ltrimstr($top)] | join(" ")' "$tmp/cli.json")" ] ||
        fail "web and CLI paths name different files"
    expect 200 "/search?q=model&vendor=OpenAI&sort=date&page=2&format=json"
    "$NS_BUILD/nsearch" --db "$tmp/db" --json --facets --stories --vendor OpenAI --sort date --offset 10 model \
        > "$tmp/cli.json" || true
    [ "$(jq -c '[.total, .offset, [.results[].id]]' "$tmp/body")" = \
      "$(jq -c '[.total, .offset, [.results[].id]]' "$tmp/cli.json")" ] || fail "paged, filtered json differs"
else
    echo "note: $NS_BUILD/nsearch missing, JSON comparison skipped"
    expect 200 "/search?q=gpt-3&format=json"
    jq -e . "$tmp/body" > /dev/null || fail "json does not parse"
fi

# a vendor filter: every result has that vendor
expect 200 "/search?q=gpt-3&vendor=OpenAI&format=json"
[ "$(jq '.total > 0 and all(.results[]; .vendors | index("OpenAI"))' "$tmp/body")" = true ] ||
    fail "vendor filter not applied"
# the facet link in the page leads to the same filter
expect 200 "/search?q=gpt-3"
link=$(grep -o 'href="[^"]*vendor=OpenAI"' "$tmp/body" | head -n 1 | sed 's/^href="//; s/"$//; s/&amp;/\&/g')
[ -n "$link" ] || fail "no OpenAI facet link"
expect 200 "$link"
has '<li class="on"><a href="/search?q=gpt-3" class="rm" aria-current="true">OpenAI</a>'
has 'name="vendor" value="OpenAI"'

# ---- every result opens: the title links to the blog's page (NSEARCH_PERMALINK) --------------
# The corpus has articles without a url (plain-text titles before issue 17):
# each title now opens its permalink; the source url, where there is one, is a
# second link; JSON gives "permalink" too. A template without {id} stops the
# program (CGI: the server's 500), saying why.
expect 200 "/search?q=model&format=json"
jq -e --arg s "$site" '.results | length > 0 and
    all(.[]; .permalink == $s + "/" + .id + "/")' "$tmp/body" > /dev/null ||
    fail "JSON permalinks: $(jq -c '[.results[] | [.id, .permalink]]' "$tmp/body")"
nourl=$(jq -r '[.results[] | select(.url == null)] | length' "$tmp/body")
expect 200 "/search?q=model"
nhits=$(grep -c '<li class="hit">' "$tmp/body")
nlinked=$(grep -c "^<h2 lang=\"[a-z]*\"><a href=\"$site/" "$tmp/body")
[ "$nhits" -gt 0 ] && [ "$nlinked" = "$nhits" ] ||
    fail "$nlinked of $nhits titles open the blog's page"
[ "$(grep -c 'class="src" href="http' "$tmp/body")" = "$((nhits - nourl))" ] ||
    fail "the source links are not the results with a url ($nourl without)"
if [ "$mode" = cgi ]; then
    got=$(get "/badlink?q=model")
    [ "$got" = 500 ] || fail "a permalink template without {id} gave $got"
    cat "$tmp/error.log" "$tmp/breakage.log" 2>/dev/null |
        grep -q "NSEARCH_PERMALINK 'https://blog.example.org/' does not name {id}" ||
        fail "no log line for the bad NSEARCH_PERMALINK"
fi

# ---- the landing page and an empty result offer something to read --------------------------------
expect 200 "/search"
has '<input type="search" name="q" id="q" value="" maxlength="512" autofocus>'
has '<label for="q">'
has 'id="examples"'
grep -q "<ul class=\"recent\">" "$tmp/body" && grep -q "<li><a href=\"$site/" "$tmp/body" ||
    fail "the landing page has no recent articles opening their blog pages"
has 'id="browse-vendor"'
expect 200 "/search?q=zzzqqqxyzzy"
has 'id="noresults"'
has 'id="recent"'
hasnt '<aside'

# ---- HEAD: headers of the GET, no body ------------------------------------------------------
got=$(curl -s -I -o "$tmp/headers" -w '%{http_code} %{size_download}' --max-time 10 "$base/search?q=gpt-3")
[ "$got" = "200 0" ] || fail "HEAD gave $got"
grep -qi '^Content-Type: text/html; charset=utf-8' "$tmp/headers" || fail "HEAD content type"

# ---- status codes -------------------------------------------------------------------------
expect 405 "/search?q=gpt" -X POST -d x=1
# a body the page never reads must not cost its answer (mod_cgid resets the
# connection of a CGI program that leaves it unread); under mod_fcgid's 128 KiB limit
head -c 100000 /dev/zero | tr '\0' x > "$tmp/post-body"
expect 405 "/search?q=gpt" -X POST --data-binary @"$tmp/post-body"
has '</html>'     # the whole page
header Allow | grep -q 'GET, HEAD' || fail "405 without Allow"
[ "$(header Cache-Control)" = no-store ] || fail "no-store on 405"
expect 500 "/broken?q=gpt"
has 'Search is temporarily unavailable'
hasnt "$tmp/missing-db"
[ "$(header Cache-Control)" = no-store ] || fail "no-store on 500"
cat "$tmp/error.log" "$tmp/server.out" "$tmp/breakage.log" "$tmp/backend.out" 2>/dev/null |
    grep -q "missing-db" || fail "500 details not in the server log"

bad() {  # bad QUERY-STRING TEXT-IN-PAGE
    expect 400 "/search?$1"
    [ "$(header Cache-Control)" = no-store ] || fail "no-store on 400"
    has "$2"
}
bad 'q=%zz' 'invalid percent-encoding'
bad 'q=abc%4' 'invalid percent-encoding'
bad 'q=%C0%BC' 'not valid UTF-8'
bad 'q=%FF' 'not valid UTF-8'
bad 'month=2020-13&q=gpt' 'Month “2020-13”'
bad 'q=gpt&page=0' 'Page “0”'
bad 'q=gpt&page=abc' 'Page “abc”'
bad 'q=gpt&page=101' 'Page “101”'
bad 'q=gpt&lang=xx' 'Language “xx”'
bad 'q=gpt&sort=random' 'Sort order “random”'
long=$(head -c 3000 /dev/zero | tr '\0' a)
bad "q=$long" 'too long'
bad "q=$(head -c 600 /dev/zero | tr '\0' a)" 'query is too long'
# the over-cap shapes of issue 13 at ten times the 1000-term cap (10,000 ORs,
# a 10,000-word phrase, one word of 10,000 parts) are refused at once: the
# page's 4096-byte query string keeps them out (the server itself may refuse
# so long a request line first); at the page's own 512-byte limit the
# longest OR chain is answered
rep() { awk -v n="$1" -v u="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", u }'; }
for q in "x$(rep 9999 '+OR+x')" "%22$(rep 10000 'x+')%22" "$(rep 5000 x1)"; do
    t0=$(date +%s%N)
    code=$(get "/search?q=$q")
    t=$(( ($(date +%s%N) - t0) / 1000000 ))
    case $code in 400|414|431) ;; *) fail "an over-cap query of ${#q} bytes gave $code" ;; esac
    [ "$t" -lt 2000 ] || fail "an over-cap query took $t ms"
done
# limits count characters: a 260-letter Russian query (520 bytes) is answered
expect 200 "/search?q=$(rep 260 '%D1%8F')"
expect 200 "/search?q=x$(rep 101 '+OR+x')&format=json"
jq -e '.error == null' "$tmp/body" > /dev/null || fail "a 506-byte OR chain: $(cat "$tmp/body")"
many=$(i=0; while [ $i -lt 40 ]; do printf 'x%d=1&' $i; i=$((i + 1)); done)
bad "${many}q=gpt" 'too many parameters'
bad 'q=month%3A2020-13' 'Write a month as YYYY-MM, for example month:2020-10'
expect 400 "/search?q=gpt&page=0&format=json"
jq -e '.error' "$tmp/body" > /dev/null || fail "json 400 without error"

# ---- hostile input is shown as text -----------------------------------------------------------
expect 200 "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
hasnt '<script>'
has 'value="&lt;script&gt;alert(1)&lt;/script&gt;"'
# a javascript: url is no link in the page and null in the JSON, web and CLI
expect 200 "/search?q=xsshostile&format=json"
jq -e '.total == 1 and .results[0].url == null and .results[0].path == "hostile/xss.md"' \
    "$tmp/body" > /dev/null || fail "hostile url or path in JSON: $(cat "$tmp/body")"
"$NS_BUILD/nsearch" --db "$tmp/db" --json xsshostile | jq -e '.results[0].url == null' > /dev/null ||
    fail "nsearch --json gives the javascript: url"
"$NS_BUILD/nsearch" --db "$tmp/db" xsshostile > "$tmp/cli.txt" || true
grep -q 'hostile/xss.md' "$tmp/cli.txt" && ! grep -q javascript "$tmp/cli.txt" ||
    fail "nsearch shows the javascript: url: $(cat "$tmp/cli.txt")"
expect 200 "/search?q=xsshostile"
has '&lt;script&gt;alert(1)&lt;/script&gt;'
hasnt '<script>'
hasnt '<img src=x'
hasnt 'href="javascript:'
expect 400 "/search?q=%22%3E%3Cscript%3E&month=%3Cscript%3E"
hasnt '<script>'
grep -qi 'href="javascript:' "$tmp/all-bodies" && fail "a javascript: link was written"
grep -qi '<script' "$tmp/all-bodies" && fail "a <script> tag was written"

# ---- the interface language -----------------------------------------------------------------------
expect 200 "/search?q=%D0%BD%D0%B5%D0%B9%D1%80%D0%BE%D1%81%D0%B5%D1%82%D1%8C"   # нейросеть
has '<html lang="ru">'
grep -q 'id="count">[0-9]* результат' "$tmp/body" || fail "no Russian result count"
has 'Найти'
grep -q '">[0-9]* \(января\|февраля\|марта\|апреля\|мая\|июня\|июля\|августа\|сентября\|октября\|ноября\|декабря\) 20[0-9][0-9]</time>' \
    "$tmp/body" || fail "no Russian date"
# a filter typed in the box is a chip whose button names it, and marks its facet entry
expect 200 "/search?q=%D0%BC%D0%BE%D0%B4%D0%B5%D0%BB%D1%8C+vendor%3A%D1%81%D0%B1%D0%B5%D1%80"  # модель vendor:сбер
has '<span class="filter">Сбербанк<a href="/search?q=%D0%BC%D0%BE%D0%B4%D0%B5%D0%BB%D1%8C" class="rm" aria-label="Убрать фильтр: Сбербанк"'
has '<li class="on"><a href="/search?q=%D0%BC%D0%BE%D0%B4%D0%B5%D0%BB%D1%8C" class="rm" aria-current="true">Сбербанк</a>'
expect 200 "/search" -H 'Accept-Language: ru-RU,ru;q=0.9,en;q=0.5'
has '<html lang="ru">'
expect 200 "/search?q=gpt" -H 'Accept-Language: en-US,en;q=0.9,ru;q=0.8'
has '<html lang="en">'
has '<h1><a href="/search">ML news search</a></h1>'
expect 400 "/search?q=%D1%81%D0%B1%D0%B5%D1%80&month=2020-13"
has 'Месяц «2020-13»'
# a query the parser refuses: in plain words, in the page's language, the query kept (issue 17)
expect 400 "/search?q=a*+gpt" -H 'Accept-Language: ru'
has '<html lang="ru">'
has '<p>Введите хотя бы две буквы перед *.</p>'
has 'value="a* gpt"'
expect 400 "/search?q=a*+gpt"
has '<p>Type at least two letters before *.</p>'
has 'value="a* gpt"'
expect 400 "/search?q=%D0%BC%D0%BE%D0%B4%D0%B5%D0%BB%D1%8C+month%3A2020-06..2020-01"  # модель month:2020-06..2020-01
has 'Диапазон месяцев кончается раньше, чем начинается'
# JSON keeps the parser's own words, as nsearch prints them
expect 400 "/search?q=a*+gpt&format=json"
[ "$(jq -r .error "$tmp/body")" = "prefix 'a*' is too short" ] || fail "json error: $(cat "$tmp/body")"

# ---- OpenSearch -------------------------------------------------------------------------------------
# Links are NSEARCH_BASE_URL (the server's configuration) and SCRIPT_NAME:
# never the Host header, which the client chooses and caches kept for an hour
# (issue 13).
expect 200 "/search?opensearch=1"
header Content-Type | grep -q '^application/opensearchdescription+xml' || fail "opensearch type"
has "template=\"$site/search?q={searchTerms}\""
has "template=\"$site/search?q={searchTerms}&amp;format=json\""
has "template=\"$site/search?opensearch=1\""
# through PATH_INFO, where the snippet routes /search/...: nginx's `location = /search` does not
case $mode in
    nginx-*) ;;
    *)
        expect 200 "/search/opensearch.xml"
        header Content-Type | grep -q '^application/opensearchdescription+xml' || fail "opensearch.xml type"
        has "template=\"$site/search?q={searchTerms}\"" ;;
esac
for h in 'evil.example' 'evil.example:8080'; do
    expect 200 "/search?opensearch=1" -H "Host: $h"
    hasnt 'evil'
    has "template=\"$site/search?q={searchTerms}\""
done
# without NSEARCH_BASE_URL (the /broken instance): absolute paths, no host at all
expect 200 "/broken?opensearch=1" -H 'Host: evil.example'
hasnt 'evil'
has 'template="/broken?q={searchTerms}"'
grep -q 'template="http' "$tmp/body" && fail "a host in the links without NSEARCH_BASE_URL"
# a malformed NSEARCH_BASE_URL stops the program (CGI: the server's 500), saying why
if [ "$mode" = cgi ]; then
    got=$(get "/badbase?opensearch=1")
    [ "$got" = 500 ] || fail "a bad NSEARCH_BASE_URL gave $got"
    hasnt 'javascript'
    cat "$tmp/error.log" "$tmp/breakage.log" "$tmp/lighttpd.out" 2>/dev/null |
        grep -q "NSEARCH_BASE_URL 'javascript:alert(1)//' does not start with http" ||
        fail "no log line for the bad NSEARCH_BASE_URL"
fi

# ---- a new nindex commit is seen without restarting the server ------------------------------
expect 200 "/search?q=zyxwvfreshword&format=json"
[ "$(jq .total "$tmp/body")" = 0 ] || fail "fresh word found before indexing"
cat > "$tmp/corpus/hostile/fresh.md" <<'EOF'
---
title: "A fresh article"
date: 2020-11-02
lang: en
---

Only this article has zyxwvfreshword in it.
EOF
"$NS_BUILD/nindex" --db "$tmp/db" "$tmp/corpus" > "$tmp/nindex.out" 2>&1 || fail "nindex again"
expect 200 "/search?q=zyxwvfreshword&format=json"
[ "$(jq .total "$tmp/body")" = 1 ] || fail "the new commit was not seen"

echo "ok ($mode${snippet:+, $snippet}, port $port)"
