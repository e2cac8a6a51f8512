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
