# SPDX-License-Identifier: GPL-2.0
#
# The benchmark, run inside the test VM after tests/guest/lib.sh (sourced by
# tests/guest/bench.sh and tests/guest/bench-smoke.sh).  In one boot it
# measures the in-kernel nvme-tcp host ("tcp") and tcp_offload (qedn on the
# software engine on lo) against the same nvmet-tcp target, alternately, and
# writes raw results for bench/report.py into $BENCH_OUT:
#
#   manifest.jsonl   one JSON object per measurement (fio run, connect
#                    batch, memory batch), with /proc/stat and /proc/meminfo
#                    snapshots taken around it
#   fio/*.json       fio --output-format=json of every fio run
#   slabinfo/*       /proc/slabinfo around the memory batches
#   env.json         kernel, CPUs, parameters
#
# Knobs (environment): ROUNDS (3), BENCH_RUNTIME seconds per fio job (10),
# BENCH_RAMP seconds of fio ramp-up not measured (2), BENCH_NCTRL
# controllers in the connect/memory batches (16), BENCH_ONLY (space-separated
# workload names; default all), BENCH_FIO_ARGS (added to every fio job and
# recorded with it, e.g. "--cpus_allowed=0" to pin; default none).

BENCH_ROUNDS=${ROUNDS:-3}
BENCH_RUNTIME=${BENCH_RUNTIME:-10}
BENCH_RAMP=${BENCH_RAMP:-2}
BENCH_NCTRL=${BENCH_NCTRL:-16}
BENCH_ONLY=${BENCH_ONLY:-}
BENCH_FIO_ARGS=${BENCH_FIO_ARGS:-}
BENCH_OUT=${BENCH_OUT:-$NTO_RESULTS/bench}

# Keep-alive timeout of the bench controllers and of the connect batches.
# In engine null mode the target sees no command at all, while the host,
# which sees completions, skips its keep-alives (nvmet offers
# traffic-based keep-alive); with the default 5 s the target's timer
# expires during any null-mode job longer than that, and the job then
# measures an error recovery and the 10 s reconnect delay.  Longer than
# any one fio job, ramp included.  The batches re-read every program over
# 9p after _b_settle drops the caches, and the guest has stalled there for
# up to 5 s (the connect loop itself paused that long between two
# connects while no keep-alive completed); with the default timeout that
# became an error recovery and failed the run.
B_KATO=$((BENCH_RUNTIME + BENCH_RAMP + 60))
# A measurement with an error recovery in it is not a measurement: such
# lines fail the run like a warning would (check_dmesg, _b_dmesg_ok).
NTO_DMESG_BAD="${NTO_DMESG_BAD:+$NTO_DMESG_BAD|}keep-alive timer .*expired|starting error recovery|reconnecting in"

# One subsystem per (transport, queue layout), all exporting the same brd
# (nsid 1) and null_blk (nsid 2) devices on one port, so every controller
# can stay connected for the whole run and each gets its own block devices
# (no multipath merging of the two transports).
B_NQN=nqn.2014-08.org.nvmexpress:nto-bench
B_ENGINE_DBG=/sys/kernel/debug/qed_nvmetcp/soft-lo

