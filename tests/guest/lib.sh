# SPDX-License-Identifier: GPL-2.0
#
# Helpers for guest tests (tests/guest/*.sh), sourced at the top of each test:
#
#   . "$(dirname "$0")/lib.sh"
#
# Sourcing turns on errexit/pipefail: an unexpected failing command ends the
# test with FAIL and its line is logged.  Use `|| true` where failure is fine.
#
# Environment set by tests/vm/guest-run:
#   NTO_REPO     repository root (9p, read-write)
#   NTO_BUILD    $NTO_REPO/build/$NTO_KVER, where the built modules are
#   NTO_RESULTS  this run's results directory (shared with the host)
#   NTO_KVER     guest kernel release
#   NTO_TEST     test name

export PATH=/usr/sbin:/usr/bin
NTO_KVER=${NTO_KVER:-$(uname -r)}
NTO_REPO=${NTO_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
NTO_BUILD=${NTO_BUILD:-$NTO_REPO/build/$NTO_KVER}
NTO_RESULTS=${NTO_RESULTS:-/tmp/nto-results}
mkdir -p "$NTO_RESULTS"

# Target defaults; tests may override before calling target_setup.
T_ADDR=${T_ADDR:-127.0.0.1}
T_PORT=${T_PORT:-4420}
T_NQN=${T_NQN:-nqn.2014-08.org.nvmexpress:nto-test}
T_BRD_MB=${T_BRD_MB:-128}
T_NULL_GB=${T_NULL_GB:-4}

NVMET_CFS=/sys/kernel/config/nvmet

# The project modules in dependency order.
NTO_MODULES=(qed_nvmetcp nvme_tcp_offload qedn)

# ---------------------------------------------------------------------------
# Reporting

t_uptime() { cut -d' ' -f1 /proc/uptime; }

t_log() { echo "[$(t_uptime)] $*"; }

_t_record() { echo "$*" >>"$NTO_RESULTS/result"; }

# t_pass MSG: record a passed check.
t_pass() {
	_t_record "PASS $*"
	t_log "ok: $*"
}

# t_fail MSG: record a failed check and end the test (cleanups still run).
# A record alone fails the test, so t_fail inside a subshell counts too.
t_fail() {
	_t_record "FAIL $*"
	t_log "FAIL: $*" >&2
	exit 1
}

# t_skip REASON: the test cannot run here; ends it with exit code 77.
t_skip() {
	_t_record "SKIP $*"
	t_log "SKIP: $*"
	exit 77
}

# t_assert CMD...: CMD must succeed.
t_assert() {
	if "$@"; then
		t_pass "$*"
	else
		t_fail "$* (exit $?)"
	fi
}

# t_assert_fails CMD...: CMD must fail.
t_assert_fails() {
	if "$@"; then
		t_fail "expected failure: $*"
	else
		t_pass "fails as expected: $*"
	fi
}

# t_timed NAME CMD...: run CMD and record its wall time as "NAME seconds" in
# the run's timing file (run-test -v prints it).
t_timed() {
	local name=$1 t0 t1 rc=0
	shift
	t0=$(date +%s.%N)
	"$@" || rc=$?
	t1=$(date +%s.%N)
	echo "$name $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" >>"$NTO_RESULTS/timing"
	return $rc
}

# t_cleanup CMD...: run CMD when the test exits, newest first.
_t_cleanups=()
t_cleanup() {
	local q
	printf -v q '%q ' "$@"
	_t_cleanups+=("$q")
}

_t_on_exit() {
	local rc=$? i
	trap - ERR
	set +e
	for ((i = ${#_t_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_t_cleanups[i]}" || t_log "cleanup failed: ${_t_cleanups[i]}"
	done
	_t_cleanups=()
	exit $rc
}

_t_on_err() {
	local src=${BASH_SOURCE[1]:-$0}
	t_log "command failed (exit $1) at ${src##*/}:$2: $(sed -n "$2{s/^[[:space:]]*//;p}" "$src" 2>/dev/null)" >&2
}

# Helpers below check every step themselves: errexit does not apply inside a
# function called from a condition (t_assert, ||, t_timed).
set -eE -o pipefail
trap '_t_on_err $? $LINENO' ERR
trap _t_on_exit EXIT

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.  SECONDS
# is scaled by NTO_VM_TIMEOUT_SCALE (slow debug kernels, see run-test).
wait_for() {
	local limit=$1 i=0
	shift
	[ -z "${NTO_VM_TIMEOUT_SCALE:-}" ] ||
		limit=$(awk -v t="$limit" -v f="$NTO_VM_TIMEOUT_SCALE" 'BEGIN { printf "%d\n", t * f + 0.5 }')
	until "$@"; do
		i=$((i + 1))
		[ $i -lt $((limit * 10)) ] || return 1
		sleep 0.1
	done
}

# ---------------------------------------------------------------------------
# Kernel log checks

# Lines that mean the kernel is unhappy.  Extend with NTO_DMESG_BAD, excuse
# known-harmless lines with NTO_DMESG_IGNORE (both extended regexes).
NTO_DMESG_PATTERN='BUG:|WARNING:|Oops|KASAN|UBSAN|general protection fault|kernel BUG|'\
'possible circular locking|inconsistent lock state|lockdep|possible recursive locking|'\
'hung task|blocked for more than|soft lockup|hard LOCKUP|rcu_.*stall|'\
'list_(add|del) corruption|refcount_t: |Call Trace:|unreferenced object|suspected memory leak'

# dmesg_checkpoint [NOTE]: check_dmesg ignores everything logged before this.
# Only for tests that put bad lines into the log on purpose.
dmesg_checkpoint() {
	echo "nto-harness: dmesg checkpoint ${1:-}" >/dev/kmsg
}

# The kernel log from the last checkpoint line (included, so never empty).
_dmesg_since_checkpoint() {
	dmesg | awk '{ line[NR] = $0 } /nto-harness: dmesg checkpoint/ { start = NR }
		END { for (i = start ? start : 1; i <= NR; i++) print line[i] }'
}

# check_dmesg: fail (and print the lines) if the kernel log since boot or the
# last checkpoint has a bug, warning, oops, lockdep report or hung task.
check_dmesg() {
	local pattern=$NTO_DMESG_PATTERN ignore=${NTO_DMESG_IGNORE:-'^$'} log hits
	# Not reports: the command line (it may name options such as
	# rcupdate.rcu_cpu_stall_timeout) and boot banners of debug kernels.
	ignore="[Cc]ommand line: |RCU lockdep checking is enabled|RCU CPU stall warnings timeout set|$ignore"
	[ -z "${NTO_DMESG_BAD:-}" ] || pattern="$pattern|$NTO_DMESG_BAD"
	# Fail closed: a checker that cannot read the log must not pass.
	if ! log=$(_dmesg_since_checkpoint) || [ -z "$log" ]; then
		echo "check_dmesg: cannot read the kernel log" >&2
		return 1
	fi
	hits=$(grep -v 'nto-harness: dmesg checkpoint' <<<"$log" |
		grep -E -- "$pattern" | grep -vE -- "$ignore" || true)
	[ -n "$hits" ] || return 0
	echo "check_dmesg: the kernel log has problems:" >&2
	echo "$hits" | head -n 20 >&2
	return 1
}

# ---------------------------------------------------------------------------
# In-kernel NVMe-oF target (nvmet + nvmet-tcp) on loopback

# _put VALUE FILE: write a sysfs/configfs attribute, saying which one failed.
_put() {
	echo "$1" >"$2" && return 0
	t_log "cannot write '$1' to $2" >&2
	return 1
}

_target_brd() {
	if [ ! -b /dev/ram0 ]; then
		/sbin/modprobe brd rd_nr=1 rd_size=$((T_BRD_MB * 1024)) max_part=0 || return 1
	fi
	wait_for 5 test -b /dev/ram0 && echo /dev/ram0
}

_target_null() {
	if [ ! -b /dev/nullb0 ]; then
		/sbin/modprobe null_blk nr_devices=1 gb="$T_NULL_GB" queue_mode=2 \
			irqmode=0 bs=4096 || return 1
	fi
	wait_for 5 test -b /dev/nullb0 && echo /dev/nullb0
}

_target_ns() {
	local nqn=$1 nsid=$2 dev=$3 ns
	ns=$NVMET_CFS/subsystems/$nqn/namespaces/$nsid
	[ -d "$ns" ] && return 0
	mkdir "$ns" && _put "$dev" "$ns/device_path" && _put 1 "$ns/enable"
}

# target_setup [brd|null|both] [PORT] [NQN]: export a brd (data kept, for
# verify) and/or null_blk (fast, no data) namespace over nvmet-tcp on
# $T_ADDR:PORT.  With "both", namespace 1 is brd and 2 is null_blk.  Repeat
# with another port to listen on several ports.
target_setup() {
	local backend=${1:-brd} port=${2:-$T_PORT} nqn=${3:-$T_NQN} sub portdir dev
	/sbin/modprobe nvmet && /sbin/modprobe nvmet-tcp || return 1
	sub=$NVMET_CFS/subsystems/$nqn
	if [ ! -d "$sub" ]; then
		mkdir "$sub" && _put 1 "$sub/attr_allow_any_host" || return 1
	fi
	case "$backend" in
	brd)  dev=$(_target_brd) && _target_ns "$nqn" 1 "$dev" ;;
	null) dev=$(_target_null) && _target_ns "$nqn" 1 "$dev" ;;
	both) dev=$(_target_brd) && _target_ns "$nqn" 1 "$dev" &&
	      dev=$(_target_null) && _target_ns "$nqn" 2 "$dev" ;;
	*)    t_fail "target_setup: unknown backend '$backend'" ;;
	esac || return 1
	# The port id is the TCP port number, so tests can name ports simply.
	portdir=$NVMET_CFS/ports/$port
	if [ ! -d "$portdir" ]; then
		mkdir "$portdir" &&
			_put tcp "$portdir/addr_trtype" &&
			_put ipv4 "$portdir/addr_adrfam" &&
			_put "$T_ADDR" "$portdir/addr_traddr" &&
			_put "$port" "$portdir/addr_trsvcid" || return 1
	fi
	target_port_enable "$port" "$nqn" || return 1
	t_log "target: $nqn ($backend) on $T_ADDR:$port"
}

# target_port_disable [PORT] [NQN]: unlink the subsystem from the port; the
# target stops listening and drops the port's connections.
target_port_disable() {
	local port=${1:-$T_PORT} nqn=${2:-$T_NQN}
	rm -f "$NVMET_CFS/ports/$port/subsystems/$nqn"
}

# target_port_enable [PORT] [NQN]: (re)link the subsystem to the port.
target_port_enable() {
	local port=${1:-$T_PORT} nqn=${2:-$T_NQN} link
	link=$NVMET_CFS/ports/$port/subsystems/$nqn
	[ -L "$link" ] || ln -s "$NVMET_CFS/subsystems/$nqn" "$link"
}

# target_teardown: disconnect any host controller attached to our subsystems,
# remove all ports and subsystems, unload nvmet-tcp, nvmet, brd and null_blk.
# Idempotent; safe as a t_cleanup.
target_teardown() {
	local sub port link ns nqn rc=0
	[ -d "$NVMET_CFS" ] || { _target_unload; return; }
	for sub in "$NVMET_CFS"/subsystems/*; do
		[ -d "$sub" ] || continue
		host_disconnect "${sub##*/}" || rc=1
	done
	for port in "$NVMET_CFS"/ports/*; do
		[ -d "$port" ] || continue
		for link in "$port"/subsystems/*; do
			[ -L "$link" ] && rm -f "$link"
		done
		rmdir "$port" || rc=1
	done
	for sub in "$NVMET_CFS"/subsystems/*; do
		[ -d "$sub" ] || continue
		for ns in "$sub"/namespaces/*; do
			[ -d "$ns" ] || continue
			_put 0 "$ns/enable" || rc=1
			rmdir "$ns" || rc=1
		done
		rmdir "$sub" || rc=1
	done
	_target_unload || rc=1
	return $rc
}

_target_unload() {
	local m rc=0
	for m in nvmet_tcp nvmet brd null_blk; do
		[ -d "/sys/module/$m" ] || continue
		/sbin/rmmod "$m" || rc=1
	done
	return $rc
}

# ---------------------------------------------------------------------------
# Host side

# host_ctrls [NQN]: names (nvme0 ...) of the controllers connected to NQN.
host_ctrls() {
	local nqn=${1:-$T_NQN} c
	for c in /sys/class/nvme/nvme*; do
		[ -e "$c/subsysnqn" ] || continue
		[ "$(cat "$c/subsysnqn")" = "$nqn" ] && echo "${c##*/}"
	done
	return 0
}

