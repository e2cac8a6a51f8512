// SPDX-License-Identifier: GPL-2.0
/*
 * late-reap DEVICE SECONDS: one 4 KiB O_DIRECT read on an io_uring set up
 * for polled I/O (IORING_SETUP_IOPOLL), reaped only SECONDS after it was
 * submitted.  Until then nobody polls for it, so a transport whose poll
 * queues raise no interrupt sees it as late.  Prints the read's result;
 * exits 0 if it returned the whole 4 KiB.
 *
 * Raw system calls, so that the test needs nothing beyond the kernel's
 * UAPI headers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define IO_LEN	4096

static void *map_ring(int ring, size_t len, off_t what)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, ring, what);

	if (p == MAP_FAILED) {
		perror("late-reap: mmap");
		exit(2);
	}
	return p;
}

int main(int argc, char **argv)
{
	struct io_uring_params p = { .flags = IORING_SETUP_IOPOLL };
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqe;
	unsigned int *sq_tail, *sq_array, *cq_head, *cq_tail;
	size_t sq_len, cq_len;
	char *sq, *cq;
	void *buf;
	int fd, ring, n;

	if (argc != 3) {
		fprintf(stderr, "usage: late-reap DEVICE SECONDS\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_DIRECT);
	if (fd < 0 || posix_memalign(&buf, IO_LEN, IO_LEN)) {
		perror("late-reap: open");
		return 2;
	}
	ring = syscall(__NR_io_uring_setup, 4, &p);
	if (ring < 0) {
		perror("late-reap: io_uring_setup");
		return 2;
	}
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP)
		sq_len = cq_len = sq_len > cq_len ? sq_len : cq_len;
	sq = map_ring(ring, sq_len, IORING_OFF_SQ_RING);
	cq = p.features & IORING_FEAT_SINGLE_MMAP ? sq :
	     map_ring(ring, cq_len, IORING_OFF_CQ_RING);
	sqes = map_ring(ring, p.sq_entries * sizeof(*sqes), IORING_OFF_SQES);
	sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	sq_array = (unsigned int *)(sq + p.sq_off.array);
	cq_head = (unsigned int *)(cq + p.cq_off.head);
	cq_tail = (unsigned int *)(cq + p.cq_off.tail);

	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_READ;
	sqes[0].fd = fd;
	sqes[0].addr = (unsigned long)buf;
	sqes[0].len = IO_LEN;
	sqes[0].off = 0;
	sqes[0].user_data = 1;
	sq_array[*sq_tail & *(unsigned int *)(sq + p.sq_off.ring_mask)] = 0;
	atomic_store_explicit((_Atomic unsigned int *)sq_tail, *sq_tail + 1,
			      memory_order_release);
	n = syscall(__NR_io_uring_enter, ring, 1, 0, 0, NULL, 0);
	if (n != 1) {
		fprintf(stderr, "late-reap: submit: %d (%s)\n", n, strerror(errno));
		return 2;
	}
	sleep(atoi(argv[2]));
	n = syscall(__NR_io_uring_enter, ring, 0, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0);
	if (n < 0 || atomic_load_explicit((_Atomic unsigned int *)cq_tail,
					  memory_order_acquire) == *cq_head) {
		fprintf(stderr, "late-reap: no completion (%s)\n", strerror(errno));
		return 1;
	}
	cqe = (struct io_uring_cqe *)(cq + p.cq_off.cqes) +
	      (*cq_head & *(unsigned int *)(cq + p.cq_off.ring_mask));
	printf("late-reap: read returned %d\n", cqe->res);
	return cqe->res == IO_LEN ? 0 : 1;
}
