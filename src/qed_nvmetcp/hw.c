// SPDX-License-Identifier: GPL-2.0
/*
 * Hardware backend.  Stock kernels build qed without CONFIG_QED_NVMETCP,
 * so qed exports no qed_get_nvmetcp_ops() and FastLinQ functions cannot run
 * NVMeTCP offload; the compat probe HAVE_QED_GET_NVMETCP_OPS tells.  The
 * wrapper that would serve those functions is not written yet (no kernel
 * we build for has the symbol, so it could not even be compile-tested).
 */
#include <linux/module.h>
#include "nto_compat.h"
#include "registry.h"

void nvmetcp_hw_probe(void)
{
#ifdef HAVE_QED_GET_NVMETCP_OPS
	pr_info("qed_nvmetcp: qed has an NVMeTCP personality, but the hardware backend is not implemented; software engines only\n");
#else
	pr_info("qed_nvmetcp: qed has no NVMeTCP personality; software engines only\n");
#endif
}

void nvmetcp_hw_remove(void)
{
}