# Workloads: name | device (null or brd) | controller kind (io or poll) |
# fio arguments.  4k random reads go to null_blk (no media cost), 128k
# sequential transfers to brd (real copies, for bandwidth).
B_WORKLOADS=(
	"rr4k-qd1-libaio|null|io|--rw=randread --bs=4k --iodepth=1 --numjobs=1 --ioengine=libaio"
	"rr4k-qd1-uring-poll|null|poll|--rw=randread --bs=4k --iodepth=1 --numjobs=1 --ioengine=io_uring --hipri"
	"rr4k-qd32x2-libaio|null|io|--rw=randread --bs=4k --iodepth=32 --numjobs=2 --ioengine=libaio"
	"rr4k-qd32x2-uring|null|io|--rw=randread --bs=4k --iodepth=32 --numjobs=2 --ioengine=io_uring"
	"rr4k-qd32x2-uring-poll|null|poll|--rw=randread --bs=4k --iodepth=32 --numjobs=2 --ioengine=io_uring --hipri"
	"sr128k-qd8-libaio|brd|io|--rw=read --bs=128k --iodepth=8 --numjobs=1 --ioengine=libaio"
	"sw128k-qd8-libaio|brd|io|--rw=write --bs=128k --iodepth=8 --numjobs=1 --ioengine=libaio"
)
# The layer-cost comparison: raw local null_blk against tcp_offload with the
# engine in null mode (I/O completes in the engine, never reaches TCP).
B_NULL_WORKLOADS=(rr4k-qd1-libaio rr4k-qd32x2-libaio)
# Two references: the target's null_blk (irqmode=0) ends every request
# inside its queue_rq, so fio never sleeps; B_NULL_TIMER ends them from a
# timer interrupt that fires as soon as it can (irqmode=2,
# completion_nsec=0), so fio waits and is woken, as it is by any device
# that completes asynchronously, the engine included.
B_NULL_TIMER=nullb1
B_NULLB_CFS=/sys/kernel/config/nullb

_b_json_str() { printf '"%s"' "${1//\"/\\\"}"; }

# /proc/stat "cpu" line as a JSON array: user nice system idle iowait irq
# softirq steal (USER_HZ ticks, all CPUs summed).
_b_cpu() { awk '$1 == "cpu" { printf "[%s,%s,%s,%s,%s,%s,%s,%s]", $2, $3, $4, $5, $6, $7, $8, $9; exit }' /proc/stat; }

# /proc/meminfo fields of interest as a JSON object (KiB).
_b_mem() {
	awk 'BEGIN { printf "{"; n = 0 }
		$1 ~ /^(MemFree|Slab|SReclaimable|SUnreclaim|Percpu|KernelStack|PageTables):$/ {
			sub(":", "", $1); printf "%s\"%s\":%s", n++ ? "," : "", $1, $2 }
		END { printf "}" }' /proc/meminfo
}


# _b_record JSON-FIELDS: append one manifest line.
_b_record() { echo "{$1}" >>"$BENCH_OUT/manifest.jsonl"; }

_b_nqn() { echo "$B_NQN-$1"; }

# _b_connect TRANSPORT KIND: connect the long-lived controller of TRANSPORT
# (tcp or tcp_offload) and KIND (io: default queues; poll: one default and
# one poll queue, because tcp_offload's I/O queues are bounded by the
# engine's vectors = CPUs, so "-P" must leave room in "-i").
_b_connect() {
	local tr=$1 kind=$2 nqn opts=()
	nqn=$(_b_nqn "$tr-$kind")
	[ "$kind" = poll ] && opts=(--nr-io-queues=1 --nr-poll-queues=1)
	opts+=(--keep-alive-tmo="$B_KATO")
	T_NQN=$nqn host_connect "$tr" "${opts[@]}" >/dev/null || return 1
	wait_for 20 _host_ns_ready "$nqn" 2 || { t_log "$tr/$kind: no namespace 2" >&2; return 1; }
	t_log "$tr/$kind: $(host_ctrls "$nqn") $(dmesg | grep -F "$(host_ctrls "$nqn"):" | grep -o 'mapped.*' | tail -n 1)"
}

# _b_dev TRANSPORT KIND DEVICE: the host block device of that controller.
_b_dev() {
	local nsid=2
	[ "$3" = brd ] && nsid=1
	host_ns_dev "$(_b_nqn "$1-$2")" "$nsid"
}

# CPU sampler: every 0.5 s one line "EPOCH user nice system idle iowait irq
# softirq steal" into cpu.samples, without forking (bash builtins only), so
# that the CPU time of the steady state of each fio run (after fio has
# started and ramped up) can be cut out by bench/report.py.
_b_sampler_start() {
	local never=/tmp/bench-never
	mkfifo "$never"
	(
		exec {fd}<>"$never"
		while :; do
			read -r line </proc/stat
			echo "$EPOCHREALTIME ${line#cpu }"
			read -r -t 0.5 -u "$fd" _ || true
		done >"$BENCH_OUT/cpu.samples"
	) &
	B_SAMPLER=$!
	t_cleanup _b_sampler_stop
}

