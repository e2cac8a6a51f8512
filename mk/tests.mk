# SPDX-License-Identifier: GPL-2.0
# Test targets; filled in as the suites land.
