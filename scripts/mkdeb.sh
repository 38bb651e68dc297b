#!/bin/sh
# mkdeb.sh BUILD: build the Debian package (`make deb`). dpkg-buildpackage runs
# in a copy of the tree under BUILD/deb, since it cleans the tree it runs in and
# writes its results beside it; the .deb is checked by lintian (errors and
# warnings fail) and moved to BUILD/. Prints the .deb's path last.
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) ;; *) build=$top/$build ;; esac
version=$(sed -n '1s/^nsearch (\([^)]*\)).*/\1/p' "$top/debian/changelog")
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
[ -n "$version" ] || { echo "mkdeb.sh: no version in debian/changelog" >&2; exit 2; }
work=$build/deb
src=$work/nsearch-$version
rm -rf "$work"
mkdir -p "$src"
# The files of the tree, not its builds: the tracked and untracked ones git
# knows (less what .gitignore names), or everything but build*/ without git.
cd "$top"
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard | xargs -0 sh -c '
        for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
        tar --null -T - -cf - | tar -xf - -C "$src"
else
    tar --exclude='./build*' --exclude=./.git -cf - . | tar -xf - -C "$src"
fi
cd "$src"
# A make that called this script passes its command-line variables down through
# MAKEFLAGS: the copy's own `make clean` would then remove BUILD, this folder.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
echo "mkdeb.sh: dpkg-buildpackage in $src" >&2
dpkg-buildpackage -us -uc -b -J"$(nproc)" > "$work/build.log" 2>&1 || {
    tail -n 40 "$work/build.log" >&2
    echo "mkdeb.sh: dpkg-buildpackage failed; the whole log is $work/build.log" >&2
    exit 1
}
deb=nsearch_${version}_$arch.deb
[ -f "$work/$deb" ] || { echo "mkdeb.sh: dpkg-buildpackage made no $deb" >&2; exit 1; }
echo "mkdeb.sh: lintian $deb" >&2
lintian --fail-on error,warning "$work/$deb" >&2 || {
    echo "mkdeb.sh: lintian found errors or warnings in $work/$deb" >&2
    exit 1
}
mv "$work/$deb" "$build/$deb"
echo "$build/$deb"
