#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: harness
# timeout: 30
# expect: FAIL timed out after 30s
# description: fixture for tests/vm/selftest - a test that overruns its
#   header timeout is stopped and fails.

. "$(dirname "$0")/lib.sh"

sleep 600
