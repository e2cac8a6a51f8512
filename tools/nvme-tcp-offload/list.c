// SPDX-License-Identifier: GPL-2.0
/* Listing controllers, their counters and the engines, from sysfs/debugfs. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "connopts.h"
#include "fabrics.h"
#include "list.h"

#define ULP_DEBUGFS	"/sys/kernel/debug/nvme_tcp_offload"
#define ENGINE_SYSFS	"/sys/kernel/qed_nvmetcp/engines"

/* Print every regular file of @dir as "name: value" lines, indented. */
static void print_dir_values(const char *dir, const char *indent)
{
	struct dirent *de;
	char path[512], val[256];
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		FILE *f;
		size_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (de->d_type == DT_DIR) {
			printf("%s%s:\n", indent, de->d_name);
			print_dir_values(path, "      ");
			continue;
		}
		f = fopen(path, "re");
		if (!f)
			continue;
		n = fread(val, 1, sizeof(val) - 1, f);
		fclose(f);
		val[n] = '\0';
		while (n && val[n - 1] == '\n')
			val[--n] = '\0';
		if (strchr(val, '\n'))
			printf("%s%s:\n%s\n", indent, de->d_name, val);
		else
			printf("%s%s: %s\n", indent, de->d_name, val);
	}
	closedir(d);
}

int list_controllers(bool all, bool counters)
{
	char transport[32], state[32], address[256], subnqn[256], path[512];
	struct dirent *de;
	DIR *d = opendir("/sys/class/nvme");
	int count = 0;

	if (!d) {
		printf("no NVMe controllers\n");
		return 0;
	}
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "nvme", 4))
			continue;
		if (sysfs_ctrl_attr(de->d_name, "transport", transport, sizeof(transport)))
			continue;
		if (!all && strcmp(transport, NTO_TRANSPORT))
			continue;
		if (sysfs_ctrl_attr(de->d_name, "state", state, sizeof(state)))
			strcpy(state, "?");
		if (sysfs_ctrl_attr(de->d_name, "address", address, sizeof(address)))
			strcpy(address, "");
		if (sysfs_ctrl_attr(de->d_name, "subsysnqn", subnqn, sizeof(subnqn)))
			strcpy(subnqn, "?");
		printf("%-8s %-12s %-8s %s %s\n", de->d_name, transport, state,
		       subnqn, address);
		if (counters) {
			snprintf(path, sizeof(path), "%s/%s", ULP_DEBUGFS, de->d_name);
			print_dir_values(path, "    ");
		}
		count++;
	}
	closedir(d);
	if (!count)
		printf("no %s controllers\n", all ? "fabrics" : NTO_TRANSPORT);

	d = opendir(ENGINE_SYSFS);
	if (d) {
		printf("engines:\n");
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			printf("  %s\n", de->d_name);
			snprintf(path, sizeof(path), "%s/%s", ENGINE_SYSFS, de->d_name);
			print_dir_values(path, "    ");
		}
		closedir(d);
	}
	return count;
}
