/* buf: a growing byte buffer. */
#include "guest/buf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		static const char msg[] = "oomtest-init: out of memory\n";
		(void)!write(2, msg, sizeof(msg) - 1);
		reboot(RB_POWER_OFF);
		_exit(1);
	}
	return p;
}

void buf_reserve(struct buf *b, size_t n)
{
	if (b->len + n + 1 > b->alloc) {
		b->alloc = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->alloc);
	}
}

void buf_add(struct buf *b, const void *d, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->p + b->len, d, n);
	b->len += n;
	b->p[b->len] = '\0';
}
