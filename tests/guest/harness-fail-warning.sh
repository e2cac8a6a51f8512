#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: harness
# expect: FAIL kernel log: .*WARNING: nto harness fixture
# description: fixture for tests/vm/selftest - a kernel warning fails a test
#   that itself exits 0, through the automatic dmesg check.

. "$(dirname "$0")/lib.sh"

echo "<4>WARNING: nto harness fixture" >/dev/kmsg
t_pass "warning logged"
