/* SPDX-License-Identifier: GPL-2.0 */
/* Engine registry shared by the software and hardware backends. */
#ifndef QED_NVMETCP_REGISTRY_H
#define QED_NVMETCP_REGISTRY_H

#include "qed_nvmetcp_engine.h"

/**
 * struct nvmetcp_backend - how the registry destroys an engine it owns
 * @name:	"soft" or "hw", for messages
 * @added:	optional; the engine is registered under its unique name
 * @destroy:	free the engine; called after the client let go of it
 */
struct nvmetcp_backend {
	const char *name;
	void (*added)(struct qed_nvmetcp_engine *eng);
	void (*destroy)(struct qed_nvmetcp_engine *eng);
};

int nvmetcp_engine_add(struct qed_nvmetcp_engine *eng,
		       const struct nvmetcp_backend *be);
int nvmetcp_engine_remove_by_name(const char *name);
void nvmetcp_engine_remove_all(void);
bool nvmetcp_engine_exists(const char *name);
ssize_t nvmetcp_engine_list(char *buf, size_t size);

int nvmetcp_registry_init(void);
void nvmetcp_registry_exit(void);

/* sysfs.c */
int nvmetcp_sysfs_init(void);
void nvmetcp_sysfs_exit(void);
int nvmetcp_soft_add(const char *ifname);

/* hw.c */
void nvmetcp_hw_probe(void);
void nvmetcp_hw_remove(void);

#endif /* QED_NVMETCP_REGISTRY_H */
