/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where kernel differences are bridged.  Source files include
 * this and see a single internal API; the HAVE_* results come from the
 * feature probes run by compat/configure for the target kernel.
 */
#ifndef NTO_COMPAT_H
#define NTO_COMPAT_H

#include <linux/module.h>
#include "nto_compat_config.h"

/* MODULE_IMPORT_NS(): identifier before 6.13, string literal after. */
#ifdef HAVE_MODULE_IMPORT_NS_IDENTIFIER
#define NTO_MODULE_IMPORT_NS(ns)	MODULE_IMPORT_NS(ns)
#else
#define NTO_MODULE_IMPORT_NS(ns)	MODULE_IMPORT_NS(#ns)
#endif

#endif /* NTO_COMPAT_H */
