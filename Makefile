# SPDX-License-Identifier: GPL-2.0
#
# Top-level dispatcher.  It picks the target kernel, prepares a per-kernel
# build directory (build/<kver>/), generates the kernel-private nvme types
# from the kernel's BTF and the compat header from feature probes, then runs
# one Kbuild pass that builds all three modules together so that modpost
# resolves qedn's references to the other two.
#
#   make [KVER=<release> | KDIR=<kernel build tree>] [KSRC=<kernel source>]
#
# DKMS always passes KVER, so tools/default-kver (which looks at the running
# kernel) is only consulted for interactive builds.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
VERSION := $(shell cat $(TOP)/VERSION)

ifeq ($(origin KVER)$(origin KDIR),undefinedundefined)
KVER := $(shell $(TOP)/tools/default-kver 2>/dev/null)
endif
ifeq ($(origin KDIR),undefined)
KDIR := /lib/modules/$(KVER)/build
endif
ifeq ($(origin KVER),undefined)
KVER := $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
endif

BUILD ?= $(TOP)/build/$(KVER)
GEN := $(BUILD)/generated
KBUILD_DIR := $(BUILD)/kbuild
MODULES := qed_nvmetcp nvme_tcp_offload qedn
MODULE_FILES := $(foreach m,$(MODULES),$(KBUILD_DIR)/src/$(m)/$(m).ko)
JOBS ?= $(shell nproc)


.PHONY: all modules generated clean distclean install check check-quick check-unit check-style \
	demo fuzz help

all: modules

help:
	@echo "make [KVER=..|KDIR=..]   build the three modules into build/<kver>/"
	@echo "make check               unit tests, style, builds for every kernel, VM tests"
	@echo "make demo                build and run the end-to-end demo in a VM"
	@echo "make check-debug         e2e, fault and kmemleak tests on a KASAN/lockdep/kmemleak kernel"
	@echo "make bench               tcp_offload vs nvme-tcp benchmark in a VM (docs/performance.md)"
	@echo "make install             modules_install + depmod for KVER"
	@echo "make clean               remove build/"

$(KBUILD_DIR)/.stamp-tree: $(TOP)/Kbuild $(shell find $(TOP)/src -type f 2>/dev/null)
	@test -n "$(KVER)" || { $(TOP)/tools/default-kver >/dev/null; echo "error: pass KVER=<release> or KDIR=<build tree>" >&2; exit 1; }
	@test -d "$(KDIR)" || { echo "error: kernel build tree $(KDIR) not found; install linux-headers-$(KVER)" >&2; exit 1; }
	@mkdir -p $(KBUILD_DIR)
	@cp -f $(TOP)/Kbuild $(KBUILD_DIR)/Kbuild
	@cp -rsf $(TOP)/src $(KBUILD_DIR)/
	@touch $@

generated: $(GEN)/nto_compat_config.h

$(GEN)/nvme_private.h: $(TOP)/tools/nvme-btf-types $(wildcard $(TOP)/tools/btf/*.py) \
		$(KDIR)/Module.symvers $(wildcard /boot/vmlinuz-$(KVER) \
		$(addprefix /lib/modules/$(KVER)/kernel/drivers/nvme/host/,nvme-core.ko* nvme-fabrics.ko*))
	@mkdir -p $(GEN)
	@$(TOP)/tools/nvme-btf-types --kver "$(KVER)" --kdir "$(KDIR)" \
		$(if $(KSRC),--ksrc "$(KSRC)") --out $@ --workdir $(BUILD)/btf

$(GEN)/nto_compat_config.h: $(GEN)/nvme_private.h $(TOP)/compat/configure \
		$(wildcard $(TOP)/compat/probes/*.c) $(TOP)/compat/symbols \
		$(KDIR)/Module.symvers $(wildcard $(KDIR)/include/config/auto.conf)
	@$(TOP)/compat/configure --kdir "$(KDIR)" --gen "$(GEN)" \
		--workdir "$(BUILD)/compat" --jobs $(JOBS)

modules: $(KBUILD_DIR)/.stamp-tree $(GEN)/nto_compat_config.h
	@echo "building for KVER=$(KVER) KDIR=$(KDIR)"
	$(MAKE) -C $(KDIR) M=$(KBUILD_DIR) NTO_TOP=$(TOP) NTO_GEN=$(GEN) modules
	@for m in $(MODULE_FILES); do cp -f $$m $(BUILD)/; done
	@echo "built for $(KVER): $(addsuffix .ko,$(addprefix $(BUILD)/,$(MODULES)))"

install: modules
	$(MAKE) -C $(KDIR) M=$(KBUILD_DIR) NTO_TOP=$(TOP) NTO_GEN=$(GEN) \
		INSTALL_MOD_DIR=updates modules_install
	depmod -a $(KVER)

clean:
	rm -rf $(TOP)/build

distclean: clean

include $(TOP)/mk/tests.mk
include $(TOP)/mk/packaging.mk
include $(TOP)/mk/debug.mk
include $(TOP)/mk/bench.mk
