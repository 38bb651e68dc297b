#!/bin/sh
# web_spawnfcgi.sh: the web_cgi.sh checks with nsearch.cgi as a FastCGI server that
# spawn-fcgi started (as for nginx), lighttpd connecting to its socket
# (deploy/lighttpd-spawn-fcgi.conf).
NS_WEB_MODE=spawn exec sh "$(dirname "$0")/web_cgi.sh"
