#!/bin/bash
# bench/run.sh [SIZE]: nsearch side by side with its peers on one generated archive.
#
# Installs what it needs (scripts/setup.sh bench), generates or reuses the archive of SIZE
# articles (default 10000) and the query mix, then measures, REPS times each (default 3, 1
# from 1,000,000 articles on):
#   indexing   nindex | bench/xapian_index (C++ TermGenerator, one writer) | Omega scriptindex
#              (bench/omega.index, input from bench/to_dump.py) | SQLite FTS5 (bench/fts5_bench.py)
#              | Sphinx 2.2 indexer (xmlpipe2 from bench/sphinx_bench.py)
#   batch      nsearch --batch (all CPUs, and --jobs 1) | python3-xapian (bench/xapian_batch.py) | FTS5
#              | Sphinx searchd over one SphinxQL connection (started on a free loopback port,
#              stopped by its PID)
#   one-shot   nsearch --json --facets | quest | sqlite3, one process per query, taking turns
#   web        wrk against nsearch.cgi as FastCGI and as CGI and Omega's CGI, one lighttpd
#   shards     nindex --shards N for each N of SHARD_COUNTS (default "2 4"), then nsearch --batch
#              over each N's stub of local shards and over the largest N's shards served by
#              xapian-tcpsrv on free loopback ports (a stub of "remote" lines; stopped by PID):
#              the lines to set beside the one database's (issue 16)
# and prints one Markdown table (medians, ours/peer), also written to bench/RESULTS.md.
#
# Environment: BENCH_DIR (work dir, default /tmp/nsearch-bench), BUILD (nsearch's build dir,
# default build), REPS, TIME_BUDGET (seconds, see below), STEPS (default "index batch oneshot web shards";
# the figures of steps not named stay from the last run of this SIZE), ENGINES (default
# "nsearch cc omega fts5 sphinx"; the shards step needs nsearch), SHARD_COUNTS, WEB_SECONDS (default 5), WEB_CONNECTIONS (8), ONESHOT_N (100),
# SEED (42), RESULTS_MD (default bench/RESULTS.md; "-" for none).
set -euo pipefail

SIZE=${1:-10000}
case $SIZE in ''|*[!0-9]*) echo "usage: bench/run.sh [SIZE]" >&2; exit 2 ;; esac
TOP=$(cd "$(dirname "$0")/.." && pwd)
HERE=$TOP/bench
BENCH_DIR=${BENCH_DIR:-/tmp/nsearch-bench}
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
if [ "$SIZE" -ge 1000000 ]; then REPS=${REPS:-1}; else REPS=${REPS:-3}; fi
STEPS=${STEPS:-index batch oneshot web shards}
SHARD_COUNTS=${SHARD_COUNTS:-2 4}
for n in $SHARD_COUNTS; do
    case $n in ''|*[!0-9]*|0|1) echo "bench/run.sh: SHARD_COUNTS: '$n' is not a number of shards from 2 up" >&2; exit 2 ;; esac
done
ENGINES=${ENGINES:-nsearch cc omega fts5 sphinx}
WEB_SECONDS=${WEB_SECONDS:-5}
WEB_CONNECTIONS=${WEB_CONNECTIONS:-8}
SEED=${SEED:-42}
RESULTS_MD=${RESULTS_MD:-$HERE/RESULTS.md}
# Bound every step: generous for the size, so that a hung program cannot hold the run.
IDX_TIMEOUT=${IDX_TIMEOUT:-$((300 + SIZE / 100))}
# Up to 20,000 articles, no run starts that would end after TIME_BUDGET seconds (so that
# `make bench` at 10k stays within 10 minutes on a slow machine); 0: no limit.
TIME_BUDGET=${TIME_BUDGET:-$((SIZE <= 20000 ? 570 : 0))}
START=$(date +%s)
PY=/usr/bin/python3
export BENCH_DIR ONESHOT_N=${ONESHOT_N:-100} BATCH_TIMEOUT=${BATCH_TIMEOUT:-$((1800 + SIZE / 200))}

