/* buf: the agent's growing byte buffer, always NUL-terminated, and the
 * allocator that powers the machine off when memory is gone. */
#ifndef OOMTEST_GUEST_BUF_H
#define OOMTEST_GUEST_BUF_H

#include <stddef.h>

struct buf {
	char *p;
	size_t len, alloc;
};

/* realloc that never returns NULL: out of memory, the agent cannot go on. */
void *xrealloc(void *p, size_t n);
/* Makes room for n more bytes and the NUL after them. */
void buf_reserve(struct buf *b, size_t n);
void buf_add(struct buf *b, const void *d, size_t n);

#endif
