#!/bin/sh
# web_nginx_fcgiwrap.sh: the web_cgi.sh checks with nginx running nsearch.cgi as plain CGI through
# fcgiwrap (deploy/nginx-fcgiwrap.conf, its paths replaced by the test's).
# run-once
NS_WEB_MODE=nginx-fcgiwrap exec sh "$(dirname "$0")/web_cgi.sh"
