#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: check
# timeout: 240
# description: the tcp_offload transport without any offload device:
#   `nvme connect -t tcp_offload` autoloads nvme_tcp_offload through its
#   module alias and fails with one clear line because no device is
#   registered (also for direct /dev/nvme-fabrics writes, default port
#   too); the module unloads cleanly.  Malformed options: bad-config.sh.

. "$(dirname "$0")/lib.sh"

ULP_KO=$NTO_BUILD/nvme_tcp_offload.ko
[ -f "$ULP_KO" ] || t_skip "nvme_tcp_offload not built for $NTO_KVER (run: make KVER=$NTO_KVER)"

# ---------------------------------------------------------------------------
# Autoload.  The kernel runs "modprobe -q -- nvme-tcp_offload"; the guest's
# module tree is the host's, read-only, without our module.  Give modprobe a
# private root holding ours and, by symlink, the stock modules it depends on,
# indexed by depmod, so that the alias is resolved the real way: from
# modules.alias.  Anything else falls back to the stock tree.

ROOT=/tmp/nto-modroot
KMOD_DIR=$ROOT/lib/modules/$NTO_KVER
OLD_MODPROBE=$(cat /proc/sys/kernel/modprobe)

modroot_setup() {
	local p rel
	mkdir -p "$KMOD_DIR/updates"
	for p in $(/sbin/modprobe --show-depends nvme-fabrics | awk '$1 == "insmod" { print $2 }'); do
		rel=${p#/lib/modules/"$NTO_KVER"/}
		mkdir -p "$KMOD_DIR/$(dirname "$rel")"
		ln -sf "$p" "$KMOD_DIR/$rel"
	done
	cp "$ULP_KO" "$KMOD_DIR/updates/"
	/sbin/depmod -b "$ROOT" "$NTO_KVER" || return 1
	grep -q 'alias nvme-tcp_offload nvme_tcp_offload' "$KMOD_DIR/modules.alias" || {
		t_log "modules.alias has no nvme-tcp_offload alias" >&2
		return 1
	}
	printf '#!/bin/sh\n/sbin/modprobe -d %s "$@" || exec /sbin/modprobe "$@"\n' \
		"$ROOT" >/tmp/nto-modprobe
	chmod +x /tmp/nto-modprobe
	echo /tmp/nto-modprobe >/proc/sys/kernel/modprobe
}

modroot_teardown() {
	echo "$OLD_MODPROBE" >/proc/sys/kernel/modprobe
	rm -rf "$ROOT" /tmp/nto-modprobe
}

ulp_loaded() { [ -d /sys/module/nvme_tcp_offload ]; }

/sbin/modprobe nvme-fabrics
ulp_loaded && /sbin/rmmod nvme_tcp_offload
t_cleanup modroot_teardown
t_assert modroot_setup

# --- autoload through nvme-cli, no device registered
dmesg_checkpoint autoload
t_cleanup unload_offload_modules
if /usr/sbin/nvme connect -t tcp_offload -a "$T_ADDR" -s "$T_PORT" -n "$T_NQN"; then
	t_fail "nvme connect succeeded without any offload device"
fi
t_assert ulp_loaded
/sbin/lsmod | awk 'NR == 1 || $1 == "nvme_tcp_offload"'
n=$(_dmesg_since_checkpoint | grep -c 'tcp_offload: no offload device registered' || true)
[ "$n" -eq 1 ] || t_fail "expected one 'no offload device registered' line, got $n"
t_pass "autoloaded by nvme connect, refused with one clear line"
t_assert test -d /sys/kernel/debug/nvme_tcp_offload
t_assert test -z "$(ls /sys/class/nvme/ 2>/dev/null)"

# Direct writes: the same answer, with and without the default port.  The
# malformed requests are in bad-config.sh.
base="nqn=$T_NQN,transport=tcp_offload"
expect_reject no-device ENODEV 'tcp_offload: no offload device registered' \
	/dev/nvme-fabrics "$base,traddr=$T_ADDR,trsvcid=$T_PORT"
expect_reject default-port ENODEV 'no offload device registered \(traddr 127\.0\.0\.1:4420\)' \
	/dev/nvme-fabrics "$base,traddr=$T_ADDR"

t_assert test -z "$(ls /sys/class/nvme/ 2>/dev/null)"
t_assert /sbin/rmmod nvme_tcp_offload
t_assert check_dmesg
