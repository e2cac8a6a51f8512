// SPDX-License-Identifier: GPL-2.0
/*
 * Connection options: parsing, validation and the /dev/nvme-fabrics string.
 * Pure functions, unit-tested in tests/tool/.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connopts.h"

void conn_opts_init(struct conn_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->nr_io_queues = NTO_UNSET;
	o->nr_write_queues = NTO_UNSET;
	o->nr_poll_queues = NTO_UNSET;
	o->queue_size = NTO_UNSET;
	o->keep_alive_tmo = NTO_UNSET;
	o->reconnect_delay = NTO_UNSET;
	o->ctrl_loss_tmo = NTO_UNSET;
	o->fast_io_fail_tmo = NTO_UNSET;
	o->tos = NTO_UNSET;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Integer option: decimal, within [min, max]. */
static int parse_int(const char *name, const char *value, long min, long max,
		     int *out, char *err, size_t errlen)
{
	char *end;
	long v;

	if (!value || !*value)
		return fail(err, errlen, "option '%s' needs a value", name);
	errno = 0;
	v = strtol(value, &end, 10);
	if (errno || *end || v < min || v > max)
		return fail(err, errlen, "option '%s': '%s' is not an integer in [%ld, %ld]",
			    name, value, min, max);
	*out = (int)v;
	return 0;
}

struct int_opt {
	const char *name;
	size_t offset;
	long min, max;
};

#define INT_OPT(n, lo, hi) { #n, offsetof(struct conn_opts, n), lo, hi }
static const struct int_opt int_opts[] = {
	INT_OPT(nr_io_queues, 1, 65535),
	INT_OPT(nr_write_queues, 0, 65535),
	INT_OPT(nr_poll_queues, 0, 65535),
	INT_OPT(queue_size, 1, 65536),
	INT_OPT(keep_alive_tmo, 0, INT_MAX),
	INT_OPT(reconnect_delay, 1, INT_MAX),
	INT_OPT(ctrl_loss_tmo, -1, INT_MAX),
	INT_OPT(fast_io_fail_tmo, -1, INT_MAX),
	INT_OPT(tos, 0, 255),
};

struct str_opt {
	const char *name;
	size_t offset;
};

#define STR_OPT(n) { #n, offsetof(struct conn_opts, n) }
static const struct str_opt str_opts[] = {
	STR_OPT(traddr), STR_OPT(trsvcid), STR_OPT(nqn), STR_OPT(host_traddr),
	STR_OPT(host_iface), STR_OPT(hostnqn), STR_OPT(hostid),
	STR_OPT(dhchap_secret), STR_OPT(dhchap_ctrl_secret),
};

struct flag_opt {
	const char *name;
	size_t offset;
};

#define FLAG_OPT(n) { #n, offsetof(struct conn_opts, n) }
static const struct flag_opt flag_opts[] = {
	FLAG_OPT(hdr_digest), FLAG_OPT(data_digest),
	FLAG_OPT(duplicate_connect), FLAG_OPT(disable_sqflow),
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

int conn_opts_set(struct conn_opts *o, const char *name, const char *value,
		  char *err, size_t errlen)
{
	char *base = (char *)o;
	size_t i;

	for (i = 0; i < ARRAY_LEN(int_opts); i++)
		if (!strcmp(name, int_opts[i].name))
			return parse_int(name, value, int_opts[i].min, int_opts[i].max,
					 (int *)(base + int_opts[i].offset), err, errlen);
	for (i = 0; i < ARRAY_LEN(str_opts); i++) {
		if (strcmp(name, str_opts[i].name))
			continue;
		if (!value || !*value)
			return fail(err, errlen, "option '%s' needs a value", name);
		*(const char **)(base + str_opts[i].offset) = value;
		return 0;
	}
	for (i = 0; i < ARRAY_LEN(flag_opts); i++) {
		if (strcmp(name, flag_opts[i].name))
			continue;
		if (value)
			return fail(err, errlen, "option '%s' takes no value", name);
		*(bool *)(base + flag_opts[i].offset) = true;
		return 0;
	}
	return 1;
}

int conn_opts_validate(const struct conn_opts *o, char *err, size_t errlen)
{
	if (!o->traddr)
		return fail(err, errlen, "missing --traddr (the target's IP address)");
	if (!o->nqn)
		return fail(err, errlen, "missing --nqn (the subsystem NQN)");
	if (strlen(o->nqn) > 223)
		return fail(err, errlen, "NQN longer than 223 bytes");
	if (o->hostnqn && strlen(o->hostnqn) > 223)
		return fail(err, errlen, "host NQN longer than 223 bytes");
	if (o->dhchap_ctrl_secret && !o->dhchap_secret)
		return fail(err, errlen, "--dhchap_ctrl_secret needs --dhchap_secret");
	return 0;
}

/* Append "sep name[=value]"; values must not be able to add options. */
static int add(char *buf, size_t len, size_t *pos, const char *name,
	       const char *value)
{
	int n;

	if (value && strpbrk(value, ",\n"))
		return -1;
	n = snprintf(buf + *pos, len - *pos, "%s%s%s%s", *pos ? "," : "",
		     name, value ? "=" : "", value ? value : "");
	if (n < 0 || (size_t)n >= len - *pos)
		return -1;
	*pos += (size_t)n;
	return 0;
}

int conn_opts_render(const struct conn_opts *o, char *buf, size_t len)
{
	const char *base = (const char *)o;
	size_t pos = 0, i;
	char num[16];

	if (!len)
		return -1;
	buf[0] = '\0';
	if (add(buf, len, &pos, "transport", NTO_TRANSPORT) ||
	    add(buf, len, &pos, "traddr", o->traddr) ||
	    add(buf, len, &pos, "trsvcid", o->trsvcid ? o->trsvcid : NTO_DEFAULT_TRSVCID) ||
	    add(buf, len, &pos, "nqn", o->nqn))
		return -1;
	for (i = 0; i < ARRAY_LEN(str_opts); i++) {
		const char *v = *(const char * const *)(base + str_opts[i].offset);

		if (!v || !strcmp(str_opts[i].name, "traddr") ||
		    !strcmp(str_opts[i].name, "trsvcid") ||
		    !strcmp(str_opts[i].name, "nqn"))
			continue;
		if (add(buf, len, &pos, str_opts[i].name, v))
			return -1;
	}
	for (i = 0; i < ARRAY_LEN(int_opts); i++) {
		int v = *(const int *)(base + int_opts[i].offset);

		if (v == NTO_UNSET)
			continue;
		snprintf(num, sizeof(num), "%d", v);
		if (add(buf, len, &pos, int_opts[i].name, num))
			return -1;
	}
	for (i = 0; i < ARRAY_LEN(flag_opts); i++)
		if (*(const bool *)(base + flag_opts[i].offset) &&
		    add(buf, len, &pos, flag_opts[i].name, NULL))
			return -1;
	return (int)pos;
}
