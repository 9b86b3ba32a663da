/* plan_read: reading and splitting plan lines. */
#include "guest/plan_read.h"
#include "guest/buf.h"
#include "guest/chan.h"
#include "proto/codec.h"

#include <string.h>

struct plan_line plan_split(char *s)
{
	struct plan_line l = { NULL, 0 };
	char *tok, *save = NULL;

	for (tok = strtok_r(s, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		tok[proto_decode(tok, tok, strlen(tok))] = '\0';
		l.f = xrealloc(l.f, sizeof(char *) * (size_t)(l.n + 2));
		l.f[l.n++] = tok;
		l.f[l.n] = NULL;
	}
	return l;
}

size_t plan_read(struct plan_line **plan)
{
	size_t n = 0;
	char *line;

	*plan = NULL;
	while ((line = chan_read_line())) {
		struct plan_line l = plan_split(line);
		if (l.n == 0)
			continue;
		if (!strcmp(l.f[0], "end"))
			break;
		*plan = xrealloc(*plan, sizeof(**plan) * (n + 1));
		(*plan)[n++] = l;
	}
	return n;
}
