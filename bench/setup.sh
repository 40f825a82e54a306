#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Install what the benchmarks of bench/ need to record their workloads, and only what is
# missing: nginx (the light build) and wrk for the web workload, strace to record it, zstd.
# Idempotent and silent when everything is there.  Installing never starts a system nginx: a
# policy-rc.d that forbids service starts is put in place for the duration if there is none.
# Usage: bench/setup.sh
set -eu

pkgs="nginx-light wrk strace zstd make gcc"
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "bench: missing packages:$missing; install them as root: apt-get install$missing" >&2
	exit 1
fi
echo "bench: installing$missing" >&2
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	own_policy=1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
[ "$own_policy" = 1 ] && rm -f "$policy"
exit 0
