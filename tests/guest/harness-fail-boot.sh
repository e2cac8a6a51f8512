#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: harness
# kernel-args: rdinit=/nto-no-such-init
# expect: FAIL kernel panic while booting, twice
# description: fixture for tests/vm/selftest - a kernel that crashes while
#   booting, before the test starts, is booted once more (a stock kernel
#   under TCG does so now and then); crashing again fails the test.

. "$(dirname "$0")/lib.sh"

t_pass "never reached: the kernel has no init to run"
