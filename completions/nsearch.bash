# bash completion for nsearch and nindex                        -*- shell-script -*-
# Installed as bash-completion/completions/nsearch, with nindex a link to it.
#
# Options and their fixed values are listed here (tests/e2e/completion_bash.sh
# checks them against --help). `vendor:` names and months come from the
# database the command line names: --db PATH, else $NSEARCH_DB, else nsearch.db,
# as for nsearch itself, through a query of filters alone, which lists every
# article with its facets:  nsearch --json --facets --limit 0 lang:en lang:ru

_nsearch_opts='--db --vendor --month --lang -n --limit --offset --sort --facets --json --format
    --batch --jobs --analyze --bm25 --no-cross --cross-weight --intent-weight --stories
    --shard-timeout --allow-partial -h --help --version --'
_nindex_opts='--db --rebuild --batch --jobs --shards --follow-symlinks --watch --help --version'

# _nsearch_split: the words of the line up to the cursor as the shell will pass
# them, not as COMP_WORDS has them: bash also splits words at ':' and '=' (see
# COMP_WORDBREAKS), so `vendor:Go` arrives as `vendor` `:` `Go`. Sets _ns_words,
# _ns_cword (the word being completed, _ns_cur its text before the cursor) and
# _ns_cut, how many leading characters of _ns_cur readline leaves in place (a
# reply must leave them out, since readline replaces only the rest).
_nsearch_split() {
    local line=${COMP_LINE:0:COMP_POINT} pos=0 i w rest trimmed ws
    _ns_words=()
    _ns_cword=-1
    for ((i = 0; i <= COMP_CWORD; i++)); do
        rest=${line:pos}
        trimmed=${rest#"${rest%%[![:space:]]*}"}
        ws=$((${#rest} - ${#trimmed}))
        if ((i == COMP_CWORD)); then
            w=$trimmed
        else
            w=${COMP_WORDS[i]}
        fi
        if ((i > 0 && ws == 0 && _ns_cword >= 0)); then
            _ns_words[_ns_cword]+=$w
        else
            _ns_cword=$((_ns_cword + 1))
            _ns_words[_ns_cword]=$w
        fi
        pos=$((pos + ws + ${#w}))
    done
    _ns_cur=${_ns_words[_ns_cword]}
    # readline replaces the text after the last word-break character, which
    # may be shorter than COMP_WORDS' current word (':' itself, after `vendor:`)
    _ns_cut=${#_ns_cur}
    while ((_ns_cut > 0)) && [[ $COMP_WORDBREAKS != *"${_ns_cur:_ns_cut-1:1}"* ]]; do
        _ns_cut=$((_ns_cut - 1))
    done
}

# _nsearch_dequote WORD: WORD as the program receives it, for the simple cases
# (one pair of quotes, backslashes, a leading ~/).
_nsearch_dequote() {
    local w=$1
    case $w in
        \'*\') w=${w:1:${#w}-2} ;;
        \"*\") w=${w:1:${#w}-2} ;;
        \'* | \"*) w=${w:1} ;;
        *) w=${w//\\/} ;;
    esac
    [[ $w == "~/"* ]] && w=$HOME/${w:2}
    printf '%s' "$w"
}

# _nsearch_db: the database the command line names.
_nsearch_db() {
    local i db=${NSEARCH_DB:-nsearch.db}
    for ((i = 1; i < _ns_cword; i++)); do
        case ${_ns_words[i]} in
            --) break ;;
            --db) db=$(_nsearch_dequote "${_ns_words[i + 1]}") ;;
            --db=*) db=$(_nsearch_dequote "${_ns_words[i]#--db=}") ;;
        esac
    done
    printf '%s' "$db"
}

# _nsearch_facet vendor|month: the facet's values in the database, one a line.
# Reads nsearch's JSON: ..."facets":{"vendor":{"OpenAI":12,...},"month":{...}}...
_nsearch_facet() {
    local json obj name
    json=$(command nsearch --db "$(_nsearch_db)" --json --facets --limit 0 lang:en lang:ru 2>/dev/null) ||
        [[ $json ]] || return 0
    obj=${json#*\"facets\":\{}
    [[ $obj == "$json" ]] && return 0
    [[ $1 == month ]] && obj=${obj#*\},\"month\":\{}
    obj=${obj#\"vendor\":\{}
    while [[ $obj =~ ^\"((\\.|[^\"\\])*)\":[0-9]+,? ]]; do
        name=${BASH_REMATCH[1]}
        obj=${obj:${#BASH_REMATCH[0]}}
        # JSON's escapes: \" here, then %b does \\ \n \t \r \uXXXX (nothing else
        # has a backslash in nsearch's JSON)
        name=${name//\\\"/\"}
        printf '%b\n' "$name"
    done
}

# _nsearch_reply PREFIX CUR CANDIDATE...: COMPREPLY gets each candidate that
# starts with CUR (ignoring case), as PREFIX+CANDIDATE quoted for the shell,
# less the _ns_cut characters of PREFIX that are not in bash's current word.
_nsearch_reply() {
    local prefix=$1 cur=${2,,} c q
    shift 2
    for c in "$@"; do
        [[ ${c,,} == "$cur"* ]] || continue
        printf -v q '%q' "$c"
        q=$prefix$q
        COMPREPLY+=("${q:_ns_cut}")
    done
}

# _nsearch_reply_vendors CUR: vendor:NAME for each vendor whose name starts with
# CUR, written as the query language wants it: vendor:"Hugging Face".
_nsearch_reply_vendors() {
    local cur=${1#\"} v q
    cur=${cur,,}
    while IFS= read -r v; do
        [[ ${v,,} == "$cur"* ]] || continue
        case $v in
            *[[:space:]\"\(\)]*) printf -v q '%q' "\"$v\"" ;;
            *) printf -v q '%q' "$v" ;;
        esac
        q=vendor:$q
        COMPREPLY+=("${q:_ns_cut}")
    done < <(_nsearch_facet vendor)
}

# _nsearch_start: COMPREPLY emptied, the line split (_nsearch_split), and the
# caller's cur and prev set to the word being completed and the one before.
_nsearch_start() {
    COMPREPLY=()
    _nsearch_split
    cur=$_ns_cur
    prev=${_ns_words[_ns_cword - 1]}
}

# _nsearch_reply_dirs WORD: the folders that complete WORD (an option's value).
_nsearch_reply_dirs() {
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -d -- "$(_nsearch_dequote "$1")")
}

_nsearch() {
    local cur prev d IFS=$' \t\n'
    local -a vals
    _nsearch_start
    case $prev in
        --db) _nsearch_reply_dirs "$cur"; return ;;
        --vendor)
            mapfile -t vals < <(_nsearch_facet vendor)
            _nsearch_reply "" "$(_nsearch_dequote "$cur")" "${vals[@]}"
            return ;;
        --month)
            mapfile -t vals < <(_nsearch_facet month)
            if [[ $cur == *..* ]]; then
                _nsearch_reply "${cur%%..*}.." "${cur#*..}" "${vals[@]}"
            else
                _nsearch_reply "" "$cur" "${vals[@]}"
            fi
            return ;;
        --lang) _nsearch_reply "" "$cur" en ru; return ;;
        --sort) _nsearch_reply "" "$cur" relevance date; return ;;
        -n | --limit | --offset | --jobs | --bm25 | --format | --cross-weight | --intent-weight | --shard-timeout) return ;;
    esac
    case $cur in
        --db=*)
            compopt -o filenames 2>/dev/null
            while IFS= read -r d; do
                d=--db=$d
                COMPREPLY+=("${d:_ns_cut}")
            done < <(compgen -d -- "$(_nsearch_dequote "${cur#--db=}")") ;;
        -*)
            # shellcheck disable=SC2086
            _nsearch_reply "" "$cur" $_nsearch_opts ;;
        vendor:*)
            _nsearch_reply_vendors "$(_nsearch_dequote "${cur#vendor:}")" ;;
        month:*..*)
            mapfile -t vals < <(_nsearch_facet month)
            _nsearch_reply "${cur%%..*}.." "${cur#*..}" "${vals[@]}" ;;
        month:*)
            mapfile -t vals < <(_nsearch_facet month)
            _nsearch_reply month: "${cur#month:}" "${vals[@]}" ;;
        lang:*)
            _nsearch_reply lang: "${cur#lang:}" en ru ;;
        *)
            _nsearch_reply "" "$cur" vendor: month: lang:
            compopt -o nospace 2>/dev/null ;;
    esac
}

_nindex() {
    local cur prev IFS=$' \t\n'
    _nsearch_start
    case $prev in
        --db) _nsearch_reply_dirs "$cur"; return ;;
        --batch | --jobs | --shards) return ;;
    esac
    if [[ $cur == -* ]]; then
        # shellcheck disable=SC2086
        _nsearch_reply "" "$cur" $_nindex_opts
        return
    fi
    # PATH...: folders, and single Markdown files
    compopt -o filenames 2>/dev/null
    cur=$(_nsearch_dequote "$cur")
    mapfile -t COMPREPLY < <(compgen -d -- "$cur"; compgen -f -X '!*.md' -- "$cur")
}

complete -F _nsearch nsearch
complete -F _nindex nindex