_b_sampler_stop() {
	[ -z "${B_SAMPLER:-}" ] || kill "$B_SAMPLER" 2>/dev/null || true
	B_SAMPLER=
}

# _b_calib: seconds a fixed piece of CPU work takes (50000 512-byte reads of
# /dev/zero written to /dev/null: system calls and small copies, like the
# I/O path; ~0.13 s, within +-8 %, on a quiet host).  Under TCG the guest runs only as
# fast as the host gives it CPU time, and anything else running on the host
# slows every transport down ~2x for as long as it runs.  Taken before and
# after each fio job, it lets bench/report.py tell the jobs that ran on a
# disturbed guest from the others (BENCH_CALIB_COUNT changes the work).
# In two bench-ab runs the first one after a module load or unload was
# slow (0.17-0.25 s against 0.13 s) nearly every time, in a third not at
# all; _b_fio runs one unrecorded calibration first and logs it.
B_CALIB_COUNT=${BENCH_CALIB_COUNT:-50000}
_b_calib() {
	local t0 t1
	t0=$EPOCHREALTIME
	dd if=/dev/zero of=/dev/null bs=512 count="$B_CALIB_COUNT" status=none || return 1
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }'
}

# Total IOPS of a fio JSON result (read + write + trim).
_b_iops() {
	awk -F: '/"iops" :/ { gsub(/[ ,]/, "", $2); s += $2 } END { printf "%.0f", s }' "$1"
}

# _b_fio ROUND TRANSPORT WORKLOAD DEV FIO-ARGS: one fio run with the
# system-wide CPU ticks and a calibration (_b_calib) on either side.
_b_fio() {
	local round=$1 tr=$2 wl=$3 dev=$4 args=$5 out c0 c1 t0 t1 kw k0 k1 rc=0
	args+=${BENCH_FIO_ARGS:+ $BENCH_FIO_ARGS}
	out=fio/r$round-$tr-$wl.json
	kw=$(_b_calib) || return 1
	k0=$(_b_calib) || return 1
	c0=$(_b_cpu)
	t0=$EPOCHREALTIME
	# shellcheck disable=SC2086  # args is a word list by design
	fio --output-format=json --output="$BENCH_OUT/$out" --name="$wl" \
		--filename="$dev" --direct=1 --time_based --runtime="$BENCH_RUNTIME" \
		--ramp_time="$BENCH_RAMP" --group_reporting --lat_percentiles=1 \
		--randrepeat=0 --norandommap \
		$args >"$BENCH_OUT/fio/r$round-$tr-$wl.stderr" 2>&1 || rc=$?
	t1=$EPOCHREALTIME
	c1=$(_b_cpu)
	k1=$(_b_calib) || return 1
	if [ $rc -ne 0 ]; then
		t_log "fio $wl on $tr failed (exit $rc):" >&2
		cat "$BENCH_OUT/fio/r$round-$tr-$wl.stderr" >&2
		return 1
	fi
	_b_record "\"kind\":\"fio\",\"round\":$round,\"transport\":\"$tr\",\"workload\":\"$wl\",\"device\":\"$dev\",\"fio\":\"$out\",\"args\":$(_b_json_str "$args"),\"t0\":$t0,\"t1\":$t1,\"cpu0\":$c0,\"cpu1\":$c1,\"calib_s\":[$k0,$k1]"
	t_log "r$round $tr $wl: $(_b_iops "$BENCH_OUT/$out") IOPS (calibration $k0 s, $k1 s; unrecorded first $kw s)"
}