# host_ns_dev [NQN] [NSID]: print /dev/nvmeXnY of namespace NSID of NQN.
# Works with native multipath (head disk under the subsystem) and without.
host_ns_dev() {
	local nqn=${1:-$T_NQN} nsid=${2:-1} b
	for b in /sys/block/nvme*n*; do
		[[ ${b##*/} =~ ^nvme[0-9]+n[0-9]+$ ]] || continue
		[ "$(cat "$b/device/subsysnqn" 2>/dev/null)" = "$nqn" ] || continue
		[ "$(cat "$b/nsid" 2>/dev/null)" = "$nsid" ] || continue
		echo "/dev/${b##*/}"
		return 0
	done
	return 1
}

_host_ns_ready() {
	local dev
	dev=$(host_ns_dev "$@") && [ -b "$dev" ]
}

# host_connect [TRANSPORT] [NVME-CONNECT-ARGS...]: connect to $T_NQN at
# $T_ADDR:$T_PORT and wait for namespace 1.  Sets HOST_CTRL (nvme0) and
# HOST_NS (/dev/nvme0n1).
host_connect() {
	local transport=${1:-tcp}
	[ $# -eq 0 ] || shift
	# Without udev nothing loads the fabrics core (/dev/nvme-fabrics) for us.
	/sbin/modprobe nvme-fabrics || return 1
	[ "$transport" != tcp ] || /sbin/modprobe nvme-tcp || return 1
	t_log "nvme connect -t $transport -a $T_ADDR -s $T_PORT -n $T_NQN $*"
	/usr/sbin/nvme connect -t "$transport" -a "$T_ADDR" -s "$T_PORT" -n "$T_NQN" "$@" ||
		return 1
	if ! wait_for 20 _host_ns_ready "$T_NQN" 1; then
		t_log "no namespace appeared for $T_NQN" >&2
		return 1
	fi
	HOST_CTRL=$(host_ctrls "$T_NQN" | head -n 1)
	HOST_NS=$(host_ns_dev "$T_NQN" 1) || return 1
	t_log "connected: $HOST_CTRL ($(cat "/sys/class/nvme/$HOST_CTRL/transport")), namespace $HOST_NS"
}

_host_no_ctrls() { [ -z "$(host_ctrls "$1")" ]; }

# host_disconnect [NQN]: delete every controller of NQN, of any transport, and
# wait until they are gone.  Succeeds when there was nothing to disconnect.
# Uses sysfs directly: libnvme ignores controllers without an "address"
# attribute, so "nvme disconnect" could miss some.
host_disconnect() {
	local nqn=${1:-$T_NQN} c
	for c in $(host_ctrls "$nqn"); do
		t_log "deleting controller $c"
		echo 1 >"/sys/class/nvme/$c/delete_controller" 2>/dev/null || true
	done
	wait_for 30 _host_no_ctrls "$nqn"
}

# ---------------------------------------------------------------------------
# Project modules

# offload_modules_built: all three .ko files exist for this kernel.
offload_modules_built() {
	local m
	for m in "${NTO_MODULES[@]}"; do
		[ -f "$NTO_BUILD/$m.ko" ] || return 1
	done
}

# require_offload_modules: skip the test unless the modules are built.
require_offload_modules() {
	offload_modules_built ||
		t_skip "project modules not built for $NTO_KVER (run: make KVER=$NTO_KVER)"
}

# load_offload_modules [-m MOD,MOD..] [MODULE.PARAM=VALUE ...]: insmod the
# project modules from $NTO_BUILD in dependency order (all three, or those
# given with -m), after modprobing their in-kernel dependencies.  Parameters
# go to the module named in their prefix, e.g. qed_nvmetcp.soft_netdevs=lo.
load_offload_modules() {
	local mods=("${NTO_MODULES[@]}") m ko dep arg params
	if [ "${1:-}" = -m ]; then
		IFS=, read -r -a mods <<<"$2"
		shift 2
	fi
	for m in "${mods[@]}"; do
		ko=$NTO_BUILD/$m.ko
		[ -f "$ko" ] || { t_log "load_offload_modules: $ko not built"; return 1; }
		for dep in $(/sbin/modinfo -F depends "$ko" | tr , ' '); do
			[[ " ${NTO_MODULES[*]} " == *" ${dep//-/_} "* ]] && continue
			/sbin/modprobe "$dep"
		done
		params=()
		for arg in "$@"; do
			[[ $arg == "$m".* ]] && params+=("${arg#"$m".}")
		done
		t_log "insmod $ko ${params[*]}"
		/sbin/insmod "$ko" "${params[@]}"
	done
}

# offload_stack_setup [BRD_MB]: the stage most end-to-end tests share.  The
# project modules must be built; nvmet-tcp exports a brd namespace of BRD_MB
# (default 64) MiB; the three modules load with a software engine on lo.
# Registers the cleanups that undo it (modules first, then the target).
offload_stack_setup() {
	require_offload_modules
	T_BRD_MB=${1:-64}
	t_cleanup target_teardown
	t_cleanup unload_offload_modules
	target_setup brd || return 1
	load_offload_modules qed_nvmetcp.soft_netdevs=lo
}

# engine_conns [ENGINE]: the software engine's connection list (debugfs
# "conns", one line per connection: handle, state, then "name value" pairs).
engine_conns() {
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
	cat "/sys/kernel/debug/qed_nvmetcp/${1:-soft-lo}/conns"
}

# engine_conn_values NAME [ENGINE]: NAME's value on each connected
# connection, one per line (nothing if none is connected).
engine_conn_values() {
	engine_conns "${2:-soft-lo}" | awk -v f="$1" '$2 == "connected" {
		for (i = 3; i < NF; i++) if ($i == f) print $(i + 1) }'
}

# engine_conn_sum NAME [ENGINE]: NAME summed over the connected connections.
engine_conn_sum() {
	engine_conn_values "$@" | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

# engine_digests_on [ENGINE]: at least one connection is connected, and all
# connected ones have header and data digests on.
engine_digests_on() {
	local v
	v=$( { engine_conn_values hdgst "$@"; engine_conn_values ddgst "$@"; } | sort -u | tr '\n' ' ')
	[ "$v" = "1 " ]
}

# slab_kb: the kernel's slab in kB (/proc/meminfo) after dropping caches.
slab_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^Slab:/ { print $2 }' /proc/meminfo
}

# require_fio: skip the test unless fio is installed.
require_fio() {
	command -v fio >/dev/null || t_skip "fio not installed"
}

# fio_wait_ok LOG: wait for the background fio whose pid is in FIO_PID and
# require that it exited 0 and reported no error in LOG.
fio_wait_ok() {
	local rc=0
	wait "$FIO_PID" || rc=$?
	sed -n '/err=/p' "$1"
	[ $rc -eq 0 ] && grep -q 'err= 0' "$1"
}

# fio_verify_bg NAME SECONDS [FIO-ARGS...]: crc32c-verified random writes on
# $HOST_NS in the background for SECONDS (pid in FIO_PID, log in
# $NTO_RESULTS/fio-NAME.log), each block read back and checked soon after it
# is written.  Wait for it with fio_wait_ok.
fio_verify_bg() {
	local name=$1 secs=$2
	shift 2
	# allow_file_create=0: a device node already gone must fail the job,
	# not turn into a regular file in /dev that takes the writes.
	fio --name="$name" --filename="$HOST_NS" --allow_file_create=0 \
		--ioengine=libaio --direct=1 --rw=randwrite --bsrange=4k-256k --size=16m --iodepth=16 \
		--time_based=1 --runtime="$secs" --verify=crc32c --verify_backlog=32 \
		--verify_fatal=1 --output="$NTO_RESULTS/fio-$name.log" "$@" &
	FIO_PID=$!
}

# host_ctrl_state [CTRL]: the state of CTRL (default $HOST_CTRL), or "gone".
host_ctrl_state() {
	cat "/sys/class/nvme/${1:-$HOST_CTRL}/state" 2>/dev/null || echo gone
}

# host_ctrl_live [CTRL]: CTRL (default $HOST_CTRL) is live.
host_ctrl_live() { [ "$(host_ctrl_state "$@")" = live ]; }

# wait_bounded NAME LIMIT CMD...: like wait_for, and record how long it took
# as "NAME seconds" in the run's timing file (the recovery times that
# docs/reliability.md quotes).  Fails, saying so, after LIMIT seconds.
wait_bounded() {
	local name=$1 limit=$2 t0 secs rc=0
	shift 2
	t0=$(date +%s.%N)
	wait_for "$limit" "$@" || rc=$?
	secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	echo "$name $secs" >>"$NTO_RESULTS/timing"
	if [ $rc -ne 0 ]; then
		t_log "$name: not done within ${limit} s: $*" >&2
		return 1
	fi
	t_log "$name: ${secs} s (bound ${limit} s)"
}

# hung_task_watch SECONDS: report tasks blocked for SECONDS (check_dmesg
# then fails on them); faults must not leave anything stuck that long.
hung_task_watch() {
	_put "$1" /proc/sys/kernel/hung_task_timeout_secs
}

# write_errno FILE DATA: DATA in one write(2) to FILE; prints OK or the
# errno name (EINVAL ...).
write_errno() {
	python3 - "$1" "$2" <<'PYEOF'
import errno, os, sys
try:
    fd = os.open(sys.argv[1], os.O_WRONLY)
    try:
        os.write(fd, sys.argv[2].encode())
    finally:
        os.close(fd)
    print("OK")
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e.errno)))
PYEOF
}

