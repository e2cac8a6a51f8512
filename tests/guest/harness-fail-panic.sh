#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: harness
# expect: FAIL kernel panic
# description: fixture for tests/vm/selftest - a guest kernel crash fails the
#   test quickly (panic=-1, -no-reboot) instead of waiting for the timeout.

. "$(dirname "$0")/lib.sh"

echo c >/proc/sysrq-trigger
sleep 600
