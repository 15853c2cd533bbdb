#!/bin/sh
# As the official image: protected mode off (other containers connect without a password;
# the network is the compose project's own). Put before the options, after a config file.
case "${1:-}" in
  ""|-*) exec /usr/bin/redis-server --protected-mode no "$@" ;;
  *) conf="$1"; shift; exec /usr/bin/redis-server "$conf" --protected-mode no "$@" ;;
esac
