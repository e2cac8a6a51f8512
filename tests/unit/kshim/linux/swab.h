/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSHIM_LINUX_SWAB_H
#define KSHIM_LINUX_SWAB_H
#include "types.h"
#define swab16(x)	__builtin_bswap16(x)
#define swab32(x)	__builtin_bswap32(x)
#define __swab32(x)	__builtin_bswap32(x)
#endif
