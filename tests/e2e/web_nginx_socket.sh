#!/bin/sh
# web_nginx_socket.sh: the web_cgi.sh checks with nginx in front of nsearch.cgi started by socket
# activation as nsearch.socket + nsearch.service do it: systemd-socket-activate listens
# and hands the program the listening socket on fd 0 (deploy/nginx-fastcgi.conf,
# deploy/systemd/).
# run-once
NS_WEB_MODE=nginx-socket exec sh "$(dirname "$0")/web_cgi.sh"
