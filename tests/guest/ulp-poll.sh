#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check, e2e
# timeout: 300
# description: polled I/O over tcp_offload: one default and one poll queue
#   (nr_poll_queues=1), fio io_uring with hipri and crc32c verify; the
#   commands go through the poll queue, their completions are all reaped by
#   polling (qedn's poll vector raises no interrupt, so no work item reaps
#   them first); a polled read that nobody reaps for longer than the I/O
#   timeout is reaped by the timeout handler ("completion polled"), without
#   an error recovery; with the default queues, --nr-poll-queues=1 adds a
#   poll queue on top of them; an engine without a spare vector (qed_nvmetcp
#   soft_vectors) puts the poll queue on an interrupt-driven vector that
#   completes outside interrupt context; and the kernel log stays clean.

. "$(dirname "$0")/lib.sh"

require_fio

DBG=/sys/kernel/debug/nvme_tcp_offload
LATE=$NTO_REPO/build/uring/late-reap
dmesg_has() { dmesg | grep -q -- "$1"; }
t_assert test -x "$LATE"
t_assert offload_stack_setup
# Namespaces take the I/O timeout when they are created: set it first.
t_assert _put 3 /sys/module/nvme_core/parameters/io_timeout

t_cleanup host_disconnect
# queue 1 is the default queue, queue 2 the poll queue
t_assert host_connect tcp_offload --nr-io-queues=1 --nr-poll-queues=1
t_assert dmesg_has 'mapped 1/0/1 default/read/poll'
t_assert fio --name=poll --filename="$HOST_NS" --ioengine=io_uring --hipri=1 \
	--direct=1 --rw=randrw --bs=4k --size=8m --iodepth=8 --verify=crc32c \
	--verify_fatal=1 --output="$NTO_RESULTS/fio-poll.log"
sed -n '/err=/p' "$NTO_RESULTS/fio-poll.log"
t_assert grep -q 'err= 0' "$NTO_RESULTS/fio-poll.log"
cat "$DBG/$HOST_CTRL/queues"
poll_cmds=$(awk '$1 == 2 { print $3 }' "$DBG/$HOST_CTRL/queues")
polled=$(awk '$1 == 2 { print $7 }' "$DBG/$HOST_CTRL/queues")
t_assert test "${poll_cmds:-0}" -gt 0
# Every command of the poll queue, its Connect included, completes by
# polling.  (The software engine has one vector more than CPUs, at most 16.)
if [ "$(nproc)" -lt 16 ]; then
	t_assert dmesg_has 'and a poll vector'
	t_assert test "${polled:-0}" -ge "$poll_cmds"
fi
t_pass "polled I/O on the poll queue ($poll_cmds commands, $polled reaped by polling)"

# Submitted on the poll queue, reaped only after 8 s: the 3 s timeout must
# find the completion by polling, not start an error recovery.
t_assert "$LATE" "$HOST_NS" 8
t_assert dmesg_has 'timeout, completion polled'
t_assert_fails dmesg_has 'starting error recovery'
t_pass "a late-reaped polled read completed by the timeout handler's poll"
t_assert host_disconnect

# Poll queues come on top of the interrupt-driven ones, as on nvme-tcp:
# the default layout (an I/O queue per CPU, as many as the device has
# vectors) plus --nr-poll-queues=1 gets its poll queue, the last one.
t_assert host_connect tcp_offload --nr-poll-queues=1
ndef=$(nproc)
[ "$ndef" -lt 16 ] || ndef=16
t_assert dmesg_has "mapped $ndef/0/1 default/read/poll"
t_assert fio --name=poll-top --filename="$HOST_NS" --ioengine=io_uring \
	--hipri=1 --direct=1 --rw=randread --bs=4k --size=4m --iodepth=4 \
	--output="$NTO_RESULTS/fio-poll-top.log"
t_assert grep -q 'err= 0' "$NTO_RESULTS/fio-poll-top.log"
cat "$DBG/$HOST_CTRL/queues"
top_cmds=$(awk -v q=$((ndef + 1)) '$1 == q { print $3 }' "$DBG/$HOST_CTRL/queues")
t_assert test "${top_cmds:-0}" -gt 1
t_pass "$ndef default queues and a poll queue on top ($top_cmds commands on it)"

t_assert host_disconnect

# An engine with no vector to spare (soft_vectors = the CPU count: qedn
# gives every one to the default queues) puts the poll queue on an
# interrupt-driven vector.  A polled bio may come from the per-CPU bio
# cache, which 6.1 takes back only outside interrupt context (bio_put
# warns, and check_dmesg fails): such a vector must complete from qedn's
# work item, not in the "MSI-X" handler.
t_assert unload_offload_modules
t_assert load_offload_modules qed_nvmetcp.soft_netdevs=lo \
	qed_nvmetcp.soft_vectors="$ndef"
# "N vectors, ..." and not "N vectors and a poll vector, ..."
t_assert dmesg_has "$ndef vectors, "
t_assert host_connect tcp_offload --nr-io-queues=1 --nr-poll-queues=1
t_assert dmesg_has 'mapped 1/0/1 default/read/poll'
t_assert fio --name=poll-shared --filename="$HOST_NS" --ioengine=io_uring \
	--hipri=1 --direct=1 --rw=randrw --bs=4k --size=8m --iodepth=8 \
	--verify=crc32c --verify_fatal=1 --output="$NTO_RESULTS/fio-poll-shared.log"
t_assert grep -q 'err= 0' "$NTO_RESULTS/fio-poll-shared.log"
cat "$DBG/$HOST_CTRL/queues"
shared_cmds=$(awk '$1 == 2 { print $3 }' "$DBG/$HOST_CTRL/queues")
t_assert test "${shared_cmds:-0}" -gt 0
t_assert check_dmesg
t_pass "poll queue on a shared vector ($shared_cmds commands), kernel log clean"

t_assert host_disconnect
t_assert unload_offload_modules
t_assert check_dmesg
