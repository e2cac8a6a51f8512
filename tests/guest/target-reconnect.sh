#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check
# timeout: 300
# description: baseline error recovery without project modules - the in-kernel
#   nvme-tcp host loses its target port, reconnects when it returns, and the
#   data written before the outage still verifies; brd and null_blk namespaces.

. "$(dirname "$0")/lib.sh"

ctrl_state() { cat "/sys/class/nvme/$HOST_CTRL/state"; }
state_is() { [ "$(ctrl_state)" = "$1" ]; }
state_is_not() { [ "$(ctrl_state)" != "$1" ]; }

fio_job() {
	fio --name="$1" --filename="$HOST_NS" --ioengine=libaio --direct=1 --bs=64k \
		--size=8m --iodepth=8 --verify=crc32c --verify_fatal=1 "${@:2}" \
		--output="$NTO_RESULTS/fio-$1.log"
}

t_cleanup target_teardown
target_setup both
t_assert host_connect tcp --reconnect-delay=1 --ctrl-loss-tmo=60
t_assert test -n "$(host_ns_dev "$T_NQN" 2)"

t_assert fio_job write --rw=write --do_verify=0

target_port_disable
t_assert wait_for 30 state_is_not live
t_log "controller $HOST_CTRL is $(ctrl_state) with the port down"
# Long enough for reconnect attempts to fail against the closed port.
sleep 3
target_port_enable
t_assert wait_for 60 state_is live

t_assert fio_job verify --rw=read --verify_only=1
t_assert fio_job null --filename="$(host_ns_dev "$T_NQN" 2)" --rw=randrw --verify=0 --runtime=2 --time_based=1

t_assert host_disconnect
t_assert target_teardown
