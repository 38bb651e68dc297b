#!/bin/sh
# web_apache_fcgid.sh: the web_cgi.sh checks with Apache 2.4 running nsearch.cgi as a FastCGI
# server that mod_fcgid starts (deploy/apache-fcgid.conf).
# run-once
NS_WEB_MODE=apache-fcgid exec sh "$(dirname "$0")/web_cgi.sh"
