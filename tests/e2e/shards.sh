#!/bin/sh
# shards.sh: a database in 4 shards (issue 16), on 127.0.0.1 only.
# A generated archive (bench/gencorpus, 1,000 articles; its prose pools are
# cached in $BENCH_DIR after the first run) is indexed as one database and as
# 4 shards; 4 xapian-tcpsrv serve the shards on free loopback ports (each in
# a session of its own: xapian-tcpsrv signals its whole process group when
# it stops; stopped by PID at the end). The query mix goes through the one
# database, the local stub, the remote stub and a mixed one: totals,
# facets, ids, order and scores (to 1e-9) equal for every query, prefix*
# queries too (expanded over the whole database, also past their limit of
# terms: docs/shards.md), and on the web's page (its own limit). Then one
# tcpsrv is killed: the error naming it (exit 2; the CGI a 503), partial
# answers with --allow-partial and NSEARCH_ALLOW_PARTIAL (equal to the
# three answering shards searched alone); a stopped one times out after
# --shard-timeout; restarted, full answers again, also in a --batch that
# kept its connections through the failure. Incremental runs and
# re-sharding (nindex --shards 2) keep every answer equal.
set -eu
: "${NS_BUILD:?NS_BUILD must name the build directory}" "${NS_TOP:?NS_TOP must name the repo}"
PY=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsearch-shards.XXXXXX")
cleanup() {
    for f in "$tmp"/srv*.pid; do
        [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v xapian-tcpsrv > /dev/null || fail "xapian-tcpsrv missing (package xapian-tools)"
export NO_COLOR=1
unset NSEARCH_ALLOW_PARTIAL NSEARCH_SHARD_TIMEOUT

"$PY" "$NS_TOP/bench/gencorpus" --out "$tmp/c" 1000 > /dev/null || fail "gencorpus"
"$PY" "$NS_TOP/bench/gencorpus" --queries 100 > "$tmp/q" || fail "gencorpus --queries"
printf '%s\n' 'release' 'model vendor:Google' 'file month:2020-10' 'lang:ru' 'вопрос lang:ru' \
    '"the file"' 'prog*' 'co*' 'пр*' 're* -st*' 'in* OR de*' 'co* re* de* st* in* pr* ma*' \
    'zzzq*' >> "$tmp/q"

nindex() { "$NS_BUILD/nindex" "$@" > "$tmp/nindex.out" 2> "$tmp/nindex.err" || fail "nindex $*: $(cat "$tmp/nindex.err")"; }
nindex --db "$tmp/one" "$tmp/c"
nindex --shards 4 --db "$tmp/sh" "$tmp/c"
grep -q 'added 1000,' "$tmp/nindex.out" || fail "sharded run: $(cat "$tmp/nindex.out")"
[ "$(grep -v '^#' "$tmp/sh/XAPIANDB")" = "$(printf 'auto shard%s\n' 0 1 2 3)" ] \
    || fail "stub: $(cat "$tmp/sh/XAPIANDB")"
n=0
for k in 0 1 2 3; do
    d=$(xapian-delve "$tmp/sh/shard$k" | sed -n 's/^number of documents = //p')
    [ "$d" -gt 150 ] || fail "shard$k holds $d documents: the hash does not spread them"
    n=$((n + d))
done
[ $n -eq 1000 ] || fail "the shards hold $n documents"

# batch DB [OPTION...]: the query mix's answers, one JSON line each
batch() {
    db=$1; shift
    "$NS_BUILD/nsearch" --db "$db" "$@" --batch --jobs 1 < "$tmp/q" > "$tmp/b.out" 2> "$tmp/b.err" \
        || fail "batch over $db: $(head -c 600 "$tmp/b.err") $(grep -m1 error "$tmp/b.out" | head -c 600)"
}
# same A B: two batch outputs answer alike (see the header)
same() {
    "$PY" - "$1" "$2" <<'EOF' || fail "$1 and $2 differ"
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
bad = 0 if len(a) == len(b) else 1
for x, y in zip(a, b):
    why = []
    for k in ("query", "total", "total_all_words", "facets", "error", "suggestion"):
        if x.get(k) != y.get(k):
            why.append(k)
    if [r["id"] for r in x["results"]] != [r["id"] for r in y["results"]]:
        why.append("ids")
    elif any(abs(r["score"] - s["score"]) > 1e-9 * max(1.0, abs(r["score"]))
             for r, s in zip(x["results"], y["results"])):
        why.append("scores")
    if why:
        bad += 1
        print("  %s: %s differ" % (x["query"], ", ".join(why)), file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}

batch "$tmp/one"; mv "$tmp/b.out" "$tmp/one.out"
[ "$(grep -c '"total":0,' "$tmp/one.out")" -lt 100 ] || fail "the query mix finds almost nothing"
batch "$tmp/sh"; same "$tmp/one.out" "$tmp/b.out"

# free loopback ports, one per shard
ports=$("$PY" -c '
import socket
ss = [socket.socket() for _ in range(4)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
set -- $ports
p0=$1 p1=$2 p2=$3 p3=$4
port_of() { eval echo "\$p$1"; }
# start K: serve shard K on its port, and wait until it listens
start() {
    setsid xapian-tcpsrv --interface 127.0.0.1 --port "$(port_of "$1")" --quiet "$tmp/sh/shard$1" \
        > "$tmp/srv$1.log" 2>&1 &
    echo $! > "$tmp/srv$1.pid"
    "$PY" - "$(port_of "$1")" <<'EOF' || fail "xapian-tcpsrv of shard $1 does not listen"
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
EOF
}
stop() { kill "$(cat "$tmp/srv$1.pid")"; : > "$tmp/srv$1.pid"; sleep 0.2; }
for k in 0 1 2 3; do start $k; done
printf 'remote 127.0.0.1:%s\n' $p0 $p1 $p2 $p3 > "$tmp/remote.stub"
printf '# shard 0 local, the rest remote\nauto %s\nremote 127.0.0.1:%s\nremote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' \
    "$tmp/sh/shard0" $p1 $p2 $p3 > "$tmp/mixed.stub"
batch "$tmp/remote.stub"; same "$tmp/one.out" "$tmp/b.out"
batch "$tmp/mixed.stub"; same "$tmp/one.out" "$tmp/b.out"
# the web's page: a prefix expands to at most 200 terms there
for db in "$tmp/one" "$tmp/sh" "$tmp/remote.stub"; do
    REQUEST_METHOD=GET QUERY_STRING='q=co%2A&format=json' GATEWAY_INTERFACE=CGI/1.1 \
        NSEARCH_DB="$db" "$NS_BUILD/nsearch.cgi" | tr -d '\r' | sed '1,/^$/d' \
        | jq -c '[.total, [.results[] | [.id, .score]], .facets]'
done > "$tmp/web"
[ "$(sort -u "$tmp/web" | wc -l)" -eq 1 ] && [ "$(head -c 2 "$tmp/web")" != '[0' ] \
    || fail "the web's prefix answers differ: $(cut -c 1-300 "$tmp/web")"

ns() { "$NS_BUILD/nsearch" "$@"; }
full=$(ns --db "$tmp/one" --json -n 0 release | jq .total)

# one shard down: an error naming it, exit 2
stop 2
set +e
ns --db "$tmp/remote.stub" release > "$tmp/out" 2> "$tmp/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "a shard down: exit $rc"
grep -q "shard 127.0.0.1:$p2 (3 of 4) did not answer" "$tmp/err" || fail "message: $(cat "$tmp/err")"
# the CGI: 503
set +e
REQUEST_METHOD=GET QUERY_STRING='q=release&format=json' GATEWAY_INTERFACE=CGI/1.1 \
    NSEARCH_DB="$tmp/remote.stub" "$NS_BUILD/nsearch.cgi" > "$tmp/cgi" 2> "$tmp/cgi.err"
set -e
head -n 5 "$tmp/cgi" | tr -d '\r' | grep -q '^Status: 503' || fail "CGI with a shard down: $(head -n 3 "$tmp/cgi")"
# partial answers: the three other shards' results, and a warning naming the missing one
printf 'auto %s\nauto %s\nauto %s\n' "$tmp/sh/shard0" "$tmp/sh/shard1" "$tmp/sh/shard3" > "$tmp/three.stub"
ns --db "$tmp/remote.stub" --allow-partial --json release > "$tmp/part" 2> "$tmp/err" || fail "partial: $(cat "$tmp/err")"
grep -q "warning: partial results: shards not answering: 127.0.0.1:$p2" "$tmp/err" || fail "partial stderr: $(cat "$tmp/err")"
jq -e --arg m "127.0.0.1:$p2" '.missing_shards == $m and (.warning | contains($m)) and .total > 0' \
    "$tmp/part" > /dev/null || fail "partial JSON: $(head -c 300 "$tmp/part")"
ns --db "$tmp/three.stub" --json release > "$tmp/three" || fail "three shards"
[ "$(jq -c '[.total, [.results[].id], .facets]' "$tmp/part")" = "$(jq -c '[.total, [.results[].id], .facets]' "$tmp/three")" ] \
    || fail "partial answer is not the three shards' answer"
[ "$(jq .total "$tmp/part")" -lt "$full" ] || fail "partial total not below the full one"
NSEARCH_ALLOW_PARTIAL=1 ns --db "$tmp/remote.stub" --json release > "$tmp/part2" 2> /dev/null \
    || fail "NSEARCH_ALLOW_PARTIAL=1"
jq -e '.missing_shards' "$tmp/part2" > /dev/null || fail "NSEARCH_ALLOW_PARTIAL: no missing_shards"
set +e
NSEARCH_ALLOW_PARTIAL=yes ns --db "$tmp/remote.stub" release > /dev/null 2> "$tmp/err"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "is not 0 or 1" "$tmp/err" || fail "NSEARCH_ALLOW_PARTIAL=yes: exit $rc $(cat "$tmp/err")"
REQUEST_METHOD=GET QUERY_STRING='q=release&format=json' GATEWAY_INTERFACE=CGI/1.1 NSEARCH_ALLOW_PARTIAL=1 \
    NSEARCH_DB="$tmp/remote.stub" "$NS_BUILD/nsearch.cgi" > "$tmp/cgi" 2> "$tmp/cgi.err"
head -n 5 "$tmp/cgi" | tr -d '\r' | grep -q '^Status: 200' || fail "partial CGI: $(head -n 3 "$tmp/cgi")"
grep -q '"missing_shards"' "$tmp/cgi" || fail "partial CGI JSON has no missing_shards"
# restarted: full answers again
start 2
[ "$(ns --db "$tmp/remote.stub" --json -n 0 release | jq .total)" -eq "$full" ] || fail "after restart"

# a shard that does not reply: the timeout, then the error
kill -STOP "$(cat "$tmp/srv1.pid")"
t0=$(date +%s)
set +e
ns --db "$tmp/remote.stub" --shard-timeout 300 release > /dev/null 2> "$tmp/err"; rc=$?
set -e
kill -CONT "$(cat "$tmp/srv1.pid")"
[ $rc -eq 2 ] && grep -q "127.0.0.1:$p1" "$tmp/err" || fail "stopped shard: exit $rc $(cat "$tmp/err")"
[ $(( $(date +%s) - t0 )) -lt 8 ] || fail "--shard-timeout 300 took $(( $(date +%s) - t0 )) s"
set +e
NSEARCH_SHARD_TIMEOUT=abc ns --db "$tmp/remote.stub" release > /dev/null 2> "$tmp/err"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "not a number of milliseconds" "$tmp/err" || fail "NSEARCH_SHARD_TIMEOUT=abc: $(cat "$tmp/err")"

# one searcher through a failure (as the FastCGI server keeps it): a --batch
# in lock-step: answered, then the shard killed (an error line naming it),
# restarted (full answers again on the same searcher)
"$PY" - "$NS_BUILD/nsearch" "$tmp" "$p3" "$full" <<'EOF' || fail "batch through a failure"
import json, os, signal, subprocess, sys, time, socket
nsearch, tmp, port, full = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
b = subprocess.Popen([nsearch, "--db", tmp + "/remote.stub", "--batch", "--jobs", "1"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
def ask(q):
    b.stdin.write(q + "\n"); b.stdin.flush()
    return json.loads(b.stdout.readline())
assert ask("release")["total"] == full
pid = int(open(tmp + "/srv3.pid").read())
os.kill(pid, signal.SIGTERM)
open(tmp + "/srv3.pid", "w").close()
time.sleep(0.3)
a = ask("release")
assert "error" in a and ("127.0.0.1:" + port) in a["error"], a
s = subprocess.Popen(["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", port, "--quiet",
                      tmp + "/sh/shard3"], start_new_session=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
open(tmp + "/srv3.pid", "w").write(str(s.pid))
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(port)), 0.2).close(); break
    except OSError:
        time.sleep(0.05)
a = ask("release")
assert a.get("total") == full, a
b.stdin.close()
b.wait()
EOF
batch "$tmp/remote.stub"; same "$tmp/one.out" "$tmp/b.out"
for k in 0 1 2 3; do stop $k; done

# incremental: an article edited, one deleted, one given another id; a run
# without --shards keeps the 4 shards
f1=$(ls "$tmp/c"/000/*.md | sed -n 3p); f2=$(ls "$tmp/c"/000/*.md | sed -n 5p); f3=$(ls "$tmp/c"/000/*.md | sed -n 700p)
rm "$f1"
sed -i '0,/^title: /s/^title: .*/title: release release release/' "$f2"
sed -i '1a id: moved-elsewhere-42' "$f3"
old_id=$(echo "$f3" | sed "s|^$tmp/c/||; s|\.md$||")
nindex --db "$tmp/one" "$tmp/c"
nindex --db "$tmp/sh" "$tmp/c"
grep -q 'updated 2, unchanged 997, removed 1' "$tmp/nindex.out" || fail "incremental: $(cat "$tmp/nindex.out")"
[ "$(grep -vc '^#' "$tmp/sh/XAPIANDB")" -eq 4 ] || fail "an incremental run changed the shards"
batch "$tmp/one"; mv "$tmp/b.out" "$tmp/one.out"
batch "$tmp/sh"; same "$tmp/one.out" "$tmp/b.out"
ns --db "$tmp/sh" --json -n 1 release | jq -e '.results[0].title == "release release release"' > /dev/null \
    || fail "the edited article is not first for its title"
# every article (a query of filters alone lists them all)
ns --db "$tmp/sh" --json -n 10000 lang:en lang:ru | jq -r '.results[].id' | sort > "$tmp/ids"
[ "$(wc -l < "$tmp/ids")" -eq 999 ] || fail "after the run the shards list $(wc -l < "$tmp/ids") articles"
grep -qx moved-elsewhere-42 "$tmp/ids" && ! grep -qx "$old_id" "$tmp/ids" || fail "the article whose id changed"

# re-sharding: 4 to 2, one command, the same answers
nindex --shards 2 --db "$tmp/sh" "$tmp/c"
grep -q 're-sharding from 4 to 2' "$tmp/nindex.err" || fail "re-shard remark: $(cat "$tmp/nindex.err")"
[ "$(grep -v '^#' "$tmp/sh/XAPIANDB")" = "$(printf 'auto shard%s\n' 0 1)" ] || fail "stub after re-sharding"
[ ! -e "$tmp/sh/shard2" ] || fail "re-sharding left shard2"
batch "$tmp/sh"; same "$tmp/one.out" "$tmp/b.out"
# and back to one database
nindex --shards 1 --db "$tmp/sh" "$tmp/c"
[ -e "$tmp/sh/iamglass" ] && [ ! -e "$tmp/sh/XAPIANDB" ] || fail "--shards 1: $(ls "$tmp/sh")"
batch "$tmp/sh"; same "$tmp/one.out" "$tmp/b.out"
echo "ok shards"