# _b_dmesg_ok TRANSPORT KIND: the kernel log is clean after a run.  One
# exception: Debian 6.12's in-kernel nvme-tcp takes the socket lock (which
# may sleep) in its blk-mq poll handler, which bio_poll() calls inside an
# RCU read-side section, and the kernel warns once ("Voluntary context
# switch within RCU read-side critical section", rcu_note_context_switch,
# with nvme_tcp_poll in the trace).  That is not our code: after a polled
# nvme-tcp run exactly that warning is accepted, and nothing else.
_b_dmesg_ok() {
	local log hits
	check_dmesg >/dev/null 2>&1 && return 0
	if [ "$1/$2" = tcp/poll ]; then
		log=$(_dmesg_since_checkpoint)
		hits=$(grep -v 'nto-harness: dmesg checkpoint' <<<"$log" | grep -E -- "$NTO_DMESG_PATTERN" || true)
		if [ "$(grep -c 'WARNING: .* rcu_note_context_switch' <<<"$hits")" -eq 1 ] &&
		   ! grep -vqE 'WARNING: .* rcu_note_context_switch|Call Trace:' <<<"$hits" &&
		   grep -q 'nvme_tcp_poll' <<<"$log"; then
			t_log "excused: in-kernel nvme-tcp poll warning (sleeping lock_sock under RCU in nvme_tcp_poll)"
			dmesg_checkpoint "bench: in-kernel nvme-tcp poll warning excused"
			return 0
		fi
	fi
	check_dmesg
}

_b_wanted() { [ -z "$BENCH_ONLY" ] || [[ " $BENCH_ONLY " == *" $1 "* ]]; }

# One round of every workload on both transports; the transport that goes
# first alternates from round to round.
_b_round() {
	local round=$1 order w name backend kind args tr dev
	if [ $((round % 2)) -eq 1 ]; then order="tcp tcp_offload"; else order="tcp_offload tcp"; fi
	for w in "${B_WORKLOADS[@]}"; do
		IFS='|' read -r name backend kind args <<<"$w"
		_b_wanted "$name" || continue
		for tr in $order; do
			dev=$(_b_dev "$tr" "$kind" "$backend") || { t_log "no device for $tr/$kind/$backend" >&2; return 1; }
			_b_fio "$round" "$tr" "$name" "$dev" "$args" || return 1
			_b_dmesg_ok "$tr" "$kind" || return 1
		done
	done
}

# _b_field NAME FIELD: FIELD (backend, kind or args) of workload NAME.
_b_field() {
	local w name backend kind args
	for w in "${B_WORKLOADS[@]}"; do
		IFS='|' read -r name backend kind args <<<"$w"
		[ "$name" = "$1" ] || continue
		case $2 in
		backend) echo "$backend" ;;
		kind) echo "$kind" ;;
		args) echo "$args" ;;
		*) return 1 ;;
		esac
		return 0
	done
	return 1
}

_b_null_args() { _b_field "$1" args; }

# The timer-completed null_blk, made through null_blk's configfs (the
# target's module parameters made nullb0).  Same size and block size.
_b_null_timer_setup() {
	local d=$B_NULLB_CFS/$B_NULL_TIMER
	mkdir "$d" || return 1
	t_cleanup bench_null_timer_teardown
	_put 2 "$d/queue_mode" && _put 4096 "$d/blocksize" &&
		_put $((T_NULL_GB * 1024)) "$d/size" && _put 2 "$d/irqmode" &&
		_put 0 "$d/completion_nsec" && _put 1 "$d/power" || return 1
	# 6.1 names configfs devices nullb<index>, 6.12 after the directory:
	# both give nullb1 here, since nullb0 exists already.
	wait_for 5 test -b "/dev/$B_NULL_TIMER" || { t_log "no /dev/$B_NULL_TIMER" >&2; return 1; }
}

# bench_null_timer_teardown: remove the timer null_blk; before
# target_teardown, which cannot unload null_blk while it exists.
bench_null_timer_teardown() {
	local d=$B_NULLB_CFS/$B_NULL_TIMER
	[ -d "$d" ] || return 0
	_put 0 "$d/power" && rmdir "$d"
}

