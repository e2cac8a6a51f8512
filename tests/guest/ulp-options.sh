#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 300
# description: tcp_offload connect options through qedn on a software engine
#   over lo: tos reaches the offloaded sockets, host_traddr/host_iface reach
#   claim_dev (source address used, a foreign interface refused), the
#   nr_write_queues read/default split, queue_size with disable_sqflow,
#   keep_alive_tmo, duplicate_connect accepted, reset through sysfs
#   reset_controller, and DH-HMAC-CHAP
#   (host and bidirectional, a wrong key refused) where the kernel has it.

. "$(dirname "$0")/lib.sh"

DBG=/sys/kernel/debug/nvme_tcp_offload
BASE="nqn=$T_NQN,transport=tcp_offload,traddr=$T_ADDR,trsvcid=$T_PORT"

stat_of() { awk -v k="$1:" '$1 == k { print $2 }' "$DBG/$HOST_CTRL/stats"; }
sysc() { cat "/sys/class/nvme/$HOST_CTRL/$1"; }
state_is() { [ "$(sysc state 2>/dev/null)" = "$1" ]; }

# host_sockets FIELD: FIELD of every host-side TCP connection to the target
# port (ss prints local address, then peer, then the --tos details).
host_sockets() {
	ss -tnH --tos state established "( dport = :$T_PORT )" >"$NTO_RESULTS/ss.out"
	cat "$NTO_RESULTS/ss.out" >&2
	case "$1" in
	local) awk '{ print $3 }' "$NTO_RESULTS/ss.out" ;;
	tos) grep -o 'tos:[0-9a-fx]*' "$NTO_RESULTS/ss.out" ;;
	esac
}

# rw_ok: a 1 MiB pattern written and read back through the namespace.
rw_ok() {
	head -c 1M /dev/urandom >/tmp/pat
	dd if=/tmp/pat of="$HOST_NS" bs=64k oflag=direct status=none &&
		cmp -n 1048576 /tmp/pat "$HOST_NS"
}

# hw_queues: blk-mq hardware queues of the controller's namespace disk (the
# path disk nvmeXcYn1 under native multipath, else nvmeXn1).
hw_queues() {
	local d
	for d in /sys/class/nvme/"$HOST_CTRL"/nvme*n1; do
		[ -d "$d/mq" ] && { ls "$d/mq" | wc -l; return; }
	done
	echo 0
}

t_assert offload_stack_setup
/sbin/modprobe nvme-fabrics
t_cleanup host_disconnect

# --- tos: every offloaded connection carries it
t_assert host_connect tcp_offload --tos=40
tos=$(host_sockets tos | sort -u)
t_assert test "$(host_sockets local | wc -l)" -eq "$((1 + $(stat_of io_queues)))"
t_assert test "$tos" = "tos:0x28"
t_pass "tos=40 on the admin and I/O connections ($tos)"
t_assert host_disconnect

# --- host_traddr and host_iface go to claim_dev and steer the connection
t_assert host_connect tcp_offload --host-traddr=127.0.0.2 --host-iface=lo
# ss shows a socket bound to a device as ADDR%DEV:PORT (the engine binds
# its sockets to its netdev); the source address is what counts here.
srcs=$(host_sockets local | sed -E 's/(%[^:]*)?:[0-9]+$//' | sort -u)
t_assert test "$srcs" = 127.0.0.2
t_assert grep -q 'host_traddr=127.0.0.2' "/sys/class/nvme/$HOST_CTRL/address"
t_assert rw_ok
t_pass "host_traddr=127.0.0.2 host_iface=lo: connections from $srcs"
t_assert host_disconnect

/sbin/modprobe dummy numdummies=0
ip link add nto-dummy0 type dummy
t_cleanup ip link del nto-dummy0
ip addr add 192.0.2.1/24 dev nto-dummy0
ip link set nto-dummy0 up
dmesg_checkpoint foreign-iface
got=$(fabrics_write "$BASE,host_iface=nto-dummy0")
t_assert test "$got" = ENETUNREACH
t_assert test "$(_dmesg_since_checkpoint | grep -c 'tcp_offload: no offload device can reach 127.0.0.1:4420')" -eq 1
t_assert test -z "$(host_ctrls)"
t_pass "host_iface of another netdev: claim_dev refuses, ENETUNREACH with one line"

# --- nr_write_queues: one read and one default (write) queue
dmesg_checkpoint write-queues
t_assert host_connect tcp_offload --nr-io-queues=1 --nr-write-queues=1
t_assert test "$(stat_of io_queues)" -eq 2
t_assert test "$(hw_queues)" -eq 2
t_assert eval '_dmesg_since_checkpoint | grep -q "$HOST_CTRL: mapped 1/1/0 default/read/poll queues"'
t_assert rw_ok
t_pass "nr_io_queues=1 nr_write_queues=1: 2 I/O queues mapped 1/1/0"
t_assert host_disconnect

# --- queue_size sets the I/O queue depth; disable_sqflow is accepted (it
# only changes a bit in the Connect command the target honours)
t_assert host_connect tcp_offload --queue-size=64 --disable-sqflow
t_assert test "$(sysc sqsize)" -eq 63
t_assert rw_ok
t_pass "queue_size=64 (sqsize 63) with disable_sqflow"
t_assert host_disconnect

