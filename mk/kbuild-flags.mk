# SPDX-License-Identifier: GPL-2.0
# Included by every module's Kbuild: shared include paths.  NTO_TOP is the
# source tree, NTO_GEN the per-kernel directory of generated headers.
ccflags-y += -I$(NTO_TOP)/include -I$(NTO_TOP)/compat -I$(NTO_GEN)
