#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Install what the benchmarks of bench/ need to record their workloads, and only what is
# missing: nginx (the light build) and wrk for the web workload, strace to record it, zstd.
# Idempotent and silent when everything is there.  Installing never starts a system nginx: a
# policy-rc.d that forbids service starts is put in place for the duration if there is none.
# Usage: bench/setup.sh
set -eu

exec "$(dirname "$0")/../scripts/install-deps.sh" --only nginx-light wrk strace zstd make gcc tcpdump
