#!/bin/sh
# completion_bash.sh: completions/nsearch.bash. First scripted, as bash-completion's
# own tests do: source the script, set COMP_LINE/COMP_POINT and COMP_WORDS/
# COMP_CWORD split as bash splits them (at COMP_WORDBREAKS, so `vendor:Go` is
# `vendor` `:` `Go`), call the function, check COMPREPLY and the line readline
# would make of it. Then for real: a bash under tmux, TAB typed, the line read
# back. Vendor names and months come from the database of --db, --db=, or
# $NSEARCH_DB; the options offered are exactly those of --help.
# run-once
command -v bash > /dev/null || { echo "FAIL: bash is not installed"; exit 1; }
shell=bash
. "$NS_TOP/tests/e2e/completion_common"
mkdir "$tmp/my dbs"
"$NS_BUILD/nindex" --db "$tmp/my dbs/blog.db" "$tmp/corpus" > /dev/null 2>&1 || fail "nindex"
mkdir "$tmp/home"
ln -s "$tmp/my dbs/blog.db" "$tmp/home/blog.db"

# ---- scripted --------------------------------------------------------------------------------
cat > "$tmp/harness.bash" <<'H'
source "$NS_TOP/completions/nsearch.bash"
PATH=$NS_BUILD:$PATH
# c LINE: complete at the end of LINE; prints the candidates, one a line, then
# "=> " and the line readline would leave when there is exactly one
c() {
    COMP_LINE=$1 COMP_POINT=${#1}
    local -a w=()
    local cur= ch i q=
    for ((i = 0; i < ${#1}; i++)); do      # bash's split: blanks, and each break character
        ch=${1:i:1}
        if [[ -n $q ]]; then cur+=$ch; [[ $ch == "$q" ]] && q=; continue; fi
        case $ch in
            ' ') [[ -n $cur ]] && w+=("$cur"); cur= ;;
            \"|\') cur+=$ch; q=$ch ;;
            \\) cur+=$ch${1:i+1:1}; i=$((i + 1)) ;;
            *) if [[ $COMP_WORDBREAKS == *"$ch"* ]]; then
                   [[ -n $cur ]] && w+=("$cur"); w+=("$ch"); cur=
               else cur+=$ch; fi ;;
        esac
    done
    w+=("$cur")
    [[ ${w[${#w[@]}-2]:-} == [:=] && -z $cur ]] && unset 'w[${#w[@]}-1]'   # `vendor:` ends on ':'
    COMP_WORDS=("${w[@]}") COMP_CWORD=$((${#w[@]} - 1))
    COMPREPLY=()
    local fn
    fn=$(complete -p "${w[0]}" | sed 's/.*-F \([^ ]*\) .*/\1/')
    "$fn" 2> "$TMPDIR/stderr"
    [[ -s $TMPDIR/stderr ]] && { echo "stderr: $(cat "$TMPDIR/stderr")"; }
    printf '%s\n' "${COMPREPLY[@]}" | sort
    if ((${#COMPREPLY[@]} == 1)); then      # readline replaces the text after the last break
        local keep=$1
        while [[ -n $keep && $COMP_WORDBREAKS != *"${keep: -1}"* ]]; do keep=${keep:0:${#keep}-1}; done
        echo "=> $keep${COMPREPLY[0]}"
    fi
}
H
run() { TMPDIR=$tmp HOME=$tmp/home NS_TOP=$NS_TOP NS_BUILD=$NS_BUILD bash -c ". '$tmp/harness.bash'; $1"; }
check() {  # check NAME COMMANDS EXPECTED
    got=$(run "$2") || fail "$1: bash failed: $got"
    [ "$got" = "$3" ] || fail "$1:
--- expected
$3
--- got
$got"
}
db="$tmp/my dbs/blog.db"
qdb=$(printf '%s' "$db" | sed 's/ /\\ /g')       # as typed: my\ dbs

check vendor-prefix "c 'nsearch --db $qdb vendor:Go'" 'Google
=> nsearch --db '"$qdb"' vendor:Google'
check vendor-any-case "c 'nsearch --db $qdb vendor:nvi'" 'Nvidia
=> nsearch --db '"$qdb"' vendor:Nvidia'
check vendor-with-space "c 'nsearch --db $qdb vendor:hug'" '\"Hugging\ Face\"
=> nsearch --db '"$qdb"' vendor:\"Hugging\ Face\"'
check vendor-after-colon "c 'nsearch --db $qdb vendor:' | grep -c ." 36
# hostile names come back quoted for the shell, and nothing in them runs
check hostile-dollar "c 'nsearch --db $qdb --vendor \\\$'" '\$\(touch\ pwned\)
=> nsearch --db '"$qdb"' --vendor \$\(touch\ pwned\)'
check hostile-backtick "c 'nsearch --db $qdb vendor:\\\`'" '\"\`touch\ pwned2\`\"
=> nsearch --db '"$qdb"' vendor:\"\`touch\ pwned2\`\"'
check hostile-lt "c 'nsearch --db $qdb --vendor x'" 'x\<y
=> nsearch --db '"$qdb"' --vendor x\<y'
check hostile-backslash "c 'nsearch --db $qdb --vendor bac'" 'back\\slash
=> nsearch --db '"$qdb"' --vendor back\\slash'
# right after the colon COMP_WORDS' word is ":" itself, but readline replaces nothing
check month-after-colon "c 'nsearch --db $qdb month:' | head -n 2" '2020-05
2020-06'
check db-equals "c 'nsearch --db=$qdb month:2020-1'" '2020-10
2020-11
2020-12'
check month-range "c 'nsearch --db $qdb month:2020-05..2021-0'" '2020-05..2021-01
2020-05..2021-03'
check env-db "NSEARCH_DB='$db' c 'nsearch --month 2021'" '2021-01
2021-03'
check tilde-db "c 'nsearch --db ~/blog.db --vendor air'" 'Air\ Street\ Capital
=> nsearch --db ~/blog.db --vendor Air\ Street\ Capital'
check later-db-wins "c 'nsearch --db /nonexistent --db $qdb lang:e'" 'en
=> nsearch --db /nonexistent --db '"$qdb"' lang:en'
check no-db "cd '$tmp' && c 'nsearch vendor:G'" ''
check no-db-months "c 'nsearch --db /nonexistent --month 2'" ''
check filters "c 'nsearch la'" 'lang:
=> nsearch lang:'
check sort "c 'nsearch --sort d'" 'date
=> nsearch --sort date'
check option "c 'nsearch --fa'" '--facets
=> nsearch --facets'
check free-word "c 'nsearch transl'" ''
check nindex-option "c 'nindex --re'" '--rebuild
=> nindex --rebuild'
check nindex-path "cd '$tmp/corpus/en' && c 'nindex 2020-10-google-m'" '2020-10-google-meet-background-features.md
2020-10-google-mt5.md'

# the options offered are those --help lists, no more, no fewer
for prog in nsearch nindex; do
    # the lines of the "Options:" section that start with an option: "  -n, --limit N"
    "$NS_BUILD/$prog" --help | awk '/^[Oo]ptions:/ { on = 1; next } on && /^$/ { on = 0 } on' |
        grep -oE '^ +-[a-z0-9-]*(, --?[a-z0-9-]+)?' | tr ',' '\n' | tr -d ' ' | sort -u > "$tmp/help.$prog"
    [ "$(wc -l < "$tmp/help.$prog")" -ge 6 ] || fail "$prog --help: no options found"
    run "c '$prog -'" | grep -v '^=>' | sort -u > "$tmp/offered.$prog"
    diff "$tmp/help.$prog" "$tmp/offered.$prog" > "$tmp/diff" ||
        fail "$prog: options offered (>) and in --help (<) differ: $(cat "$tmp/diff")"
done

# ---- a real bash: readline does the replacing -------------------------------------------------
if ! command -v tmux > /dev/null; then fail "tmux is not installed (scripts/setup.sh test)"; fi
cat > "$tmp/rc" <<R
PS1='READY> '
PATH=$NS_BUILD:\$PATH
source "$NS_TOP/completions/nsearch.bash"
cd "$tmp"
R
tmux -L "$session" new-session -d -s "$session" -x 200 -y 20 "env -i HOME=$tmp/home TERM=xterm PATH=$PATH bash --noprofile --rcfile $tmp/rc -i"
wait_for 'READY>' || fail "bash under tmux did not start: $(tmux -L "$session" capture-pane -t "$session" -p)"
typed "nsearch --db $qdb vendor:goo" "nsearch --db $qdb vendor:Google "
typed "nsearch --db $qdb vendor:hug" "nsearch --db $qdb vendor:\\\"Hugging\\ Face\\\" "
typed "nsearch --db=$qdb month:2020-0" "nsearch --db=$qdb month:2020-0"
typed "nsearch --db ~/blog.db --vendor air" "nsearch --db ~/blog.db --vendor Air\\ Street\\ Capital "
typed "nsearch lang:r" "nsearch lang:ru "
typed "nsearch --db $qdb month:" "nsearch --db $qdb month:202"
typed "nsearch la" "nsearch lang:"
typed "nsearch --js" "nsearch --json "
tmux -L "$session" kill-server 2>/dev/null || true
for f in "$tmp/pwned" "$tmp/pwned2" "$tmp/home/pwned" "$tmp/home/pwned2" pwned pwned2; do
    [ ! -e "$f" ] || fail "a vendor name was run as a command: $f exists"
done
echo "ok (bash completion: scripted and under tmux)"
