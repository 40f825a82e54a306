#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The tables of the capture-overhead benchmark, from the raw values bench/run_capture.sh
# writes (OUT_DIR/raw.tsv: workload, round, tracer, key, value).  Medians over the rounds,
# with the spread (min-max) where one run differs from the next; "added" and "x untraced"
# compare medians with the untraced median of the same run.  Markdown tables on stdout.
# Usage: bench/capture_report.sh OUT_DIR/raw.tsv
set -eu

[ $# -eq 1 ] || { echo "usage: bench/capture_report.sh RAW_TSV" >&2; exit 2; }

awk -F '\t' '
NR == 1 { next }
{
	k = $1 SUBSEP $3 SUBSEP $4
	if ($5 == "" || $5 == "NA")
		next
	# not "(k in vals) ?": mawk creates the element on the left before testing it
	vals[k] = cnt[k]++ ? vals[k] " " $5 : $5
	if (!($3 in seen_tr)) {
		seen_tr[$3] = 1
		tr_order[++ntr] = $3
	}
}

function K(w, t, key) { return w SUBSEP t SUBSEP key }
function has(k) { return k in vals }
function sorted(k, a,    n, i, j, t) {
	n = split(vals[k], a, " ")
	for (i = 2; i <= n; i++) {
		t = a[i] + 0
		for (j = i - 1; j >= 1 && a[j] + 0 > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
	return n
}
function med(k,    a, n) {
	if (!has(k))
		return ""
	n = sorted(k, a)
	return (n % 2) ? a[(n + 1) / 2] + 0 : (a[n / 2] + a[n / 2 + 1]) / 2
}
function vmin(k,    a, n) { n = sorted(k, a); return n ? a[1] + 0 : "" }
function vmax(k,    a, n) { n = sorted(k, a); return n ? a[n] + 0 : "" }
function vsum(k,    a, n, i, s) {
	n = split(vals[k], a, " ")
	for (i = 1; i <= n; i++)
		s += a[i]
	return s + 0
}
function fmt(v, d) { return v == "" ? "n/a" : sprintf("%." d "f", v) }
function mib(kb) { return kb == "" ? "n/a" : sprintf("%.1f", kb / 1024) }
# "median [min-max]"
function spread(k, d) {
	if (!has(k))
		return "n/a"
	if (cnt[k] == 1)
		return fmt(med(k), d)
	return fmt(med(k), d) " [" fmt(vmin(k), d) "-" fmt(vmax(k), d) "]"
}
# Table rows: row_start("a"), cell("b"), row_end() prints "| a | b |".
function row_start(s) { line = "| " s }
function cell(s) { line = line " | " s }
function row_end() { print line " |" }

function micro_table(    t, i, m, modes, base, k, added) {
	split("getppid read1 write64 openclose", modes, " ")
	print "### micro: ns per syscall, median [min-max] of " cnt[K("micro", "none", "ns_getppid")] \
		" rounds (added: median - untraced median)"
	print ""
	print "| tracer | iterations per mode | getppid | 1-byte read | 64-byte write |" \
		" openat+close (per syscall) |"
	print "| --- | ---: | ---: | ---: | ---: | ---: |"
	for (i = 1; i <= ntr; i++) {
		t = tr_order[i]
		if (!has(K("micro", t, "ns_getppid")))
			continue
		row_start(t)
		cell(med(K("micro", t, "loop_getppid")))
		for (m = 1; m <= 4; m++) {
			k = K("micro", t, "ns_" modes[m])
			base = med(K("micro", "none", "ns_" modes[m]))
			added = (t == "none" || base == "") ? "" : sprintf(" (%+.0f)", med(k) - base)
			cell(spread(k, 0) added)
		}
		row_end()
	}
	print ""
}

function micro_counts(    t, i, ev, gp) {
	print "### micro: events recorded against the exact counts"
	print ""
	print "The loops make exactly `iterations x (3 + 2)` syscalls (openat+close counts 2); the" \
		" program start-up makes a few dozen more, never a getppid."
	print ""
	print "| tracer | loop syscalls | syscalls recorded (median) |" \
		" getppid recorded / made (all rounds) | lost (all rounds) | file B/syscall |" \
		" tracer CPU % |"
	print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	for (i = 1; i <= ntr; i++) {
		t = tr_order[i]
		if (t == "none" || !has(K("micro", t, "syscalls")))
			continue
		ev = med(K("micro", t, "syscalls"))
		gp = "not counted"
		if (vsum(K("micro", t, "getppid")) > 0)
			gp = vsum(K("micro", t, "getppid")) " / " vsum(K("micro", t, "loop_getppid"))
		row_start(t)
		cell(med(K("micro", t, "loop_syscalls")))
		cell(sprintf("%d", ev))
		cell(gp)
		cell(vsum(K("micro", t, "lost")))
		cell(sprintf("%.2f", med(K("micro", t, "file_bytes")) / ev))
		cell(spread(K("micro", t, "cpu_pct"), 1))
		row_end()
	}
	print ""
}

# One row per tracer: main metric, spread, ratio to untraced, events, lost, file, CPU.
function load_table(wl, key, title, d,    t, i, k, base, ev) {
	print "### " wl ": " title ", median [min-max] of " cnt[K(wl, "none", key)] " rounds"
	print ""
	print "| tracer | " title " | x untraced | syscalls recorded (median) | lost (all rounds) |" \
		" file B/syscall | tracer CPU % (median) |"
	print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	base = med(K(wl, "none", key))
	for (i = 1; i <= ntr; i++) {
		t = tr_order[i]
		k = K(wl, t, key)
		if (!has(k))
			continue
		ev = med(K(wl, t, "syscalls"))
		row_start(t)
		cell(spread(k, d))
		cell(base ? sprintf("%.3f", med(k) / base) : "n/a")
		cell(has(K(wl, t, "syscalls")) ? sprintf("%d", ev) : "-")
		cell(has(K(wl, t, "lost")) ? vsum(K(wl, t, "lost")) : "-")
		cell(has(K(wl, t, "file_bytes")) && ev > 0 ? \
			sprintf("%.2f", med(K(wl, t, "file_bytes")) / ev) : "-")
		cell(has(K(wl, t, "cpu_pct")) ? spread(K(wl, t, "cpu_pct"), 1) : "-")
		row_end()
	}
	print ""
}

function sysrec_table(    ws, ts, i, j) {
	split("micro nginx build", ws, " ")
	split("sysrec sysrec-nolat", ts, " ")
	if (!has(K("micro", "sysrec", "syscalls")) && !has(K("nginx", "sysrec", "syscalls")) &&
	    !has(K("build", "sysrec", "syscalls")))
		return
	print "### sysrec recorder: CPU, memory, file"
	print ""
	print "CPU: the recorder process alone (not the traced command), over its whole run and in" \
		" steady state (from 1 s after start to the last sample before exit). Peak resident" \
		" memory: total, of which the BPF ring buffers (each 8 MiB ring is mapped twice:" \
		" 32 MiB for 2 CPUs), and the rest."
	print ""
	print "| workload | tracer | syscalls (median) | lost / incomplete (all rounds) | B/syscall |" \
		" CPU % whole run | CPU % steady | peak RSS MiB | rings MiB | other MiB (max) |"
	print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for (i = 1; i <= 3; i++) {
		for (j = 1; j <= 2; j++) {
			if (!has(K(ws[i], ts[j], "syscalls")))
				continue
			row_start(ws[i])
			cell(ts[j])
			cell(sprintf("%d", med(K(ws[i], ts[j], "syscalls"))))
			cell(vsum(K(ws[i], ts[j], "lost")) " / " vsum(K(ws[i], ts[j], "incomplete")))
			cell(spread(K(ws[i], ts[j], "bytes_per_syscall"), 2))
			cell(spread(K(ws[i], ts[j], "cpu_pct"), 1))
			cell(spread(K(ws[i], ts[j], "steady_cpu_pct"), 1))
			cell(mib(vmax(K(ws[i], ts[j], "rss_kb"))))
			cell(mib(vmax(K(ws[i], ts[j], "rss_rings_kb"))))
			cell(mib(vmax(K(ws[i], ts[j], "rss_other_kb"))))
			row_end()
		}
	}
	print ""
}

function lost_table(    kinds, names, i, r, a, b, c, n, ok) {
	split("cpu1m lost2m lostmax", kinds, " ")
	names["cpu1m"] = "1 loop paced at 1 M getppid/s"
	names["lostmax"] = "2 loops unpaced"
	names["lost2m"] = "2 loops paced at 1 M getppid/s each (2 M/s)"
	if (!has(K("lost", "cpu1m", "expected_getppid")) &&
	    !has(K("lost", "lost2m", "expected_getppid")))
		return
	print "### sysrec record (default options): lost events and recorder CPU at a known rate"
	print ""
	print "Each repetition: expected = getppid calls the loops made; recorded = getppid records" \
		" of the syscall_loop threads in the file; lost = the file'"'"'s drop counters (ring full)."
	print ""
	print "| check | expected getppid per run | recorded + lost = expected? (runs) |" \
		" recorded (each run) | lost (each run) | rate reached, M calls/s |" \
		" recorder CPU % whole run | recorder CPU % steady | other RSS MiB (max) |"
	print "| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |"
	for (i = 1; i <= 3; i++) {
		if (!has(K("lost", kinds[i], "expected_getppid")))
			continue
		n = split(vals[K("lost", kinds[i], "expected_getppid")], a, " ")
		split(vals[K("lost", kinds[i], "getppid")], b, " ")
		split(vals[K("lost", kinds[i], "lost")], c, " ")
		ok = 0
		for (r = 1; r <= n; r++)
			if (b[r] + c[r] == a[r])
				ok++
		row_start(names[kinds[i]])
		cell(a[1])
		cell(ok " of " n)
		cell(vals[K("lost", kinds[i], "getppid")])
		cell(vals[K("lost", kinds[i], "lost")])
		cell(spread(K("lost", kinds[i], "rate_mps"), 2))
		cell(spread(K("lost", kinds[i], "cpu_pct"), 1))
		cell(spread(K("lost", kinds[i], "steady_cpu_pct"), 1))
		cell(mib(vmax(K("lost", kinds[i], "rss_other_kb"))))
		row_end()
	}
	print ""
}

function load_summary(    ws, i, j, k, all, a, n, w, waits) {
	print "### Load average (1 min) at the start of each run, and the wait for it"
	print ""
	print "| workload | runs | min | median | max | waited s (median, max) |"
	print "| --- | ---: | ---: | ---: | ---: | ---: |"
	split("micro nginx build lost", ws, " ")
	for (i = 1; i <= 4; i++) {
		all = ""
		waits = ""
		for (j = 1; j <= ntr; j++) {
			k = K(ws[i], tr_order[j], "load")
			if (has(k))
				all = all " " vals[k]
			k = K(ws[i], tr_order[j], "waited_s")
			if (has(k))
				waits = waits " " vals[k]
		}
		if (all == "")
			continue
		vals["_l"] = substr(all, 2)
		vals["_w"] = substr(waits, 2)
		n = sorted("_l", a)
		row_start(ws[i])
		cell(n)
		cell(a[1])
		cell(med("_l"))
		cell(a[n])
		cell(med("_w") ", " vmax("_w"))
		row_end()
	}
	print ""
}

END {
	if (has(K("micro", "none", "ns_getppid"))) {
		micro_table()
		micro_counts()
	}
	if (has(K("nginx", "none", "rps")))
		load_table("nginx", "rps", "requests/s", 0)
	if (has(K("build", "none", "wall_s")))
		load_table("build", "wall_s", "wall s", 2)
	sysrec_table()
	lost_table()
	load_summary()
}
' "$1"
