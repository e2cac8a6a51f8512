# SPDX-License-Identifier: GPL-2.0
# The debug-kernel tier (docs/testing.md): a KASAN + lockdep + kmemleak +
# DEBUG_LIST kernel built from linux-source-6.12 by tools/debug-kernel, our
# modules built against it, and the end-to-end, fault and kmemleak tests run
# on it.  Not part of "make check": the kernel takes long to build and every
# test runs several times slower on it.
#
#   make check-debug [DEBUG_SUITES=e2e,faults,debug-kernel]
#                    [DEBUG_TIMEOUT_SCALE=4] [DEBUG_TESTS="test ..."]
#   make debug-kernel          build and install the kernel only

DEBUG_KVER = $(shell $(TOP)/tools/debug-kernel --kver)
DEBUG_SUITES ?= e2e,faults,debug-kernel
DEBUG_TIMEOUT_SCALE ?= 4
DEBUG_TESTS ?=
NTO_VM_LOCK ?= /tmp/nto-vm.lock
# Under TCG on a busy host the slow kernel misses the stock RCU stall (21 s)
# and hung-task (60 s, guest-run) deadlines without anything being stuck.
DEBUG_VM_APPEND ?= rcupdate.rcu_cpu_stall_timeout=90
DEBUG_HUNG_TASK_SECS ?= 240

.PHONY: debug-kernel check-debug

debug-kernel:
	@$(TOP)/tools/install-deps --debug-kernel
	@$(TOP)/tools/debug-kernel >/dev/null

check-debug: debug-kernel
	@$(MAKE) --no-print-directory -f $(TOP)/Makefile KVER=$(DEBUG_KVER) modules
	@# e2e-digest and tool-connect connect with the project's tool,
	@# ulp-poll reaps late with the io_uring helper.
	@$(MAKE) --no-print-directory -s -C $(TOP)/tools/nvme-tcp-offload
	@$(MAKE) --no-print-directory -s -C $(TOP)/tests/uring
	@NTO_VM_TIMEOUT_SCALE=$(DEBUG_TIMEOUT_SCALE) NTO_VM_LOCK=$(NTO_VM_LOCK) \
		NTO_VM_APPEND="$(DEBUG_VM_APPEND) $(NTO_VM_APPEND)" \
		$(TOP)/tests/vm/run-suite -e NTO_HUNG_TASK_SECS=$(DEBUG_HUNG_TASK_SECS) \
		-s $(DEBUG_SUITES) $(DEBUG_KVER) $(DEBUG_TESTS)
