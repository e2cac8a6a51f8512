/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NTO_LIST_H
#define NTO_LIST_H

#include <stdbool.h>

/*
 * Print the tcp_offload controllers (all fabrics controllers with @all),
 * with state, address, subsystem, and the ULP's counters when debugfs is
 * mounted; then the offload engines.  Returns the number of controllers.
 */
int list_controllers(bool all, bool counters);

#endif
