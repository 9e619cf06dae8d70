#!/bin/sh
# Runs nginx and keeps its upstream list in step with Docker's DNS. nginx resolves `server app:3000`
# once, when it loads its config; a replica added later would never get traffic (and a variable
# in proxy_pass pins every request to one replica for as long as the DNS answer is cached). So
# this watcher re-resolves the app's replicas every UPSTREAM_WATCH_INTERVAL seconds and reloads
# nginx gracefully when the set of addresses changes.
set -eu
host=${UPSTREAM_HOST:-app}
interval=${UPSTREAM_WATCH_INTERVAL:-1}

addresses() {
    if command -v getent >/dev/null 2>&1; then
        getent ahostsv4 "$host" 2>/dev/null | awk '{print $1}' | sort -u | tr '\n' ' '
    else
        nslookup "$host" 2>/dev/null | awk '/^Address/ && $NF !~ /:53$/ {print $NF}' | sort -u | tr '\n' ' '
    fi
}

watch() {
    current=$(addresses)
    while sleep "$interval"; do
        next=$(addresses)
        if [ -n "$next" ] && [ "$next" != "$current" ]; then
            echo "lb: replicas of $host changed: [$current] -> [$next]; reloading nginx" >&2
            nginx -s reload || true
            current=$next
        fi
    done
}

watch &
exec nginx -g 'daemon off;'
