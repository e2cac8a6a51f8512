#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check
# timeout: 480
# description: tcp_offload (qedn on the software engine on lo) against a
#   malicious NVMe/TCP target (tests/hostile/hostile-target).  For each mode
#   the target serves connect correctly and then misbehaves once on the I/O
#   at LBA 2048 (or in every ICResp): bad lengths, HLEN/PDO, data outside
#   the buffer, unknown CID or type, duplicate or missing completions, bad
#   R2Ts, odd MAXH2CDATA, digest errors, close mid-PDU; and, valid but
#   hard, every PDU sent in 3-byte pieces.  Pass: the I/O
#   fails or the controller recovers and the data is right, the guard pages
#   around the read buffer are untouched, dmesg names the protocol error,
#   the host never breaks the protocol itself, and at the end the modules
#   unload with a clean kernel log.
#   NTO_HOSTILE_MODES="mode ..." runs only those modes.

. "$(dirname "$0")/lib.sh"

HT=$NTO_REPO/build/hostile/hostile-target
[ -x "$HT" ] || t_skip "hostile-target not built (make -C tests/hostile)"
require_offload_modules

T_PORT=4430
T_NQN=nqn.2014-08.org.nvmexpress:nto-hostile
LBA=2048		# where the target misbehaves
OFF=$((LBA * 512))
IO_LEN=65536

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
/sbin/modprobe nvme-fabrics
# A lost completion must be noticed quickly.
echo 4 >/sys/module/nvme_core/parameters/io_timeout
t_cleanup unload_offload_modules
t_assert load_offload_modules qed_nvmetcp.soft_netdevs=lo

# The target's pid is kept in a file: modes run in subshells.
ht_start() {
	"$HT" -p "$T_PORT" -n "$T_NQN" -m "$1" -t "$LBA" >"$NTO_RESULTS/ht-$1.log" 2>&1 &
	echo $! >"$NTO_RESULTS/ht.pid"
	wait_for 10 grep -q listening "$NTO_RESULTS/ht-$1.log"
}