C=$BENCH_DIR/corpus-$SIZE          # the archive
I=$BENCH_DIR/idx-$SIZE             # the indexes (Omega's CGI finds "omega" here)
R=$BENCH_DIR/results-$SIZE         # time reports, logs, results.jsonl
Q=$BENCH_DIR/queries-$SEED.txt
RES=$R/results.jsonl

say() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { echo "bench/run.sh: $*" >&2; exit 2; }
has() { case " $1 " in *" $2 "*) return 0 ;; esac; return 1; }

# ---- tools ------------------------------------------------------------------------------
"$TOP/scripts/setup.sh" bench || die "scripts/setup.sh bench failed: the peers cannot be installed"
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is missing (Debian package $2; scripts/setup.sh bench installs it)"; }
[ -x /usr/bin/python3 ] || die "/usr/bin/python3 is missing (package python3)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (package time)"
need groff groff-base; need scriptindex xapian-omega; need quest xapian-tools; need wrk wrk
need lighttpd lighttpd; need sqlite3 sqlite3; need xapian-config libxapian-dev; need g++ g++
need du coreutils; need timeout coreutils; need curl curl
need indexer sphinxsearch; need searchd sphinxsearch; need xapian-tcpsrv xapian-tools
$PY -c 'import xapian' 2>/dev/null || die "python3-xapian is missing (scripts/setup.sh bench)"
$PY -c 'import pymysql' 2>/dev/null || die "python3-pymysql is missing (scripts/setup.sh bench)"
OMEGA_CGI=/usr/lib/cgi-bin/omega/omega
[ -x $OMEGA_CGI ] || die "$OMEGA_CGI is missing (package xapian-omega)"
OMEGA_TEMPLATES=/var/lib/xapian-omega/templates
[ -f $OMEGA_TEMPLATES/query ] || die "Omega's query template is missing ($OMEGA_TEMPLATES)"

mkdir -p "$BENCH_DIR/bin" "$I" "$R"
NS=yes
for b in nindex nsearch nsearch.cgi; do
    [ -x "$BUILD/$b" ] || { say "warning: $BUILD/$b is missing: run 'make all'; nsearch's lines are left out"; NS=no; }
done
if [ $NS = no ]; then
    ENGINES=$(echo " $ENGINES " | sed 's/ nsearch / /')
else
    # A copy: a rebuild of $BUILD during the run must not change the programs measured.
    for b in nindex nsearch nsearch.cgi; do cp "$BUILD/$b" "$BENCH_DIR/bin/$b.tmp" && mv "$BENCH_DIR/bin/$b.tmp" "$BENCH_DIR/bin/$b"; done
    BUILD=$BENCH_DIR/bin
fi
XI=$BENCH_DIR/bin/xapian_index
if [ ! -x "$XI" ] || [ "$HERE/xapian_index.cc" -nt "$XI" ]; then
    say "building $XI"
    # shellcheck disable=SC2046
    if ! g++ -std=c++17 -O2 -o "$XI.tmp" "$HERE/xapian_index.cc" $(xapian-config --cxxflags --libs); then
        die "cannot build bench/xapian_index.cc"
    fi
    mv "$XI.tmp" "$XI"
fi

# ---- data -------------------------------------------------------------------------------
say "archive: $C"
$PY "$HERE/gencorpus" --seed "$SEED" --out "$C" "$SIZE" || die "gencorpus failed"
$PY "$HERE/gencorpus" --seed "$SEED" --queries 1000 > "$Q.tmp" || die "gencorpus --queries failed"
mv "$Q.tmp" "$Q"
# The steps run now start afresh; figures of the other steps (an earlier run of this size on
# the same archive) stay, so that e.g. STEPS="batch oneshot web" REPS=3 re-measures search on
# the indexes already built.
if [ -f "$RES" ]; then
    $PY -c 'import json, sys
steps = set(sys.argv[2:])
def step(r):  # the shards step writes index and batch lines of its own engines
    return "shards" if r.get("engine", "").startswith("nsearch-") else r.get("section")
