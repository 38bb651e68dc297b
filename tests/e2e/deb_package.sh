#!/bin/sh
# deb_package.sh: the Debian package (`make deb`, built here when missing or older
# than the tree, else reused) installs with apt, puts its files in their FHS
# places, creates the nsearch user and /var/lib/nsearch; the installed nindex,
# run as that user, indexes the example archive the package ships, the installed
# nsearch and nsearch.cgi search it, the installed units verify, the completions
# load; a reinstall keeps an edited /etc/nsearch/nsearch.conf; and purge leaves
# no file of the package behind, only the database nindex was told to write.
# Needs root (it installs a package); runs under a lock, one at a time per machine.
# run-once
set -eu
: "${NS_BUILD:?}" "${NS_TOP:?}"
PATH=$PATH:/usr/sbin:/sbin
if [ "$(id -u)" -ne 0 ]; then echo "skip: installing a package needs root"; exit 0; fi
command -v dpkg > /dev/null && command -v apt-get > /dev/null || { echo "skip: not a Debian system"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsearch-deb.XXXXXX")
# set when this test installed the package: it is removed again on any exit
marker=/var/tmp/nsearch-deb-test.installed
db=
cleanup() {
    if [ -e "$marker" ]; then
        apt_get purge nsearch > /dev/null 2>&1 || true
        rm -f "$marker"
    fi
    [ -n "$db" ] && rm -rf "$db" "$db.nindex-tmp"
    [ -n "$db" ] && [ "$varlib_existed" = no ] && rmdir /var/lib/nsearch 2>/dev/null
    rm -rf "$tmp"
}
varlib_existed=yes
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
fail() { echo "FAIL: $*"; exit 1; }
apt_get() {  # waits for the dpkg lock (another engineer's install) instead of failing
    DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=300 "$@"
}

# One package test at a time on this machine (other work trees run this test too).
lockdir=/run/lock
[ -d $lockdir ] || lockdir=/tmp
exec 9> "$lockdir/nsearch-deb-test.lock"
flock -w 900 9 || fail "another package test held $lockdir/nsearch-deb-test.lock for 15 minutes"

if dpkg-query -W -f='${Status}' nsearch 2>/dev/null | grep -q ' installed$\| unpacked$\|half'; then
    if [ -e "$marker" ]; then
        apt_get purge nsearch > /dev/null 2>&1 || fail "cannot purge the package a stopped test left"
        rm -f "$marker"
    else
        echo "skip: an nsearch package this test did not install is on the machine; it is not replaced"
        exit 0
    fi
fi

# ---- the package: reuse build/'s when newer than every file of the tree -------------------------
arch=$(dpkg --print-architecture)
version=$(sed -n '1s/^nsearch (\([^)]*\)).*/\1/p' "$NS_TOP/debian/changelog")
deb=$NS_TOP/build/nsearch_${version}_$arch.deb
if [ -f "$deb" ] && [ -z "$(cd "$NS_TOP" && find . \( -name 'build*' -o -name .git \) -prune -o \
        -type f -newer "$deb" -print | head -n 1)" ]; then
    echo "reusing $deb"
else
    echo "building $deb (make deb)"
    (unset MAKEFLAGS MFLAGS MAKELEVEL; make -s -C "$NS_TOP" deb) > "$tmp/deb.out" 2>&1 ||
        fail "make deb: $(tail -n 30 "$tmp/deb.out")"
fi
[ -f "$deb" ] || fail "no $deb"

# ---- install ------------------------------------------------------------------------------------
[ -d /var/lib/nsearch ] || varlib_existed=no
: > "$marker"
apt_get install --no-install-recommends "$deb" > "$tmp/install.out" 2>&1 ||
    fail "apt-get install: $(tail -n 20 "$tmp/install.out")"
dpkg -L nsearch > "$tmp/files"
for f in /usr/bin/nindex /usr/bin/nsearch /usr/lib/nsearch/nsearch.cgi /etc/nsearch/nsearch.conf \
         /usr/share/man/man1/nindex.1.gz /usr/share/man/man1/nsearch.1.gz \
         /lib/systemd/system/nsearch.socket /lib/systemd/system/nsearch.service \
         /lib/systemd/system/nsearch-index.service /lib/systemd/system/nsearch-index.path \
         /lib/systemd/system/nsearch-watch.service \
         /usr/share/bash-completion/completions/nsearch /usr/share/bash-completion/completions/nindex \
         /usr/share/zsh/vendor-completions/_nsearch /usr/share/doc/nsearch/copyright \
         /usr/share/doc/nsearch/examples/nginx-fastcgi.conf /usr/share/doc/nsearch/examples/apache-cgi.conf \
         /usr/share/doc/nsearch/reference/vendors.txt /usr/share/doc/nsearch/examples/corpus/en; do
    grep -qx "$f" "$tmp/files" || fail "the package lacks $f"
    [ -e "$f" ] || fail "$f is not installed"
done
# nothing outside the FHS places the package may use
grep -v -E '^/(\.|etc/nsearch(/.*)?|usr(/bin|/lib|/lib/nsearch|/share|/share/(man|doc|bash-completion|zsh)(/.*)?)?|lib(/systemd(/system(/nsearch[^/]*)?)?)?|etc|usr/bin/n(index|search)|usr/lib/nsearch/nsearch\.cgi)$' \
    "$tmp/files" > "$tmp/odd" && fail "files outside their places: $(head "$tmp/odd")"
n_md=$(find /usr/share/doc/nsearch/examples/corpus -name '*.md' | wc -l)
[ "$n_md" -eq "$(find "$NS_TOP/corpus" -name '*.md' | wc -l)" ] || fail "the example archive has $n_md articles"

# the system user and the database's folder
entry=$(getent passwd nsearch) || fail "no nsearch user"
uid=$(echo "$entry" | cut -d: -f3)
[ "$uid" -lt 1000 ] || fail "nsearch is not a system user (uid $uid)"
[ "$(stat -c %U /var/lib/nsearch)" = nsearch ] || fail "/var/lib/nsearch is not nsearch's"

# ---- the installed programs ---------------------------------------------------------------------
db=/var/lib/nsearch/deb-test-$$.db
runuser -u nsearch -- /usr/bin/nindex --db "$db" /usr/share/doc/nsearch/examples/corpus \
    > "$tmp/nindex.out" 2>&1 || fail "nindex as nsearch: $(cat "$tmp/nindex.out")"
grep -q "^added $n_md, updated 0, unchanged 0, removed 0, failed 0\$" "$tmp/nindex.out" ||
    fail "nindex: $(cat "$tmp/nindex.out")"
/usr/bin/nsearch --db "$db" --json --facets --limit 0 lang:en lang:ru > "$tmp/all.json" || fail "nsearch"
[ "$(jq .total "$tmp/all.json")" -eq "$n_md" ] || fail "nsearch lists $(jq .total "$tmp/all.json") articles"
NSEARCH_DB=$db /usr/bin/nsearch --json перевод | jq -e '.total > 0 and (.results[0].lang == "ru")' \
    > /dev/null || fail "a Russian query through \$NSEARCH_DB found nothing"
# the same answers as the programs of this tree
"$NS_BUILD/nsearch" --db "$db" --json --facets 'multilingual translation' | jq -c 'del(.took_ms)' > "$tmp/a"
/usr/bin/nsearch --db "$db" --json --facets 'multilingual translation' | jq -c 'del(.took_ms)' > "$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "the installed nsearch answers differently from $NS_BUILD/nsearch"
out=$(runuser -u nsearch -- env -i REQUEST_METHOD=GET QUERY_STRING='q=gpt-3&format=json' \
    NSEARCH_DB="$db" /usr/lib/nsearch/nsearch.cgi) || fail "nsearch.cgi as CGI"
printf '%s' "$out" | grep -q '^Content-Type: application/json' || fail "nsearch.cgi: $(printf '%s' "$out" | head -c 300)"

# ---- the installed units and completions --------------------------------------------------------
systemd-analyze verify /lib/systemd/system/nsearch.socket /lib/systemd/system/nsearch.service \
    /lib/systemd/system/nsearch-index.service /lib/systemd/system/nsearch-index.path \
    /lib/systemd/system/nsearch-watch.service > "$tmp/verify.out" 2>&1 || fail "systemd-analyze verify: $(cat "$tmp/verify.out")"
[ ! -s "$tmp/verify.out" ] || fail "systemd-analyze verify: $(cat "$tmp/verify.out")"
# the socket is enabled, the indexer is not (until the archive is set)
[ -L /etc/systemd/system/sockets.target.wants/nsearch.socket ] || fail "nsearch.socket is not enabled"
[ ! -e /etc/systemd/system/multi-user.target.wants/nsearch-index.service ] || fail "the indexer is enabled"
[ ! -e /etc/systemd/system/multi-user.target.wants/nsearch-watch.service ] || fail "the watching indexer is enabled"
if [ -f /usr/share/bash-completion/bash_completion ]; then
    bash -c '. /usr/share/bash-completion/bash_completion; __load_completion nsearch; __load_completion nindex
             complete -p nsearch nindex' > "$tmp/complete.out" 2>&1 || fail "bash completion: $(cat "$tmp/complete.out")"
    grep -q -- '-F _nsearch nsearch' "$tmp/complete.out" && grep -q -- '-F _nindex nindex' "$tmp/complete.out" ||
        fail "bash completion: $(cat "$tmp/complete.out")"
fi
if command -v zsh > /dev/null; then
    [ "$(zsh -fc 'autoload -Uz compinit && compinit -u -D && print -r -- $_comps[nsearch] $_comps[nindex]')" = \
      "_nsearch _nsearch" ] || fail "zsh does not find the completion in its fpath"
fi

# ---- a reinstall keeps the administrator's configuration ------------------------------------------
echo "# edited by deb_package.sh" >> /etc/nsearch/nsearch.conf
apt_get install --reinstall --no-install-recommends "$deb" > "$tmp/install.out" 2>&1 ||
    fail "reinstall: $(tail -n 20 "$tmp/install.out")"
grep -q '^# edited by deb_package.sh$' /etc/nsearch/nsearch.conf || fail "a reinstall overwrote nsearch.conf"

# ---- purge: only the database remains -------------------------------------------------------------
apt_get purge nsearch > "$tmp/purge.out" 2>&1 || fail "apt-get purge: $(tail -n 20 "$tmp/purge.out")"
rm -f "$marker"
dpkg-query -W -f='${Status}' nsearch 2>/dev/null | grep -q 'not-installed\|^$' ||
    ! dpkg-query -W nsearch > /dev/null 2>&1 || fail "still known to dpkg: $(dpkg-query -W -f='${Status}' nsearch)"
while IFS= read -r f; do
    [ -d "$f" ] && continue                       # shared folders (/usr/bin ...) stay
    [ -e "$f" ] || [ -L "$f" ] && fail "purge left $f"
done < "$tmp/files"
for d in /etc/nsearch /usr/lib/nsearch /usr/share/doc/nsearch; do
    [ ! -e "$d" ] || fail "purge left $d"
done
find /etc/systemd -name 'nsearch*' | grep . && fail "purge left systemd links (above)"
[ -f "$db/iamglass" ] || [ -d "$db" ] || fail "purge removed the database nindex wrote"
left=$(find /var/lib/nsearch -mindepth 1 -maxdepth 1 ! -path "$db" | head -n 3)
if [ "$varlib_existed" = no ] && [ -n "$left" ]; then fail "purge left in /var/lib/nsearch: $left"; fi
echo "ok ($n_md articles indexed by the installed nindex; purge kept only $db)"
