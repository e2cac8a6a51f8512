// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/nvme-fabrics answers a bad connect with a bare errno; the reason is in
 * the kernel log.  So before writing, position a /dev/kmsg reader at the end
 * of the log, and after a failure show the new lines the nvme stack wrote.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fabrics.h"

#define FABRICS_DEV	"/dev/nvme-fabrics"

static int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static int from_nvme_stack(const char *msg)
{
	static const char *const tags[] = {
		"nvme", "tcp_offload", "qedn", "qed_nvmetcp",
	};
	size_t i;

	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (strstr(msg, tags[i]))
			return 1;
	return 0;
}

/* Records are "prio,seq,usec,flags;text\n" followed by continuation lines. */
static void kmsg_show_new(int fd)
{
	char rec[8192];
	ssize_t n;

	if (fd < 0)
		return;
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		char *text, *nl;

		if (n <= 0)
			continue;
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		if (from_nvme_stack(text))
			fprintf(stderr, "  kernel: %s\n", text);
	}
}

int fabrics_connect(const char *opts)
{
	int kmsg = kmsg_open_at_end();
	char reply[256];
	int fd, instance = -1;
	ssize_t n;

	fd = open(FABRICS_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "cannot open %s: %s (is nvme-fabrics loaded? try: modprobe nvme-fabrics)\n",
			FABRICS_DEV, strerror(errno));
		goto out;
	}
	if (write(fd, opts, strlen(opts)) != (ssize_t)strlen(opts)) {
		int err = errno;

		fprintf(stderr, "connect failed: %s\n", strerror(err));
		usleep(100000);	/* let the messages reach the log buffer */
		kmsg_show_new(kmsg);
		goto out_close;
	}
	n = read(fd, reply, sizeof(reply) - 1);
	if (n <= 0) {
		fprintf(stderr, "connect: no reply from %s: %s\n", FABRICS_DEV,
			n < 0 ? strerror(errno) : "empty");
		goto out_close;
	}
	reply[n] = '\0';
	if (sscanf(reply, "instance=%d", &instance) != 1) {
		fprintf(stderr, "connect: unexpected reply '%s'\n", reply);
		instance = -1;
	}
out_close:
	close(fd);
out:
	if (kmsg >= 0)
		close(kmsg);
	return instance;
}

int sysfs_ctrl_attr(const char *ctrl, const char *attr, char *buf, size_t len)
{
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/sys/class/nvme/%s/%s", ctrl, attr);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

int fabrics_disconnect(int instance)
{
	char path[128];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/class/nvme/nvme%d/delete_controller", instance);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "nvme%d: %s\n", instance, strerror(errno));
		return -1;
	}
	if (write(fd, "1", 1) != 1) {
		fprintf(stderr, "nvme%d: delete failed: %s\n", instance, strerror(errno));
		ret = -1;
	}
	close(fd);
	return ret;
}
