# SPDX-License-Identifier: GPL-2.0
# "make bench": tcp_offload against the in-kernel nvme-tcp in one VM run
# (bench/run, docs/performance.md).  Never part of "make check".
#
#   make bench [BENCH_KVER=<release>] [ROUNDS=3] [BENCH_RUNTIME=10] [BENCH_NCTRL=16]
#              [BENCH_PERF=1]

BENCH_KVER ?= $(shell ls -d /lib/modules/*/build 2>/dev/null | sed 's|/lib/modules/||; s|/build$$||' | \
	grep -- '-amd64$$' | grep -v -- '-rt-\|-cloud-' | sort -V | tail -n 1)
ROUNDS ?= 3
BENCH_RUNTIME ?= 10
BENCH_NCTRL ?= 16
BENCH_PERF ?= 1

.PHONY: bench
bench:
	@$(TOP)/tools/install-deps --kernels --bench
	@$(TOP)/bench/run --kver "$(BENCH_KVER)" --rounds "$(ROUNDS)" \
		--runtime "$(BENCH_RUNTIME)" --nctrl "$(BENCH_NCTRL)" --perf "$(BENCH_PERF)"