# Raw null_blk on the guest (both references) against tcp_offload with the
# engine in null mode.
_b_null_round() {
	local round=$1 name args dev
	for name in "${B_NULL_WORKLOADS[@]}"; do
		_b_wanted "$name" || continue
		args=$(_b_null_args "$name")
		_b_fio "$round" local "$name" /dev/nullb0 "$args" || return 1
		_b_fio "$round" local_timer "$name" "/dev/$B_NULL_TIMER" "$args" || return 1
		dev=$(_b_dev tcp_offload io null) || return 1
		_put 1 "$B_ENGINE_DBG/null_mode" || return 1
		_b_fio "$round" engine_null "$name" "$dev" "$args" || { _put 0 "$B_ENGINE_DBG/null_mode"; return 1; }
		_put 0 "$B_ENGINE_DBG/null_mode" || return 1
		_b_dmesg_ok tcp_offload io || return 1
	done
}

_b_settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
}

# _b_batch ROUND TRANSPORT TAG N CONNECT-ARGS: connect N controllers, one to
# each of the connect-test subsystems, one after the other, timing each
# "nvme connect" and recording memory and slab around the batch; then delete
# them again.
_b_batch() {
	local round=$1 tr=$2 tag=$3 n=$4 args=$5 nqn i t0 t1 times=() m0 m1 c
	_b_settle
	m0=$(_b_mem)
	cp /proc/slabinfo "$BENCH_OUT/slabinfo/r$round-$tr-$tag.before"
	for i in $(seq "$n"); do
		nqn=$(_b_nqn "conn$i")
		t0=$EPOCHREALTIME
		# shellcheck disable=SC2086
		/usr/sbin/nvme connect -t "$tr" -a "$T_ADDR" -s "$T_PORT" -n "$nqn" \
			$args --keep-alive-tmo="$B_KATO" >/dev/null ||
			{ t_log "connect $i of $n ($tr) failed" >&2; return 1; }
		t1=$EPOCHREALTIME
		times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
	done
	c=0
	for i in $(seq "$n"); do
		# Namespace scanning runs after connect returns; let it finish.
		wait_for 30 _host_ns_ready "$(_b_nqn "conn$i")" 1 || return 1
		c=$((c + $(host_ctrls "$(_b_nqn "conn$i")" | wc -l)))
	done
	[ "$c" -eq "$n" ] || { t_log "$tr: $c controllers after $n connects" >&2; return 1; }
	_b_settle
	m1=$(_b_mem)
	cp /proc/slabinfo "$BENCH_OUT/slabinfo/r$round-$tr-$tag.after"
	_b_record "\"kind\":\"batch\",\"round\":$round,\"transport\":\"$tr\",\"tag\":\"$tag\",\"n\":$n,\"args\":$(_b_json_str "$args"),\"connect_s\":[$(IFS=,; echo "${times[*]}")],\"mem0\":$m0,\"mem1\":$m1,\"slabinfo\":\"slabinfo/r$round-$tr-$tag\""
	t_log "r$round $tr $tag: $n connects, first ${times[0]} s; MemFree $(echo "$m0" | grep -o '"MemFree":[0-9]*') -> $(echo "$m1" | grep -o '"MemFree":[0-9]*')"
	for i in $(seq "$n"); do
		host_disconnect "$(_b_nqn "conn$i")" >/dev/null || return 1
	done
}

# Connect batches: 1 I/O queue per controller every round (connect time,
# memory per controller); 2 I/O queues in the first round only (memory per
# queue), to keep the run short.
_b_batches() {
	local round=$1 order tr
	if [ $((round % 2)) -eq 1 ]; then order="tcp tcp_offload"; else order="tcp_offload tcp"; fi
	for tr in $order; do
		_b_batch "$round" "$tr" q1 "$BENCH_NCTRL" "--nr-io-queues=1" || return 1
		[ "$round" -eq 1 ] || continue
		# At most 8 here: 16 two-queue tcp_offload controllers need more
		# than the software engine's 4096 task ids (qedn takes queue
		# depth + 1 per queue) and the 13th connect fails with ENOSPC.
		_b_batch "$round" "$tr" q2 "$((BENCH_NCTRL < 8 ? BENCH_NCTRL : 8))" "--nr-io-queues=2" || return 1
	done
}