keep = [l for l in open(sys.argv[1], encoding="utf-8") if step(json.loads(l)) not in steps]
open(sys.argv[1], "w", encoding="utf-8").writelines(keep)' "$RES" $STEPS || rm -f "$RES"
fi

# ---- cleanup of the servers -------------------------------------------------------------
LPID=""
SPID=""
TPIDS=""
stop_sphinx() {
    [ -n "$SPID" ] || return 0
    kill "$SPID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SPID" 2>/dev/null || true
    wait "$SPID" 2>/dev/null || true
    SPID=""
}
stop_web() {
    [ -n "$LPID" ] || return 0
    local kids
    kids=$(ps -o pid= --ppid "$LPID" 2>/dev/null || true)
    kill "$LPID" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$LPID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$LPID" 2>/dev/null || true
    # shellcheck disable=SC2086
    [ -z "$kids" ] || kill $kids 2>/dev/null || true
    wait "$LPID" 2>/dev/null || true
    LPID=""
}
stop_tcpsrv() {
    [ -n "$TPIDS" ] || return 0
    # shellcheck disable=SC2086
    kill $TPIDS 2>/dev/null || true
    for p in $TPIDS; do wait "$p" 2>/dev/null || true; done
    TPIDS=""
}
trap 'stop_web; stop_sphinx; stop_tcpsrv' EXIT
trap 'stop_web; stop_sphinx; stop_tcpsrv; exit 130' INT TERM

# ---- indexing ---------------------------------------------------------------------------
DUMP=$BENCH_DIR/dump-$SIZE.txt
SXML=$BENCH_DIR/sphinx-$SIZE.xml
SCONF=$I/sphinx/sphinx.conf
SPORT=""
sphinx_conf() {  # a fresh loopback port each time searchd is to start
    SPORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    mkdir -p "$I/sphinx"
    $PY "$HERE/sphinx_bench.py" conf "$I/sphinx" "$SXML" "$SPORT"
}
start_sphinx() {
    sphinx_conf
    : > "$R/searchd.out"
    searchd --config "$SCONF" --nodetach >"$R/searchd.out" 2>&1 &
    SPID=$!
    # It reads the index before it listens (precaching): bounded like an indexing run.
    for _ in $(seq $((IDX_TIMEOUT * 5))); do
        grep -q 'accepting connections' "$R/searchd.out" && return 0
        kill -0 "$SPID" 2>/dev/null || break
        sleep 0.2
    done
    say "warning: searchd did not start:"; tail -n 5 "$R/searchd.out" >&2 || true
    stop_sphinx
    return 1
}
db_of() {
    case $1 in
        nsearch) echo "$I/nsearch" ;; cc) echo "$I/cc" ;; omega) echo "$I/omega" ;; fts5) echo "$I/fts5.db" ;;
        sphinx) echo "$I/sphinx/data" ;;
        nsearch-sh*) echo "$I/nsearch-${1#nsearch-sh}-shards" ;;
        nsearch-remote*) echo "$I/nsearch-remote-${1#nsearch-remote}.stub" ;;
    esac
}
index_one() {  # ENGINE REP
    local e=$1 rep=$2 db log tf
    db=$(db_of "$e"); log=$R/index-$e.log; tf=$R/index-$e-$rep.time
    rm -rf "$db"
    say "rep $rep: index $e"
    local T=(/usr/bin/time -v -o "$tf" timeout "$IDX_TIMEOUT")
    case $e in
        nsearch) "${T[@]}" "$BUILD/nindex" --db "$db" "$C" >"$log" 2>&1 || true ;;
        nsearch-sh*) "${T[@]}" "$BUILD/nindex" --shards "${e#nsearch-sh}" --db "$db" "$C" >"$log" 2>&1 || true ;;
        cc) "${T[@]}" "$XI" "$C" "$db" >"$log" 2>&1 || true ;;
        omega)
            if [ ! -s "$DUMP" ] || [ "$C/.gencorpus" -nt "$DUMP" ]; then
                /usr/bin/time -v -o "$R/index-dump-$rep.time" timeout "$IDX_TIMEOUT" \
                    $PY "$HERE/to_dump.py" "$C" "$DUMP" >"$R/index-dump.log" 2>&1 || true
                $PY "$HERE/bench.py" index dump "$rep" "$R/index-dump-$rep.time" "$DUMP" "$RES"
            fi
            "${T[@]}" scriptindex --overwrite -s english "$db" "$HERE/omega.index" "$DUMP" >"$log" 2>&1 || true ;;
        fts5) "${T[@]}" $PY "$HERE/fts5_bench.py" index "$C" "$db" >"$log" 2>&1 || true ;;
        sphinx)
            # Its input, an xmlpipe2 file, is made once and timed on a line of its own (as
            # Omega's dump); the indexer reads it through `cat` (xmlpipe_command).
            if [ ! -s "$SXML" ] || [ "$C/.gencorpus" -nt "$SXML" ]; then
                /usr/bin/time -v -o "$R/index-sphinxxml-$rep.time" timeout "$IDX_TIMEOUT" \
                    $PY "$HERE/sphinx_bench.py" xml "$C" "$SXML" >"$R/index-sphinxxml.log" 2>&1 || true
                $PY "$HERE/bench.py" index sphinxxml "$rep" "$R/index-sphinxxml-$rep.time" "$SXML" "$RES"
            fi
            sphinx_conf
            "${T[@]}" indexer --config "$SCONF" --all --quiet >"$log" 2>&1 || true ;;
    esac
    $PY "$HERE/bench.py" index "$e" "$rep" "$tf" "$db" "$RES"
    if ! grep -q 'Exit status: 0' "$tf" || grep -q 'terminated by signal' "$tf"; then
        say "warning: $e indexing failed ($(grep 'Exit status' "$tf" || echo killed)); last lines of $log:"
        tail -n 5 "$log" >&2 || true
    fi
}

