# SPDX-License-Identifier: Apache-2.0
# Shell helpers shared by the bench/ scripts (sourced, not run).

# wait_quiet: before a timed run, wait until the 1-minute load average is below
# $BENCH_MAX_LOAD (default 0.7), polling every 10 s for up to $BENCH_WAIT_S seconds (default
# 600); then go on anyway.  Prints the load it measured at.
wait_quiet()
{
	max=${BENCH_MAX_LOAD:-0.7}
	limit=${BENCH_WAIT_S:-600}
	waited=0
	while :; do
		load=$(cut -d' ' -f1 /proc/loadavg)
		if awk -v l="$load" -v m="$max" 'BEGIN { exit !(l < m) }'; then
			break
		fi
		if [ "$waited" -ge "$limit" ]; then
			echo "bench: load average still $load after ${waited}s; measuring anyway" >&2
			break
		fi
		sleep 10
		waited=$((waited + 10))
	done
	echo "bench: load average $load (waited ${waited}s)" >&2
}

# median of the numbers on stdin, one per line
median()
{
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# nginx_start DIR: nginx as bench/workloads/nginx.conf.in with prefix DIR (made afresh) on the
# first free port from 18080, serving a small static page (like Debian's default one), up
# and answering.  Sets nginx_master, nginx_workers (pids, space-separated) and nginx_url.
# Returns 1 when it does not start (see DIR/error.log).
nginx_start()
{
	local ngx=$1 port=18080 i

	rm -rf "$ngx"
	mkdir -p "$ngx/html" "$ngx/tmp"
	chmod 755 "$ngx" "$ngx/html"
	while ss -ltn | awk '{ print $4 }' | grep -q ":$port\$"; do
		port=$((port + 1))
	done
	sed -e "s|@PREFIX@|$ngx|g" -e "s|@PORT@|$port|g" \
		"$(dirname "${BASH_SOURCE[0]}")/workloads/nginx.conf.in" >"$ngx/nginx.conf"
	{
		echo '<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body>'
		echo '<h1>Welcome to nginx!</h1><p>If you see this page, the nginx web server is'
		echo 'successfully installed and working. Further configuration is required.</p>'
		echo '<p>For online documentation and support please refer to nginx.org.<br/>'
		echo 'Commercial support is available at nginx.com.</p>'
		echo '<p><em>Thank you for using nginx.</em></p></body></html>'
	} >"$ngx/html/index.html"
	chmod 644 "$ngx/html/index.html"
	nginx -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/error.log" &
	nginx_master=$!
	nginx_url="http://127.0.0.1:$port/index.html"
	for ((i = 0; i < 50; i++)); do
		curl -sf -o /dev/null "$nginx_url" 2>/dev/null && break
		wrk -t1 -c1 -d1s "$nginx_url" >/dev/null 2>&1 && break
		sleep 0.1
	done
	nginx_workers=$(pgrep -P "$nginx_master" | sort -n | tr '\n' ' ')
	[ -n "$nginx_workers" ]
}