# The workloads this run does, as JSON string lists.
_b_names() {
	local w name sep=""
	for w in "${B_WORKLOADS[@]}"; do
		name=${w%%|*}
		_b_wanted "$name" || continue
		printf '%s"%s"' "$sep" "$name"
		sep=", "
	done
}

_b_null_names() {
	local name sep=""
	for name in "${B_NULL_WORKLOADS[@]}"; do
		_b_wanted "$name" || continue
		printf '%s"%s"' "$sep" "$name"
		sep=", "
	done
}

# With BENCH_PERF=1, after the rounds: a system-wide perf profile
# (cpu-clock, which works under TCG) of one workload on each transport and
# of the engine null mode, reported by symbol and by command/module.
B_PERF_WORKLOAD=${BENCH_PERF_WORKLOAD:-rr4k-qd32x2-libaio}
_b_profile() {
	local tr dev args out
	command -v perf >/dev/null || {
		t_log "BENCH_PERF=1 but no perf in the guest (tools/install-deps installs linux-perf)" >&2
		return 1; }
	echo -1 >/proc/sys/kernel/perf_event_paranoid
	echo 0 >/proc/sys/kernel/kptr_restrict
	args=$(_b_null_args "$B_PERF_WORKLOAD") || return 1
	mkdir -p "$BENCH_OUT/perf"
	for tr in tcp tcp_offload engine_null; do
		dev=$(_b_dev "${tr/engine_null/tcp_offload}" io null) || return 1
		[ "$tr" != engine_null ] || _put 1 "$B_ENGINE_DBG/null_mode" || return 1
		out=$BENCH_OUT/perf/$tr
		# shellcheck disable=SC2086
		perf record -q -a -g -e cpu-clock -F 499 -o "$out.data" -- \
			fio --name=perf --filename="$dev" --direct=1 --time_based \
			--runtime="$BENCH_RUNTIME" --group_reporting --output-format=json \
			--output="$out.fio.json" $args >"$out.record.log" 2>&1 || {
			t_log "perf record on $tr failed" >&2; cat "$out.record.log" >&2; return 1; }
		[ "$tr" != engine_null ] || _put 0 "$B_ENGINE_DBG/null_mode" || return 1
		perf report -i "$out.data" --stdio --no-children -g none --percent-limit 0.5 \
			--sort sym >"$out.sym.txt" 2>/dev/null || return 1
		perf report -i "$out.data" --stdio --no-children -g none --percent-limit 0.5 \
			--sort comm,dso >"$out.comm.txt" 2>/dev/null || return 1
		# Inclusive time per symbol: report.py picks the entry points
		# (work functions, syscalls, softirq) to say who spends it.
		perf report -i "$out.data" --stdio --children -g none --percent-limit 0.3 \
			--sort sym >"$out.children.txt" 2>/dev/null || return 1
		rm -f "$out.data"
		t_log "perf $tr: $(grep -m1 -E '^ +[0-9.]+%' "$out.sym.txt")"
	done
}

# bench_ab: tcp_offload from two builds of the modules, A=$BENCH_AB_A and
# B=$BENCH_AB_B (directories with the three .ko files), in one boot: each
# round loads A, measures, unloads, then B (the order alternates), so that
# a code change is measured against its base under the same conditions.
# nvme-tcp runs every round too, as a yardstick for drift.  Records carry
# the transports "tcp", "tcp_offload-A", "tcp_offload-B", "engine_null-A",
# "engine_null-B"; bench/report.py --ab compares them.
# BENCH_AB_WORKLOADS (space-separated names of B_WORKLOADS on null_blk)
# replaces the default three; BENCH_AB_NULL_WORKLOADS (names of
# B_NULL_WORKLOADS) the engine null mode ones.
read -r -a B_AB_WORKLOADS <<<"${BENCH_AB_WORKLOADS:-rr4k-qd1-libaio rr4k-qd32x2-libaio rr4k-qd32x2-uring}"
read -r -a B_AB_NULL_WORKLOADS <<<"${BENCH_AB_NULL_WORKLOADS:-rr4k-qd1-libaio}"

