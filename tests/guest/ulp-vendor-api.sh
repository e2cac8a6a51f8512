#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check
# timeout: 240
# description: the tcp_offload vendor API through a test-only vendor stub
#   (tests/vendor-stub): incomplete or inconsistent ops tables are refused at
#   registration with one line naming the gap; a device narrowing its
#   allowed or required options refuses a connect with one line naming the
#   option, without being asked to claim it; a device that does not fit is
#   passed over for one that does (qedn), and unregisters without touching
#   the other device's live controller; the I/O queue count is bounded by
#   the device's vectors (qedn max_vectors=1).

. "$(dirname "$0")/lib.sh"

STUB_KO=$NTO_BUILD/nto_vendor_stub.ko
require_offload_modules
[ -f "$STUB_KO" ] || t_skip "vendor stub not built (run: make -C tests/vendor-stub KVER=$NTO_KVER)"

# NVME_TCP_OFLD_OPT_* (include/nvme_tcp_offload.h)
OPT_HOST_IFACE=0x4
OPT_TOS=0x20
OPT_NR_POLL=0x80
OPT_ALL=0xff
BASE="nqn=$T_NQN,transport=tcp_offload,traddr=$T_ADDR,trsvcid=$T_PORT"

stub_claims() { cat /sys/module/nto_vendor_stub/parameters/claims; }
stub_unload() { [ ! -d /sys/module/nto_vendor_stub ] || /sbin/rmmod nto_vendor_stub; }

# lines_of REGEX: kernel lines since the last checkpoint matching REGEX.
lines_of() { _dmesg_since_checkpoint | grep -cE -- "$1" || true; }

# reject_reg NAME REGEX PARAMS...: insmod of the stub with PARAMS fails with
# EINVAL and one kernel line matching REGEX.
reject_reg() {
	local name=$1 re=$2 out
	shift 2
	dmesg_checkpoint "$name"
	if out=$(/sbin/insmod "$STUB_KO" "$@" 2>&1); then
		t_fail "$name: registration accepted ($*)"
	fi
	_dmesg_since_checkpoint | grep -v nto-harness | sed "s/^/    [$name] /"
	# kmod's insmod words EINVAL from init_module as "Invalid parameters"
	[[ $out == *"Invalid parameters"* ]] || t_fail "$name: insmod said '$out', expected EINVAL"
	[ "$(lines_of "$re")" -eq 1 ] || t_fail "$name: expected one line matching '$re'"
	t_pass "$name: registration refused with EINVAL and one line"
}

# reject_conn NAME ERRNO REGEX OPTIONS: the connect fails with ERRNO and one
# kernel line matching REGEX.
reject_conn() {
	local name=$1 want=$2 re=$3 got
	dmesg_checkpoint "$name"
	got=$(fabrics_write "$BASE$4")
	_dmesg_since_checkpoint | grep -v nto-harness | sed "s/^/    [$name] /"
	[ "$got" = "$want" ] || t_fail "$name: errno $got, expected $want"
	[ "$(lines_of "$re")" -eq 1 ] || t_fail "$name: expected one line matching '$re'"
	t_pass "$name: $want with one line"
}

t_cleanup target_teardown
t_cleanup unload_offload_modules
t_cleanup stub_unload
t_assert target_setup brd
t_assert load_offload_modules -m qed_nvmetcp,nvme_tcp_offload qed_nvmetcp.soft_netdevs=lo
/sbin/modprobe nvme-fabrics

# --- registration checks the ops table
REJ='tcp_offload: device .* rejected, missing or invalid:'
reject_reg no-send-req "$REJ send_req\$" omit=send_req
reject_reg no-claim-drain "$REJ claim_dev drain_queue\$" omit=claim_dev,drain_queue
reject_reg no-name 'tcp_offload: device \(unnamed\) rejected, missing or invalid: name$' omit=name
reject_reg small-ctrl "$REJ ctrl_size\$" omit=ctrl_size
reject_reg unknown-opt "$REJ allowed_opts\$" allowed=0x1ff
reject_reg required-not-allowed "$REJ required_opts\$" allowed=$((OPT_ALL & ~OPT_TOS)) required=$OPT_TOS
t_assert test ! -d /sys/module/nto_vendor_stub

# --- a device narrowing the allowed options
t_assert /sbin/insmod "$STUB_KO" allowed=$((OPT_ALL & ~OPT_TOS))
reject_conn narrowed-tos EINVAL 'tcp_offload: offload device nto-stub does not support option tos$' ",tos=8"
reject_conn narrowed-poll EINVAL 'tcp_offload: offload device nto-stub does not support option nr_poll_queues$' ",nr_poll_queues=1"
t_assert test "$(stub_claims)" -eq 0
# options it accepts reach claim_dev, which cannot reach the target
reject_conn fits-but-unreachable ENETUNREACH 'tcp_offload: no offload device can reach 127\.0\.0\.1:4420 \(1 tried, last error -101\)' ",nr_write_queues=1"
t_assert test "$(stub_claims)" -eq 1
t_assert /sbin/rmmod nto_vendor_stub

# --- a device requiring an option
t_assert /sbin/insmod "$STUB_KO" required=$OPT_HOST_IFACE
reject_conn required-iface EINVAL 'tcp_offload: offload device nto-stub requires option host_iface$' ""
t_assert test "$(stub_claims)" -eq 0
reject_conn required-given ENETUNREACH 'tcp_offload: no offload device can reach' ",host_iface=lo"
t_assert test "$(stub_claims)" -eq 1
t_assert /sbin/rmmod nto_vendor_stub

# --- the narrowed stub is asked first; qedn serves what the stub does not
t_assert /sbin/insmod "$STUB_KO" allowed=$((OPT_ALL & ~OPT_TOS))
# qedn with one completion vector: the I/O queues are bounded by it
t_assert load_offload_modules -m qedn qedn.max_vectors=1
t_cleanup host_disconnect
dmesg_checkpoint passed-over
t_assert host_connect tcp_offload --tos=8
t_assert eval '_dmesg_since_checkpoint | grep -q "$HOST_CTRL: new ctrl: .*device qedn"'
t_assert test "$(stub_claims)" -eq 0
t_pass "tos: the stub that refuses it is passed over, qedn claims"
io_queues=$(awk '$1 == "io_queues:" { print $2 }' "/sys/kernel/debug/nvme_tcp_offload/$HOST_CTRL/stats")
t_assert test "$(nproc)" -ge 2
t_assert test "$io_queues" -eq 1
t_pass "$(nproc) CPUs, a device with 1 vector: $io_queues I/O queue"
t_assert host_disconnect
t_assert host_connect tcp_offload
t_assert test "$(stub_claims)" -eq 1
t_pass "no tos: the stub is asked first, refuses, qedn claims"
# the stub goes away under qedn's live controller, which stays live
t_assert /sbin/rmmod nto_vendor_stub
t_assert test "$(cat "/sys/class/nvme/$HOST_CTRL/state")" = live
t_assert dd if="$HOST_NS" of=/dev/null bs=64k count=16 iflag=direct status=none
t_pass "stub unregistered, qedn's controller untouched"
t_assert host_disconnect

t_assert unload_offload_modules
t_assert check_dmesg