# ---- shards -----------------------------------------------------------------------------
start_tcpsrv() {  # N: serve the N shards of nsearch-shN on loopback; write the remote stub
    local n=$1 dir stub port k ports
    dir=$(db_of "nsearch-sh$n"); stub=$(db_of "nsearch-remote$n")
    ports=$($PY -c 'import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))' "$n")
    : > "$stub.tmp"
    k=0
    for port in $ports; do
        [ -d "$dir/shard$k" ] || { say "warning: $dir/shard$k is missing"; stop_tcpsrv; return 1; }
        setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" --quiet "$dir/shard$k" \
            >>"$R/tcpsrv.out" 2>&1 &
        TPIDS="$TPIDS $!"
        echo "remote 127.0.0.1:$port" >> "$stub.tmp"
        k=$((k + 1))
    done
    mv "$stub.tmp" "$stub"
    for port in $ports; do
        if ! $PY -c 'import socket, sys, time
for _ in range(600):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close(); sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)' "$port"; then
            say "warning: xapian-tcpsrv on port $port did not listen:"; tail -n 5 "$R/tcpsrv.out" >&2 || true
            stop_tcpsrv
            return 1
        fi
    done
}
shards_one() {  # REP: build each SHARD_COUNTS database, search each, and the largest remotely
    local rep=$1 n big=""
    for n in $SHARD_COUNTS; do
        index_one "nsearch-sh$n" "$rep"
        if [ -z "$big" ] || [ "$n" -gt "$big" ]; then big=$n; fi
    done
    for n in $SHARD_COUNTS; do
        say "rep $rep: batch nsearch over $n local shards"
        $PY "$HERE/bench.py" batch "nsearch-sh$n" "$rep" "$(db_of "nsearch-sh$n")" "$Q" "$RES" "$BUILD/nsearch"
    done
    if start_tcpsrv "$big"; then
        say "rep $rep: batch nsearch over $big remote shards (xapian-tcpsrv $TPIDS)"
        $PY "$HERE/bench.py" batch "nsearch-remote$big" "$rep" "$(db_of "nsearch-remote$big")" "$Q" "$RES" "$BUILD/nsearch"
    else
        $PY "$HERE/bench.py" batch "nsearch-remote$big" "$rep" - "$Q" "$RES"  # recorded as failed
    fi
    stop_tcpsrv
}