# _b_kind NAME: the controller kind (io or poll) workload NAME runs on.
_b_kind() { _b_field "$1" kind; }

_b_ab_phase() {
	local round=$1 v=$2 name args dev kind
	NTO_BUILD=$3 load_offload_modules qed_nvmetcp.soft_netdevs=lo >/dev/null || return 1
	for kind in io poll; do
		_b_connect tcp_offload "$kind" || return 1
	done
	for name in "${B_AB_WORKLOADS[@]}"; do
		args=$(_b_null_args "$name") || return 1
		kind=$(_b_kind "$name") || return 1
		dev=$(_b_dev tcp_offload "$kind" null) || return 1
		_b_fio "$round" "tcp_offload-$v" "$name" "$dev" "$args" || return 1
		_b_dmesg_ok tcp_offload "$kind" || return 1
	done
	dev=$(_b_dev tcp_offload io null) || return 1
	_put 1 "$B_ENGINE_DBG/null_mode" || return 1
	for name in "${B_AB_NULL_WORKLOADS[@]}"; do
		_b_fio "$round" "engine_null-$v" "$name" "$dev" "$(_b_null_args "$name")" || return 1
	done
	_put 0 "$B_ENGINE_DBG/null_mode" || return 1
	_b_dmesg_ok tcp_offload io || return 1
	for kind in io poll; do
		host_disconnect "$(_b_nqn "tcp_offload-$kind")" >/dev/null || return 1
	done
	unload_offload_modules >/dev/null
}

