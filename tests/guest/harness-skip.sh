#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: harness
# expect: SKIP fixture skips
# description: fixture for tests/vm/selftest - t_skip gives SKIP and exit 77.

. "$(dirname "$0")/lib.sh"

t_skip "fixture skips"