ht_stop() {
	local pid
	pid=$(cat "$NTO_RESULTS/ht.pid" 2>/dev/null) || return 0
	rm -f "$NTO_RESULTS/ht.pid"
	kill "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}
t_cleanup ht_stop
t_cleanup host_disconnect

# connect [OPTS]: connect through /dev/nvme-fabrics (nvme-cli cannot ask
# for digests on tcp_offload); short reconnect delay and loss timeout.
connect() {
	fabrics_write "transport=tcp_offload,traddr=$T_ADDR,trsvcid=$T_PORT,nqn=$T_NQN,reconnect_delay=1,ctrl_loss_tmo=20${1:+,$1}"
}

ctrl_live() {
	local c
	c=$(host_ctrls "$T_NQN" | head -n 1)
	[ -n "$c" ] && [ "$(cat "/sys/class/nvme/$c/state" 2>/dev/null)" = live ]
}

# guarded_read DEV OFFSET LEN OUT: O_DIRECT read into the middle of three
# mappings whose outer pages are filled with 0xa5.  Exit 0: read, data in
# OUT; 1: the read failed; 2: a guard page was written.
guarded_read() {
	timeout -k 5 90 python3 - "$@" <<'PYEOF'
import mmap, os, sys
dev, off, ln, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
pg = mmap.PAGESIZE
m = mmap.mmap(-1, ln + 2 * pg)
m.write(b"\xa5" * len(m))
rc = 0
fd = os.open(dev, os.O_RDONLY | os.O_DIRECT)
try:
    n = os.preadv(fd, [memoryview(m)[pg:pg + ln]], off)
    if n != ln:
        print("short read", n)
        rc = 1
except OSError as e:
    print("read failed:", e)
    rc = 1
os.close(fd)
if m[:pg] != b"\xa5" * pg or m[pg + ln:] != b"\xa5" * pg:
    print("GUARD PAGE WRITTEN")
    rc = 2
with open(out, "wb") as f:
    f.write(m[pg:pg + ln])
sys.exit(rc)
PYEOF
}

# expect_data FILE LBA LEN: FILE holds the target's initial data there.
expect_data() {
	"$HT" --expect "$2" $(($3 / 512)) >"$1.expect" && cmp "$1" "$1.expect"
}

# dmesg_since_mark: the kernel log after this mode's marker.
dmesg_since_mark() {
	dmesg | awk -v m="hostile-target: mode $MODE\$" '$0 ~ m { p = 1 } p'
}

# run_mode MODE KIND REGEX [CONNECT-OPTS]
#   KIND read:    read 64 KiB at LBA; fail or the right data
#        write:   write 64 KiB at LBA; fail, or read back what was written
#        ok:      write + read back must succeed, no protocol error
#        refused: connect must fail
#   REGEX: what dmesg must say after the mode's marker (empty for ok)
run_mode() {
	local mode=$1 kind=$2 regex=$3 opts=${4:-} t0 rc dev log what
	MODE=$mode
	t0=$(date +%s.%N)
	echo "hostile-target: mode $mode" >/dev/kmsg
	t_log "=== mode $mode ($kind)"
	t_assert ht_start "$mode"
	log=$NTO_RESULTS/ht-$mode.log
	rc=$(connect "$opts")
	if [ "$kind" = refused ]; then
		t_assert test "$rc" != OK
		t_assert_fails wait_for 2 ctrl_live
		what="connect refused ($rc)"
	else
		t_assert test "$rc" = OK
		t_assert wait_for 20 _host_ns_ready "$T_NQN" 1
		dev=$(host_ns_dev "$T_NQN" 1)
		case "$kind" in
		read)
			rc=0
			guarded_read "$dev" "$OFF" "$IO_LEN" "$NTO_RESULTS/$mode.read" || rc=$?
			t_assert test "$rc" -le 1
			if [ "$rc" = 0 ]; then
				t_assert expect_data "$NTO_RESULTS/$mode.read" "$LBA" "$IO_LEN"
				what="read succeeded with the right data"
			else
				what="read failed"
			fi
			;;
		write | ok)
			head -c "$IO_LEN" /dev/urandom >"$NTO_RESULTS/$mode.w"
			rc=0
			timeout -k 5 90 dd if="$NTO_RESULTS/$mode.w" of="$dev" bs="$IO_LEN" \
				seek=$((OFF / IO_LEN)) count=1 oflag=direct status=none || rc=$?
			t_assert test "$rc" != 124
			[ "$kind" = write ] || t_assert test "$rc" = 0
			if [ "$rc" = 0 ]; then
				t_assert guarded_read "$dev" "$OFF" "$IO_LEN" "$NTO_RESULTS/$mode.read"
				t_assert cmp "$NTO_RESULTS/$mode.w" "$NTO_RESULTS/$mode.read"
				what="write succeeded and reads back"
			else
				what="write failed"
			fi
			;;
		esac
		# Whatever happened, the controller recovers and serves I/O.
		t_assert wait_for 30 ctrl_live
		t_assert guarded_read "$dev" 0 4096 "$NTO_RESULTS/$mode.after"
		t_assert expect_data "$NTO_RESULTS/$mode.after" 0 4096
	fi
	if [ -n "$regex" ]; then
		t_assert wait_for 5 eval 'dmesg_since_mark | grep -qE -- "$regex"'
		dmesg_since_mark | grep -E -- "$regex" | head -n 2
	elif [ "$kind" = ok ]; then
		t_assert_fails eval 'dmesg_since_mark | grep -E "bad PDU|protocol error|closed the connection|timeout"'
	fi
	# Only a PDU stalled on a live connection keeps a task busy in rx
	# (the drain bound ends it); otherwise every cleanup completes.
	if [ "$mode" != stall-data ]; then
		t_assert_fails eval 'dmesg_since_mark | grep "cleanups not done"'
	fi
	t_assert host_disconnect
	ht_stop
	cat "$log"
	t_assert_fails grep -q HOST-VIOLATION "$log"
	if [ "$kind" != refused ] && [ "${mode}" != none ] && [ "$kind" != ok ]; then
		t_assert grep -q misbehaving "$log"
	fi
	printf '%-13s %-7s %5.1fs  %s\n' "$mode" "$kind" \
		"$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" \
		"$what" >>"$NTO_RESULTS/modes"
	t_pass "mode $mode: $what"
}