# ---- web --------------------------------------------------------------------------------
WEBD=$R/web
start_web() {
    rm -rf "$WEBD"; mkdir -p "$WEBD/root/cgi-bin" "$WEBD/omega-log" "$WEBD/cdb"
    ln -s "$OMEGA_CGI" "$WEBD/root/cgi-bin/omega"
    [ $NS = yes ] && ln -s "$BUILD/nsearch.cgi" "$WEBD/root/cgi-bin/nsearch.cgi"
    cat > "$WEBD/omega.conf" <<EOF
database_dir $I
template_dir $OMEGA_TEMPLATES
log_dir $WEBD/omega-log
cdb_dir $WEBD/cdb
EOF
    PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local fcgi=""
    if [ $NS = yes ]; then
        fcgi="fastcgi.server = ( \"/fcgi\" => (( \"socket\" => \"$WEBD/nsearch.sock\",
    \"bin-path\" => \"$BUILD/nsearch.cgi\", \"max-procs\" => $(nproc), \"check-local\" => \"disable\",
    \"bin-environment\" => ( \"NSEARCH_DB\" => \"$(db_of nsearch)\" ) )) )"
    fi
    cat > "$WEBD/lighttpd.conf" <<EOF
server.modules = ( "mod_setenv", "mod_cgi", "mod_fastcgi" )
server.document-root = "$WEBD/root"
server.bind = "127.0.0.1"
server.port = $PORT
server.errorlog = "$WEBD/error.log"
server.pid-file = "$WEBD/lighttpd.pid"
server.max-connections = 256
mimetype.assign = ( ".html" => "text/html" )
setenv.add-environment = ( "NSEARCH_DB" => "$(db_of nsearch)", "OMEGA_CONFIG_FILE" => "$WEBD/omega.conf" )
\$HTTP["url"] =~ "^/cgi-bin/" { cgi.assign = ( "" => "" ) }
$fcgi
EOF
    echo ok > "$WEBD/root/static.html"
    lighttpd -D -f "$WEBD/lighttpd.conf" >"$WEBD/lighttpd.out" 2>&1 &
    LPID=$!
    for _ in $(seq 50); do
        curl -s -o /dev/null "http://127.0.0.1:$PORT/static.html" && return 0
        kill -0 "$LPID" 2>/dev/null || break
        sleep 0.2
    done
    say "warning: lighttpd did not start:"; cat "$WEBD/lighttpd.out" "$WEBD/error.log" >&2 2>/dev/null || true
    stop_web
    return 1
}
web_one() {  # NAME REP URLPREFIX PATHS
    local name=$1 rep=$2 pre=$3 paths=$4 out=$R/web-$1-$2.out code first
    sed "s|^|$pre|" "$paths" > "$WEBD/paths-$name"
    first=$(head -n 1 "$WEBD/paths-$name")
    # One request first: a broken endpoint is reported, not benchmarked.
    code=$(curl -s -m 20 -o "$WEBD/first-$name.html" -w '%{http_code}' "http://127.0.0.1:$PORT$first" || echo 000)
    if [ "$code" = 200 ] && grep -q "couldn't be opened" "$WEBD/first-$name.html"; then
        code="200 with Omega's error page"  # Omega answers 200 when its database is missing
    fi
    if [ "$code" != 200 ]; then
        say "warning: $name answered $code to $first"
        echo "no answer: HTTP $code" > "$out"
    else
        say "rep $rep: wrk $name (${WEB_SECONDS}s, $WEB_CONNECTIONS connections)"
        WRK_PATHS="$WEBD/paths-$name" timeout $((WEB_SECONDS + 30)) wrk -t 2 -c "$WEB_CONNECTIONS" \
            -d "${WEB_SECONDS}s" --timeout 10s -s "$HERE/wrk.lua" "http://127.0.0.1:$PORT" >"$out" 2>&1 || true
    fi
    $PY "$HERE/bench.py" web "$name" "$rep" "$out" "$RES"
}

