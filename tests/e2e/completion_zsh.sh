#!/bin/sh
# completion_zsh.sh: completions/_nsearch in a real zsh under tmux, as a user
# would meet it: compinit with the completions folder in fpath, a line typed,
# TAB, the line read back. Vendor names and months come from the database of
# --db, --db= or $NSEARCH_DB; the options in _arguments are those of --help.
# run-once
for c in zsh tmux; do
    command -v $c > /dev/null || { echo "FAIL: $c is not installed (scripts/setup.sh test)"; exit 1; }
done
shell=zsh
. "$NS_TOP/tests/e2e/completion_common"
mkdir "$tmp/my dbs" "$tmp/home"
db="$tmp/my dbs/blog.db"
qdb=$(printf '%s' "$db" | sed 's/ /\\ /g')       # as typed: my\ dbs
"$NS_BUILD/nindex" --db "$db" "$tmp/corpus" > /dev/null 2>&1 || fail "nindex"
ln -s "$db" "$tmp/home/blog.db"

# ---- the options in _arguments are those of --help ----------------------------------------------
# nsearch: the specs after `_arguments` in the nsearch branch; nindex: in its branch
spec_opts() {  # spec_opts nsearch|nindex
    awk -v want="$1" '
        /^if \[\[ \$service == nindex \]\]/ { part = "nindex" }
        /^fi$/ && part == "nindex" { part = "nsearch"; next }
        part == want' "$NS_TOP/completions/_nsearch" |
        grep -oE "([{,]|^ *'(\([^)]*\))?\*?)--?[a-z][a-z0-9-]*" | sed -E "s/^.*[{,'*)]//" | sort -u
}
for prog in nsearch nindex; do
    "$NS_BUILD/$prog" --help | awk '/^[Oo]ptions:/ { on = 1; next } on && /^$/ { on = 0 } on' |
        grep -oE '^ +-[a-z0-9-]*(, --?[a-z0-9-]+)?' | tr ',' '\n' | tr -d ' ' |
        grep -vx -- '--' | sort -u > "$tmp/help.$prog"     # "--" is _arguments -S's
    [ "$(wc -l < "$tmp/help.$prog")" -ge 6 ] || fail "$prog --help: no options found"
    spec_opts $prog > "$tmp/spec.$prog"
    diff "$tmp/help.$prog" "$tmp/spec.$prog" > "$tmp/diff" ||
        fail "$prog: options completed (>) and in --help (<) differ: $(cat "$tmp/diff")"
done

# ---- zsh under tmux -----------------------------------------------------------------------------
cat > "$tmp/rc" <<R
path=($NS_BUILD \$path)
fpath=($NS_TOP/completions \$fpath)
autoload -Uz compinit && compinit -u -D
cd "$tmp"
PS1='READY> '
R
tmux -L "$session" new-session -d -s "$session" -x 220 -y 20 \
    "env -i HOME=$tmp/home TERM=xterm PATH=$PATH zsh -f -i"
tmux -L "$session" send-keys -t "$session" -l "source $tmp/rc"
tmux -L "$session" send-keys -t "$session" Enter
wait_for 'READY>' 200 || fail "zsh under tmux did not start: $(tmux -L "$session" capture-pane -t "$session" -p)"
typed "nsearch --db $qdb vendor:goo" "nsearch --db $qdb vendor:Google "
typed "nsearch --db $qdb vendor:hug" "nsearch --db $qdb vendor:\\\"Hugging\\ Face\\\" "
typed "nsearch --db=$qdb --vendor air" "nsearch --db=$qdb --vendor Air\\ Street\\ Capital "
typed "nsearch --db ~/blog.db month:2020-07" "nsearch --db ~/blog.db month:2020-07 "
typed "nsearch --db $qdb --month 2020-05..2020-08" "nsearch --db $qdb --month 2020-05..2020-08 "
typed "nsearch --db /nonexistent vendor:goo" "nsearch --db /nonexistent vendor:goo"
# hostile names come back quoted for the shell, and nothing in them runs
typed "nsearch --db $qdb --vendor \\\$" "nsearch --db $qdb --vendor \\\$\\(touch\\ pwned\\) "
typed "nsearch --db $qdb --vendor x" "nsearch --db $qdb --vendor x\\<y "
typed "nsearch --db $qdb --vendor bac" "nsearch --db $qdb --vendor back\\\\slash "
typed "nsearch lang:r" "nsearch lang:ru "
typed "nsearch la" "nsearch lang:"
typed "nsearch --sort d" "nsearch --sort date "
typed "nsearch --js" "nsearch --json "
typed "nindex --re" "nindex --rebuild "
typed "nindex corpus/en/2020-10-google-mt" "nindex corpus/en/2020-10-google-mt5.md "
# $NSEARCH_DB when there is no --db
tmux -L "$session" send-keys -t "$session" -l "export NSEARCH_DB=$qdb"
tmux -L "$session" send-keys -t "$session" Enter
wait_for 'READY>' || fail "export"
typed "nsearch vendor:yan" "nsearch vendor:Yandex "
for f in "$tmp/pwned" "$tmp/pwned2" "$tmp/home/pwned" "$tmp/home/pwned2"; do
    [ ! -e "$f" ] || fail "a vendor name was run as a command: $f exists"
done
echo "ok (zsh completion under tmux)"
