#!/bin/sh
# web_apache_cgi.sh: the web_cgi.sh checks with Apache 2.4 running nsearch.cgi as plain CGI
# through mod_cgid (deploy/apache-cgi.conf, its paths replaced by the test's).
# run-once
NS_WEB_MODE=apache-cgi exec sh "$(dirname "$0")/web_cgi.sh"
