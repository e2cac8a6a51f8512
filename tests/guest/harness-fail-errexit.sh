#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: harness
# expect: FAIL exit code 1
# description: fixture for tests/vm/selftest - an unchecked failing command
#   ends the test with FAIL.

. "$(dirname "$0")/lib.sh"

false
t_pass "not reached"
