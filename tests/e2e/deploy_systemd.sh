#!/bin/sh
# deploy_systemd.sh: the systemd units (deploy/systemd/), as `make install` writes
# them, pass `systemd-analyze verify` without a word and `systemd-analyze security
# --offline` at a low exposure; their settings agree with deploy/nsearch.conf; and
# what they run works: nsearch.service's ExecStart= started the way nsearch.socket
# starts it (systemd-socket-activate: listen, and at the first connection hand the
# program the listening socket, on fd 0 when the unit says StandardInput=socket)
# answers FastCGI requests (cgi-fcgi), one process for all of them, and
# nsearch-index.service's ExecStart= indexes the archive, and the alternative
# nsearch-watch.service's (nindex --watch) indexes it, follows a change and
# ends with exit 0 on SIGTERM. systemd is not PID 1 here, so the units
# themselves are not started.
# run-once
set -eu
: "${NS_BUILD:?}" "${NS_TOP:?}"
PATH=$PATH:/usr/sbin:/sbin
for c in systemd-analyze systemd-socket-activate cgi-fcgi; do
    command -v $c > /dev/null || { echo "FAIL: $c is not installed (scripts/setup.sh test)"; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsearch-systemd.XXXXXX")
pids=
cleanup() {
    for p in $pids; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
fail() { echo "FAIL: $*"; exit 1; }

# ---- make install into a scratch prefix: the units get its paths -----------------------------
# (not the variables of a make that runs this test: they would reach this one)
(unset MAKEFLAGS MFLAGS MAKELEVEL; exec make -s -C "$NS_TOP" BUILD="$NS_BUILD" PREFIX="$tmp/usr" SYSTEMDUNITDIR="$tmp/units" \
    SYSCONFDIR="$tmp/etc" install) > "$tmp/install.out" 2>&1 || fail "make install: $(tail "$tmp/install.out")"
units=$tmp/units
for u in nsearch.socket nsearch.service nsearch-index.service nsearch-index.path nsearch-watch.service; do
    [ -f "$units/$u" ] || fail "make install did not install $u"
done
! grep -n '@[A-Z]*@' "$units"/* || fail "a placeholder left in a unit (above)"
for f in bin/nindex bin/nsearch lib/nsearch/nsearch.cgi share/man/man1/nsearch.1 \
         share/bash-completion/completions/nsearch share/bash-completion/completions/nindex \
         share/zsh/site-functions/_nsearch share/doc/nsearch/examples/nginx-fastcgi.conf \
         share/doc/nsearch/examples/nsearch.conf share/doc/nsearch/reference/vendors.txt; do
    [ -e "$tmp/usr/$f" ] || fail "make install did not install $f"
done
[ ! -e "$tmp/etc" ] || fail "make install wrote $tmp/etc (the configuration is the package's)"

# ---- verify: any message is a failure (unknown keys are only warnings) ------------------------
MANPATH=$tmp/usr/share/man systemd-analyze verify "$units"/* > "$tmp/verify.out" 2>&1 ||
    fail "systemd-analyze verify: $(cat "$tmp/verify.out")"
[ ! -s "$tmp/verify.out" ] || fail "systemd-analyze verify: $(cat "$tmp/verify.out")"
for s in nsearch.service nsearch-index.service nsearch-watch.service; do
    # exposure 0..10 scaled by 10: 2.0 or less ("OK" is under 5.0)
    systemd-analyze security --offline=true --threshold=20 "$units/$s" > "$tmp/security.out" 2>&1 ||
        fail "$s: exposure over 2.0: $(grep -i 'overall' "$tmp/security.out")"
done

# ---- the units agree with the configuration file ---------------------------------------------
conf=$NS_TOP/deploy/nsearch.conf
conf_db=$(sed -n 's/^NSEARCH_DB=//p' "$conf")
conf_archive=$(sed -n 's/^NSEARCH_ARCHIVE=//p' "$conf")
grep -q "^PathChanged=$conf_archive\$" "$units/nsearch-index.path" ||
    fail "nsearch-index.path does not watch NSEARCH_ARCHIVE=$conf_archive"
grep -q "^Environment=NSEARCH_DB=$conf_db NSEARCH_ARCHIVE=$conf_archive\$" "$units/nsearch-index.service" ||
    fail "nsearch-index.service's defaults differ from nsearch.conf"
grep -q "^Environment=NSEARCH_DB=$conf_db NSEARCH_ARCHIVE=$conf_archive\$" "$units/nsearch-watch.service" ||
    fail "nsearch-watch.service's defaults differ from nsearch.conf"
# the two ways of indexing exclude each other
grep -q '^Conflicts=nsearch-index.service nsearch-index.path$' "$units/nsearch-watch.service" ||
    fail "nsearch-watch.service does not stop nsearch-index.service and .path"
grep -q "^Environment=NSEARCH_DB=$conf_db\$" "$units/nsearch.service" ||
    fail "nsearch.service's default differs from nsearch.conf"
case $conf_db in /var/lib/nsearch/*) ;; *) fail "NSEARCH_DB=$conf_db is outside the StateDirectory" ;; esac
grep -q "^EnvironmentFile=-$tmp/etc/nsearch/nsearch.conf\$" "$units/nsearch.service" ||
    fail "nsearch.service does not read SYSCONFDIR/nsearch/nsearch.conf"

# ---- nsearch-index.service's command line indexes the archive ---------------------------------
# ExecStart= with ${NSEARCH_DB} and ${NSEARCH_ARCHIVE} as systemd expands them
# (each ${VAR} one argument)
# exec_argv UNIT DB: argv, UNIT's ExecStart= with ${NSEARCH_DB} as DB and
# ${NSEARCH_ARCHIVE} as $tmp/archive
exec_argv() {
    unit=$1 unit_db=$2
    set -f
    # shellcheck disable=SC2046
    set -- $(sed -n 's/^ExecStart=//p' "$units/$unit")
    set +f
    argv=
    for a; do
        case $a in
            '${NSEARCH_DB}') a=$unit_db ;;
            '${NSEARCH_ARCHIVE}') a=$tmp/archive ;;
            *'$'*) fail "$unit: an argument the test does not expand: $a" ;;
        esac
        argv="$argv $a"
    done
}
cp -r "$NS_TOP/corpus" "$tmp/archive"
exec_argv nsearch-index.service "$tmp/db"
# shellcheck disable=SC2086
$argv > "$tmp/index.out" 2>&1 || fail "nsearch-index.service's ExecStart failed: $(cat "$tmp/index.out")"
grep -q '^added 68, ' "$tmp/index.out" || fail "index: $(cat "$tmp/index.out")"
# a careless NSEARCH_ARCHIVE: the unit fails (exit 2, not in SuccessExitStatus=)
# and the journal names the folder
# shellcheck disable=SC2086
set +e
$(echo "$argv" | sed "s#$tmp/archive#$tmp/no-such-archive#") > "$tmp/index.out" 2>&1
rc=$?
set -e
[ $rc -eq 2 ] || fail "a missing archive: exit $rc, expected 2"
grep -q "no-such-archive" "$tmp/index.out" || fail "a missing archive is not named: $(cat "$tmp/index.out")"
grep -q '^SuccessExitStatus=1$' "$units/nsearch-index.service" || fail "SuccessExitStatus= changed"

# ---- nsearch.service's program, socket-activated -----------------------------------------------
exec_page=$(sed -n 's/^ExecStart=//p' "$units/nsearch.service")
[ -x "$exec_page" ] || fail "nsearch.service's ExecStart is not one installed program: $exec_page"
inetd=
grep -q '^StandardInput=socket$' "$units/nsearch.service" && inetd=--inetd
grep -q '^Accept=no$' "$units/nsearch.socket" || fail "nsearch.socket must hand one server the listening socket"
systemd-socket-activate $inetd -l "$tmp/page.sock" -E NSEARCH_DB="$tmp/db" "$exec_page" \
    > "$tmp/activate.out" 2>&1 &
server=$!
pids=$server
i=0
until [ -S "$tmp/page.sock" ]; do
    i=$((i + 1)); [ $i -lt 50 ] || fail "no socket: $(cat "$tmp/activate.out")"; sleep 0.1
done
# nothing runs until the first request
! pgrep -f "^$exec_page" > /dev/null || fail "the program started before any request"

request() {  # request QUERY-STRING: the FastCGI answer on stdout
    env -i SCRIPT_NAME=/search REQUEST_METHOD=GET QUERY_STRING="$1" SERVER_NAME=localhost \
        SERVER_PORT=80 timeout 10 cgi-fcgi -bind -connect "$tmp/page.sock"
}
request 'q=gpt-3&format=json' > "$tmp/a1" || fail "no FastCGI answer: $(cat "$tmp/activate.out")"
grep -q '^Content-Type: application/json' "$tmp/a1" || fail "answer: $(head -c 500 "$tmp/a1")"
sed '1,/^\r*$/d' "$tmp/a1" > "$tmp/a1.json"
"$tmp/usr/bin/nsearch" --db "$tmp/db" --json --facets --stories gpt-3 > "$tmp/cli.json" || true
# the page gives paths relative to the archive, nsearch as nindex found them
jq -c 'del(.results[].path)' "$tmp/a1.json" > "$tmp/a1.cmp"
jq -c 'del(.results[].path)' "$tmp/cli.json" > "$tmp/cli.cmp"
cmp -s "$tmp/a1.cmp" "$tmp/cli.cmp" || fail "the page's JSON differs from nsearch --json --facets --stories"
first=$(pgrep -f "^$exec_page" | tr '\n' ' ')
[ -n "$first" ] || fail "no program process after the first request"
# the same process answers again, and sees a new commit
request 'q=zyxwvfreshword&format=json' | grep -q '"total":0' || fail "fresh word before indexing"
cat > "$tmp/archive/en/fresh.md" <<'A'
---
title: "A fresh article"
date: 2020-11-02
lang: en
---

Only this article has zyxwvfreshword in it.
A
# shellcheck disable=SC2086
$argv > "$tmp/index.out" 2>&1 || fail "re-index: $(cat "$tmp/index.out")"
request 'q=zyxwvfreshword&format=json' | grep -q '"total":1' || fail "the new commit was not seen"
[ "$(pgrep -f "^$exec_page" | tr '\n' ' ')" = "$first" ] || fail "a second process answered"
kill -0 "$server" 2>/dev/null || fail "the server is gone"

# ---- nsearch-watch.service's command line follows the archive ---------------------------------
exec_argv nsearch-watch.service "$tmp/wdb"
case $argv in *' --watch '*) ;; *) fail "nsearch-watch.service does not run nindex --watch: $argv" ;; esac
# shellcheck disable=SC2086
$argv > "$tmp/watch.out" 2> "$tmp/watch.err" &
watcher=$!
pids="$pids $watcher"
i=0
until grep -q '^added 69, ' "$tmp/watch.out"; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "nsearch-watch.service: no first run: $(cat "$tmp/watch.out" "$tmp/watch.err")"
    sleep 0.1
done
sed 's/zyxwvfreshword/zyxwvwatchedword/' "$tmp/archive/en/fresh.md" > "$tmp/archive/en/watched.md"
i=0
until "$tmp/usr/bin/nsearch" --db "$tmp/wdb" zyxwvwatchedword > /dev/null 2>&1; do
    i=$((i + 1)); [ $i -lt 50 ] || fail "nsearch-watch.service: a new article is not searchable after 5 s"
    sleep 0.1
done
kill -TERM "$watcher"
set +e
wait "$watcher"
rc=$?
set -e
[ $rc -eq 0 ] || fail "nsearch-watch.service: SIGTERM gave exit $rc: $(cat "$tmp/watch.err")"
echo "ok (units verified, exposure <= 2.0; socket activation served 3 requests in one process; nindex --watch followed a change)"
