#!/bin/sh
# lint.sh: `make lint`. cppcheck (warning, performance, portability; the
# suppressions in tests/lint/cppcheck.supp and inline ones) and clang-tidy
# (the checked-in .clang-tidy) over the C and C++ code of src/, indexer/ and
# searcher/. clang-tidy reads a compile_commands.json written here from the
# Makefile's own flags into $BUILD/lint/. Exit non-zero on any finding.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
build=${BUILD:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
out=$build/lint
mkdir -p "$out"
[ -f "$build/gen/data.c" ] || { echo "lint: $build/gen/data.c missing (make $build/gen/data.c)"; exit 2; }
pkgs="xapian-core libutf8proc libcmark yaml-0.1"
pkg_cflags=$(pkg-config --cflags $pkgs 2> /dev/null)
incs="-Isrc -Iindexer -Isearcher -I$build/gen"
srcs=$(ls src/*.c src/*.cc indexer/*.c searcher/*.c 2> /dev/null)
status=0

# ---- cppcheck ---------------------------------------------------------------------
command -v cppcheck > /dev/null || { echo "lint: cppcheck is not installed (scripts/setup.sh test)"; exit 2; }
start=$(date +%s)
# shellcheck disable=SC2086
if cppcheck -q --enable=warning,performance,portability --error-exitcode=1 --inline-suppr \
    --suppressions-list=tests/lint/cppcheck.supp --std=c11 $incs \
    -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DNS_VERSION=\"0.1.0\" \
    --template='{file}:{line}: {severity} [{id}] {message}' $srcs > "$out/cppcheck.log" 2>&1; then
    echo "ok   lint cppcheck ($(( $(date +%s) - start ))s)"
else
    status=1
    echo "FAIL lint cppcheck"
    sed 's/^/    /' "$out/cppcheck.log"
fi

# ---- clang-tidy -------------------------------------------------------------------
command -v clang-tidy > /dev/null || { echo "lint: clang-tidy is not installed (scripts/setup.sh test)"; exit 2; }
start=$(date +%s)
{
    echo "["
    sep=
    for f in $srcs; do
        case $f in
            *.cc) args="c++ -std=c++11 -Wall -Wextra $incs $pkg_cflags -c $f" ;;
            *) args="cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DNS_VERSION=@V@ -Wall -Wextra $incs $pkg_cflags -c $f" ;;
        esac
        # an argument list, so the quoted version string needs no shell quoting
        list=$(for a in $args; do printf '"%s",' "$a"; done | sed 's/,$//; s/@V@/\\"0.1.0\\"/')
        printf '%s{"directory": "%s", "file": "%s", "arguments": [%s]}\n' "$sep" "$top" "$f" "$list"
        sep=,
    done
    echo "]"
} > "$out/compile_commands.json"
# one clang-tidy per file, two at a time; any warning counts (WarningsAsErrors: '*')
printf '%s\n' $srcs | xargs -P 2 -n 1 clang-tidy -p "$out" --quiet > "$out/clang-tidy.log" 2>&1
rc=$?
if [ $rc -eq 0 ] && ! grep -qE ': (warning|error):' "$out/clang-tidy.log"; then
    echo "ok   lint clang-tidy ($(( $(date +%s) - start ))s)"
else
    status=1
    echo "FAIL lint clang-tidy"
    grep -E ': (warning|error):' "$out/clang-tidy.log" | sed 's/^/    /' | head -n 60
fi
exit $status
