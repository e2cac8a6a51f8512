/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one assertion the userspace unit tests use: count passes, print each
 * failure with its place, and end with the "N passed, N failed" line that
 * the Makefile (and tests/run-checks) read.
 */
#ifndef UNIT_CHECK_H
#define UNIT_CHECK_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		printf("FAIL %s:%d: %s\n", __func__, __LINE__, #cond);	\
	}								\
} while (0)

static inline int unit_summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

#endif /* UNIT_CHECK_H */
