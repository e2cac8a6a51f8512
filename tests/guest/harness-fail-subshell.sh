#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: harness
# expect: FAIL failed inside a subshell
# description: fixture for tests/vm/selftest - a t_fail record fails the test
#   even when the script's exit code hides it.

. "$(dirname "$0")/lib.sh"

(t_fail "failed inside a subshell") || true
exit 0