# ---- the runs ---------------------------------------------------------------------------
# One run = every step once; the first run always happens, a further one only when the
# projection of the runs so far fits in TIME_BUDGET (counted from the start of the script).
say "$SIZE articles, up to $REPS run(s): steps [$STEPS], engines [$ENGINES]"
RUNS_T0=$(date +%s)
for rep in $(seq 1 "$REPS"); do
    now=$(date +%s)
    if [ "$TIME_BUDGET" -gt 0 ] && [ "$rep" -gt 1 ] && \
       [ $((now - START + (now - RUNS_T0) / (rep - 1))) -gt "$TIME_BUDGET" ]; then
        say "stopping after $((rep - 1)) run(s): another would pass TIME_BUDGET=${TIME_BUDGET}s"
        break
    fi
    if has "$STEPS" index; then
        for e in $ENGINES; do index_one "$e" "$rep"; done
    fi
    if has "$STEPS" batch; then
        has "$ENGINES" nsearch && { say "rep $rep: batch nsearch"; $PY "$HERE/bench.py" batch nsearch "$rep" "$(db_of nsearch)" "$Q" "$RES" "$BUILD/nsearch"; }
        has "$ENGINES" nsearch && { say "rep $rep: batch nsearch, one thread"; $PY "$HERE/bench.py" batch nsearch1 "$rep" "$(db_of nsearch)" "$Q" "$RES" "$BUILD/nsearch"; }
        has "$ENGINES" cc && { say "rep $rep: batch python3-xapian"; $PY "$HERE/bench.py" batch pyxapian "$rep" "$(db_of cc)" "$Q" "$RES"; }
        has "$ENGINES" fts5 && { say "rep $rep: batch fts5"; $PY "$HERE/bench.py" batch fts5 "$rep" "$(db_of fts5)" "$Q" "$RES"; }
        if has "$ENGINES" sphinx; then
            if start_sphinx; then
                say "rep $rep: batch sphinx (searchd $SPID on 127.0.0.1:$SPORT)"
                $PY "$HERE/bench.py" batch sphinx "$rep" "$SPORT" "$Q" "$RES"
            else
                $PY "$HERE/bench.py" batch sphinx "$rep" - "$Q" "$RES"  # recorded as failed
            fi
            stop_sphinx
        fi
    fi
    if has "$STEPS" oneshot; then
        os=()
        has "$ENGINES" nsearch && os+=("nsearch=$(db_of nsearch):$BUILD/nsearch")
        has "$ENGINES" cc && os+=("quest=$(db_of cc)")
        has "$ENGINES" fts5 && os+=("sqlite3=$(db_of fts5)")
        if [ ${#os[@]} -gt 0 ]; then
            say "rep $rep: one-shot ${os[*]%%=*}, taking turns query by query"
            $PY "$HERE/bench.py" oneshot "$rep" "$Q" "$RES" "${os[@]}"
        fi
    fi
    if has "$STEPS" shards && has "$ENGINES" nsearch; then
        shards_one "$rep"
    fi
    if has "$STEPS" web && start_web; then
        $PY "$HERE/bench.py" webpaths "$Q" nsearch > "$WEBD/src-ns"
        $PY "$HERE/bench.py" webpaths "$Q" omega > "$WEBD/src-omega"
        if has "$ENGINES" nsearch; then
            web_one fcgi "$rep" "/fcgi?" "$WEBD/src-ns"
            web_one cgi "$rep" "/cgi-bin/nsearch.cgi?" "$WEBD/src-ns"
        fi
        has "$ENGINES" omega && web_one omega "$rep" "" "$WEBD/src-omega"
        stop_web
    fi
done

[ "$RESULTS_MD" = - ] && RESULTS_MD=$R/RESULTS.md
BENCH_CMD="REPS=$REPS STEPS=\"$STEPS\" ENGINES=\"$ENGINES\" bench/run.sh $SIZE" \
BENCH_COMMIT=$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo unknown) \
    $PY "$HERE/bench.py" report "$SIZE" "$RES" "$C/.gencorpus" "$RESULTS_MD"
say "done: table above; also in $RESULTS_MD; logs in $R"
