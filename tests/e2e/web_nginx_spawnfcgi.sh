#!/bin/sh
# web_nginx_spawnfcgi.sh: the web_cgi.sh checks with nginx in front of nsearch.cgi as a FastCGI
# server that spawn-fcgi started (deploy/nginx-fastcgi.conf).
# run-once
NS_WEB_MODE=nginx-spawn exec sh "$(dirname "$0")/web_cgi.sh"