bench_ab() {
	local round v name dev dir sub
	if [ ! -d "${BENCH_AB_A:-}" ] || [ ! -d "${BENCH_AB_B:-}" ]; then
		t_skip "BENCH_AB_A and BENCH_AB_B must name two build directories"
	fi
	require_fio
	mkdir -p "$BENCH_OUT/fio"
	: >"$BENCH_OUT/manifest.jsonl"
	_b_sampler_start
	t_cleanup target_teardown
	t_cleanup unload_offload_modules
	t_cleanup bench_disconnect
	T_BRD_MB=16
	for sub in tcp-io tcp-poll tcp_offload-io tcp_offload-poll; do
		target_setup both "$T_PORT" "$(_b_nqn "$sub")" >/dev/null || return 1
	done
	_b_connect tcp io || return 1
	_b_connect tcp poll || return 1
	cat >"$BENCH_OUT/env.json" <<-EOF
	{"kernel": "$(uname -r)", "cpus": $(nproc), "user_hz": $(getconf CLK_TCK),
	 "rounds": $BENCH_ROUNDS, "runtime_s": $BENCH_RUNTIME, "ramp_s": $BENCH_RAMP,
	 "calib_count": $B_CALIB_COUNT,
	 "ab": {"A": "$BENCH_AB_A", "B": "$BENCH_AB_B"},
	 "workloads": [$(printf '"%s",' "${B_AB_WORKLOADS[@]}" | sed 's/,$//')],
	 "null_workloads": [$(printf '"%s",' "${B_AB_NULL_WORKLOADS[@]}" | sed 's/,$//')],
	 "fio": "$(fio --version)", "clocksource": "$(_b_clocksource)",
	 "started": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"}
	EOF
	for round in $(seq "$BENCH_ROUNDS"); do
		t_log "=== A/B round $round of $BENCH_ROUNDS"
		for name in "${B_AB_WORKLOADS[@]}"; do
			dev=$(_b_dev tcp "$(_b_kind "$name")" null) || return 1
			_b_fio "$round" tcp "$name" "$dev" "$(_b_null_args "$name")" || return 1
			_b_dmesg_ok tcp "$(_b_kind "$name")" || return 1
		done
		for v in $([ $((round % 2)) -eq 1 ] && echo A B || echo B A); do
			if [ "$v" = A ]; then dir=$BENCH_AB_A; else dir=$BENCH_AB_B; fi
			_b_ab_phase "$round" "$v" "$dir" || return 1
		done
	done
	_b_done
}

# _b_clocksource: the guest's current clocksource.  Under TCG an HPET read is
# an emulated MMIO access costing microseconds, and the watchdog may switch
# from the TSC to the HPET in the middle of a run, which would make the
# rounds incomparable.  tests/vm/run-test boots guests with tsc=reliable;
# bench/report.py records the clocksource and --check insists on one
# cheap clocksource for the whole run.
_b_clocksource() {
	cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null ||
		echo unknown
}

# _b_done: mark the run complete, with the clocksource it ended on.
_b_done() {
	printf '{"finished": "%s", "clocksource": "%s"}\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(_b_clocksource)" >"$BENCH_OUT/done.json"
}

# bench_disconnect: delete every host controller of the bench subsystems.
bench_disconnect() {
	local sub rc=0
	for sub in "$NVMET_CFS"/subsystems/"$B_NQN"-*; do
		[ -d "$sub" ] || continue
		host_disconnect "${sub##*/}" >/dev/null || rc=1
	done
	return $rc
}

bench_main() {
	local round tr kind sub i
	require_offload_modules
	require_fio
	fio --enghelp 2>/dev/null | grep -q io_uring || t_skip "fio without io_uring"
	mkdir -p "$BENCH_OUT/fio" "$BENCH_OUT/slabinfo"
	: >"$BENCH_OUT/manifest.jsonl"
	_b_sampler_start

	T_BRD_MB=${T_BRD_MB_BENCH:-256}
	t_cleanup target_teardown
	t_cleanup unload_offload_modules
	t_cleanup bench_disconnect
	for sub in tcp-io tcp-poll tcp_offload-io tcp_offload-poll; do
		target_setup both "$T_PORT" "$(_b_nqn "$sub")" >/dev/null || return 1
	done
	for i in $(seq "$BENCH_NCTRL"); do
		target_setup null "$T_PORT" "$(_b_nqn "conn$i")" >/dev/null || return 1
	done
	# Fill brd so that reads copy real pages, not the zero page.
	dd if=/dev/zero of=/dev/ram0 bs=1M count="$T_BRD_MB" oflag=direct status=none || return 1
	[ -z "$(_b_null_names)" ] || _b_null_timer_setup || return 1
	load_offload_modules qed_nvmetcp.soft_netdevs=lo >/dev/null || return 1
	for tr in tcp tcp_offload; do
		for kind in io poll; do
			_b_connect "$tr" "$kind" || { t_log "connect $tr/$kind failed" >&2; return 1; }
		done
	done

	cat >"$BENCH_OUT/env.json" <<-EOF
	{"kernel": "$(uname -r)", "cpus": $(nproc), "user_hz": $(getconf CLK_TCK),
	 "mem_kib": $(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo),
	 "rounds": $BENCH_ROUNDS, "runtime_s": $BENCH_RUNTIME, "ramp_s": $BENCH_RAMP,
	 "calib_count": $B_CALIB_COUNT,
	 "nctrl": $BENCH_NCTRL,
	 "fio": "$(fio --version)", "nvme_cli": "$(/usr/sbin/nvme version | head -n 1)",
	 "brd_mb": $T_BRD_MB, "null_gb": $T_NULL_GB,
	 "workloads": [$(_b_names)], "null_workloads": [$(_b_null_names)],
	 "null_timer": "$B_NULL_TIMER",
	 "perf": ${BENCH_PERF:-0}, "perf_workload": "$B_PERF_WORKLOAD", "clocksource": "$(_b_clocksource)",
	 "started": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"}
	EOF

	for round in $(seq "$BENCH_ROUNDS"); do
		t_log "=== round $round of $BENCH_ROUNDS"
		_b_round "$round" || return 1
		_b_null_round "$round" || return 1
		_b_batches "$round" || return 1
	done
	[ "${BENCH_PERF:-0}" = 0 ] || _b_profile || return 1
	_b_done
}
