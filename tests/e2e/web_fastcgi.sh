#!/bin/sh
# web_fastcgi.sh: the web_cgi.sh checks with nsearch.cgi as a FastCGI server that
# lighttpd starts and keeps running (deploy/lighttpd-fastcgi.conf).
NS_WEB_MODE=fastcgi exec sh "$(dirname "$0")/web_cgi.sh"
