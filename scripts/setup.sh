#!/bin/sh
# setup.sh [build|test|bench|eval|deb]...: make sure the Debian packages that part of the
# project needs are installed. As root, installs the missing ones with apt-get
# (one `apt-get update` first); otherwise prints the exact command and fails.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/packages.sh"

want=""
for part in "${@:-build}"; do
    case $part in
        build) want="$want $PKGS_BUILD" ;;
        test) want="$want $PKGS_BUILD $PKGS_TEST $PKGS_EVAL" ;;
        bench) want="$want $PKGS_BUILD $PKGS_TEST $PKGS_BENCH" ;;
        eval) want="$want $PKGS_BUILD $PKGS_EVAL" ;;
        deb) want="$want $PKGS_BUILD $PKGS_DEB" ;;
        *) echo "setup.sh: unknown part '$part' (build, test, bench, eval or deb)" >&2; exit 2 ;;
    esac
done

missing=""
for p in $want; do
    case " $missing " in *" $p "*) continue ;; esac
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case $status in
        *" installed") ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup.sh: missing packages:$missing; this is not a Debian system, install them by hand" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh: missing Debian packages:$missing" >&2
    echo "setup.sh: run as root:  apt-get update && apt-get install -y$missing" >&2
    exit 1
fi
echo "setup.sh: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# The web servers the tests start themselves (nginx, apache2, lighttpd,
# fcgiwrap) would otherwise be started as system services when installed, and
# two of them on port 80 fail each other's installation. A policy-rc.d that
# refuses every start, for this installation only, unless the system has one.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# scripts/setup.sh: no service starts while it installs\nexit 101\n' \
        > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    trap 'exit 1' INT TERM HUP
fi
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
