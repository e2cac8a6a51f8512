# SPDX-License-Identifier: GPL-2.0
# Test, demo and development targets.  "make check" and "make demo" set up
# their own Debian dependencies first (tools/install-deps).

check:
	@$(TOP)/tools/install-deps --kernels
	@$(TOP)/tests/run-checks $(CHECK_KVERS)

check-quick:
	@$(TOP)/tests/run-checks --quick $(CHECK_KVERS)

check-unit:
	@$(MAKE) -s -C $(TOP)/tests/unit check

check-style:
	@$(TOP)/tests/style/check-style.sh

demo:
	@$(TOP)/tools/install-deps --kernels
	@$(TOP)/tools/demo $(DEMO_KVER)

fuzz:
	@$(MAKE) -C $(TOP)/tests/fuzz fuzz

# The fault suite ("# suite: faults": tests/guest/fault-*.sh and the other
# recovery tests) on every kernel that make check covers, with the long
# stress variant (8 controllers connecting and disconnecting for 5 minutes).
# Not part of make check: about 15 minutes of VM time per kernel.
NTO_STRESS_SECONDS ?= 300
FAULT_KVERS = $(or $(CHECK_KVERS),$(shell ls -d /lib/modules/*/build 2>/dev/null | \
	sed 's|/lib/modules/||; s|/build$$||' | grep -v -- '-rt-' | grep -v -- '-nto-debug$$' | sort -V))

.PHONY: check-faults
check-faults:
	@$(MAKE) -s -C $(TOP)/tools/nvme-tcp-offload
	@rc=0; for k in $(FAULT_KVERS); do \
		$(MAKE) -s -C $(TOP) KVER=$$k modules || { rc=1; continue; }; \
		$(TOP)/tests/vm/run-suite -s faults -e NTO_STRESS_SECONDS=$(NTO_STRESS_SECONDS) $$k || rc=1; \
	done; exit $$rc
