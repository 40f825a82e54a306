#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Install what the capture-overhead benchmark (bench/run_capture.sh) needs, and only what is
# missing: the peer tracers it compares sysrec with (perf, trace-cmd, strace; bpftrace for ad
# hoc checks), the nginx + wrk web workload, and hyperfine/stress-ng for manual cross-checks.
# Idempotent and silent when everything is there; never starts a system nginx (the install
# script puts a policy-rc.d that forbids service starts in place for the duration).
# Usage: bench/setup_capture.sh
set -eu

exec "$(dirname "$0")/../scripts/install-deps.sh" --only trace-cmd bpftrace hyperfine stress-ng \
	linux-perf nginx-light wrk strace