# fabrics_write OPTIONS: one connect request straight to /dev/nvme-fabrics
# (for options nvme-cli does not pass); prints OK or the errno name.
fabrics_write() {
	write_errno /dev/nvme-fabrics "$1"
}

# expect_reject NAME ERRNO REGEX FILE DATA: writing DATA to FILE fails with
# ERRNO and the kernel logs exactly one line matching REGEX for it (REGEX
# "-": the kernel logs nothing for this one, only the errno is checked).
expect_reject() {
	local name=$1 want=$2 re=$3 file=$4 data=$5 got n
	dmesg_checkpoint "$name"
	got=$(write_errno "$file" "$data")
	_dmesg_since_checkpoint | { grep -v 'nto-harness' || true; } | sed "s/^/    [$name] /"
	[ "$got" = "$want" ] || t_fail "$name: errno $got, expected $want"
	if [ "$re" = - ]; then
		t_pass "$name: $want (no kernel line)"
		return 0
	fi
	n=$(_dmesg_since_checkpoint | grep -cE -- "$re" || true)
	[ "$n" -eq 1 ] || t_fail "$name: $n kernel lines match '$re', expected 1"
	t_pass "$name: $want with one clear line"
}

# unload_offload_modules: rmmod whichever project modules are loaded, in
# reverse dependency order.
unload_offload_modules() {
	local i m rc=0
	for ((i = ${#NTO_MODULES[@]} - 1; i >= 0; i--)); do
		m=${NTO_MODULES[i]}
		[ -d "/sys/module/$m" ] || continue
		t_log "rmmod $m"
		/sbin/rmmod "$m" || rc=1
	done
	return $rc
}