# MODE KIND DMESG-REGEX [CONNECT-OPTS]
table=(
	"none|ok||"
	"plen-short|read|bad PDU from controller: bad PDU length|"
	"plen-huge|read|bad PDU from controller: bad PDU length|"
	"hlen-big|read|bad PDU from controller: bad header length|"
	"hlen-small|read|bad PDU from controller: bad header length|"
	"pdo-low|read|bad PDU from controller: bad data offset|"
	"pdo-odd|read|bad PDU from controller: bad data offset|"
	"flags-ddgst|read|bad PDU from controller: bad flags|"
	"c2h-offset|read|bad PDU from controller: C2HData outside the command's buffer|"
	"c2h-length|read|bad PDU from controller: C2HData outside the command's buffer|"
	"c2h-rewind|read|bad PDU from controller: C2HData outside the command's buffer|"
	"c2h-cid|read|bad PDU from controller: C2HData for an unknown command|"
	"rsp-cid|read|bad PDU from controller: response for an unknown command|"
	"type-unknown|read|bad PDU from controller: unexpected PDU type|"
	"type-cmd|read|bad PDU from controller: unexpected PDU type|"
	"icresp-again|read|bad PDU from controller: unexpected PDU type|"
	"c2h-term|read|C2HTermReq, fes 1|"
	"dup-rsp|read|bad PDU from controller: response for an unknown command|"
	"no-rsp|read|I/O tag .* timeout|"
	"close-hdr|read|controller closed the connection|"
	"close-data|read|controller closed the connection|"
	"stall-data|read|I/O tag .* timeout|"
	"r2t-over|write|bad PDU from controller: R2T outside the command's data|"
	"r2t-offset|write|bad PDU from controller: R2T outside the command's data|"
	"r2t-cid|write|bad PDU from controller: R2T for an unknown command|"
	"hdgst-bad|read|bad PDU from controller: header digest mismatch|hdr_digest"
	"ddgst-bad|read|data digest error|data_digest"
	"dribble|ok||hdr_digest,data_digest"
	"maxh2c-huge|ok||"
	"maxh2c-min|ok||"
	"maxh2c-small|refused|bad PDU from controller: field out of range|"
	"maxh2c-odd|refused|bad PDU from controller: field out of range|"
)

nmodes=0
: >"$NTO_RESULTS/modes"
for row in "${table[@]}"; do
	IFS='|' read -r mode kind regex opts <<<"$row"
	if [ -n "${NTO_HOSTILE_MODES:-}" ] && [[ " $NTO_HOSTILE_MODES " != *" $mode "* ]]; then
		continue
	fi
	# A failing mode is recorded (which fails the test) and the rest
	# still run: the subshell ends, the loop cleans up after it.
	(t_timed "mode-$mode" run_mode "$mode" "$kind" "$regex" "$opts") || true
	host_disconnect || t_fail "controller of mode $mode cannot be deleted"
	ht_stop
	nmodes=$((nmodes + 1))
done

t_log "results:"
sed 's/^/  /' "$NTO_RESULTS/modes"
t_assert test "$(wc -l <"$NTO_RESULTS/modes")" = "$nmodes"
t_assert unload_offload_modules
t_assert check_dmesg
t_pass "$nmodes modes; modules unloaded, clean kernel log"