# --- keep_alive_tmo: the controller runs keep-alive at that period
t_assert host_connect tcp_offload --keep-alive-tmo=2
t_assert test "$(sysc kato)" -eq 2
admin_cmds() { awk '$1 == 0 { print $3 }' "$DBG/$HOST_CTRL/queues"; }
c0=$(admin_cmds)
sleep 6
c1=$(admin_cmds)
t_log "admin queue commands over 6 s idle: $c0 -> $c1"
# Keep Alive every kato/2, kato/4 with nvmet's TBKAS: 12 in 6 s at kato=2;
# the default kato of 5 s would give at most 5.
t_assert test "$((c1 - c0))" -ge 7
t_assert state_is live
t_pass "keep_alive_tmo=2: kato 2, $((c1 - c0)) keep-alives in 6 s"

# --- duplicate_connect: a second controller to the same address is allowed
first=$HOST_CTRL
t_assert test "$(fabrics_write "$BASE,hostnqn=$(sysc hostnqn),hostid=$(sysc hostid),duplicate_connect")" = OK
t_assert test "$(host_ctrls | wc -l)" -eq 2
for c in $(host_ctrls); do
	t_assert test "$(cat "/sys/class/nvme/$c/state")" = live
done
t_pass "duplicate_connect: two controllers to one address"
t_assert host_disconnect

# --- reset through sysfs reset_controller
t_assert host_connect tcp_offload
dmesg_checkpoint sysfs-reset
t_assert _put 1 "/sys/class/nvme/$HOST_CTRL/reset_controller"
t_assert wait_for 30 eval '_dmesg_since_checkpoint | grep -q "$HOST_CTRL: reset done"'
t_assert wait_for 10 state_is live
t_assert rw_ok
t_pass "reset_controller through sysfs: reset done, live, I/O works"
t_assert host_disconnect

# --- DH-HMAC-CHAP, where host and target kernels have it
HOSTS=$NVMET_CFS/hosts
SUB=$NVMET_CFS/subsystems/$T_NQN
HOSTNQN=$(cat /etc/nvme/hostnqn)

# dhchap_key: a DHHC-1 secret (32 random bytes and their CRC-32, base64).
dhchap_key() {
	python3 -c 'import base64, os, zlib
k = os.urandom(32)
print("DHHC-1:00:" + base64.b64encode(k + zlib.crc32(k).to_bytes(4, "little")).decode() + ":")'
}

auth_teardown() {
	rm -f "$SUB/allowed_hosts/$HOSTNQN"
	rmdir "$HOSTS/$HOSTNQN" 2>/dev/null
	_put 1 "$SUB/attr_allow_any_host"
}

if ! /sbin/modprobe -q nvme-auth 2>/dev/null ||
	[ ! -e "/sys/class/nvme-fabrics/ctl" ] ||
	! mkdir "$HOSTS/$HOSTNQN" 2>/dev/null || [ ! -e "$HOSTS/$HOSTNQN/dhchap_key" ]; then
	rmdir "$HOSTS/$HOSTNQN" 2>/dev/null || true
	t_log "DH-HMAC-CHAP: not in this kernel ($NTO_KVER), not tested"
else
	t_cleanup auth_teardown
	hkey=$(dhchap_key)
	ckey=$(dhchap_key)
	t_assert _put "$hkey" "$HOSTS/$HOSTNQN/dhchap_key"
	t_assert _put 0 "$SUB/attr_allow_any_host"
	t_assert ln -s "$HOSTS/$HOSTNQN" "$SUB/allowed_hosts/$HOSTNQN"

	# the host is refused without a secret
	dmesg_checkpoint auth-none
	t_assert_fails /usr/sbin/nvme connect -t tcp_offload -a "$T_ADDR" -s "$T_PORT" -n "$T_NQN"
	t_assert test -z "$(host_ctrls)"

	# host authentication
	dmesg_checkpoint auth-host
	t_assert host_connect tcp_offload --dhchap-secret="$hkey"
	_dmesg_since_checkpoint | grep -i auth || true
	t_assert eval '_dmesg_since_checkpoint | grep -q "$HOST_CTRL: qid 0: authenticated"'
	t_assert rw_ok
	t_assert host_disconnect
	t_pass "DH-HMAC-CHAP host authentication"

	# bidirectional
	t_assert _put "$ckey" "$HOSTS/$HOSTNQN/dhchap_ctrl_key"
	dmesg_checkpoint auth-bidi
	t_assert host_connect tcp_offload --dhchap-secret="$hkey" --dhchap-ctrl-secret="$ckey"
	_dmesg_since_checkpoint | grep -i auth || true
	t_assert eval '_dmesg_since_checkpoint | grep -q "$HOST_CTRL: qid 0: controller authenticated"'
	t_assert rw_ok
	# a reset authenticates the new association again
	dmesg_checkpoint auth-reset
	t_assert _put 1 "/sys/class/nvme/$HOST_CTRL/reset_controller"
	t_assert wait_for 30 eval '_dmesg_since_checkpoint | grep -q "$HOST_CTRL: reset done"'
	t_assert eval '_dmesg_since_checkpoint | grep -q "$HOST_CTRL: qid 0: authenticated"'
	t_assert host_disconnect
	t_pass "DH-HMAC-CHAP bidirectional, again after a reset"

	# a wrong host key fails the connect with a clear line, nothing left
	dmesg_checkpoint auth-wrong
	wrong=$(dhchap_key)
	out=$(fabrics_write "$BASE,hostnqn=$HOSTNQN,hostid=$(cat /etc/nvme/hostid),dhchap_secret=$wrong")
	_dmesg_since_checkpoint | grep -v nto-harness || true
	t_assert test "$out" = EKEYREJECTED
	t_assert eval '_dmesg_since_checkpoint | grep -qi "authentication failed"'
	t_assert test -z "$(host_ctrls)"
	t_pass "DH-HMAC-CHAP with a wrong key refused ($out)"
	t_assert auth_teardown
fi

t_assert unload_offload_modules
t_assert check_dmesg
