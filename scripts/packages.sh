# packages.sh: the Debian packages each part of the project needs (sourced).
PKGS_BUILD="make gcc g++ pkg-config libxapian-dev libutf8proc-dev libstemmer-dev libyaml-dev libcmark-dev libfcgi-dev libzstd-dev"
# `make deb` (and the package test in `make test`)
PKGS_DEB="dpkg-dev debhelper lintian"
# (xapian-tools: tests/e2e/shards.sh serves shards with xapian-tcpsrv; groff-base, manpages*
# and fortunes-ru: its archive comes from bench/gencorpus, whose prose pools they make)
PKGS_TEST="check groff-base manpages manpages-dev manpages-ru fortunes-ru chromium chromium-driver fonts-dejavu-core snowball-data xapian-tools jq curl lighttpd spawn-fcgi iproute2 valgrind clang libclang-rt-14-dev cppcheck clang-tidy wrk
    nginx fcgiwrap apache2 libapache2-mod-fcgid libfcgi-bin systemd zsh tmux bash-completion python3-xapian $PKGS_DEB"
PKGS_BENCH="xapian-omega python3-xapian sqlite3 wrk groff-base manpages manpages-dev manpages-ru fortunes-ru time sphinxsearch python3-pymysql"
PKGS_EVAL="python3 python3-xapian"
# From npm, not Debian: the version of axe-core that tests/e2e/web_browser.sh
# installs into build/npm (never into the repository) to check the page's
# accessibility in headless Chromium. npm itself comes with Node.js (Debian's
# nodejs and npm packages, or Node's own): not listed above, as Debian's npm
# cannot be installed beside a Node.js from elsewhere.
NPM_TEST_AXE=4.14.1
