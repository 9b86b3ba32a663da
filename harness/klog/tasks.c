/* tasks: the task table. */
#include "klog/tasks.h"

#include <stdlib.h>
#include <string.h>


bool on_task_header(struct oom_event *ev, struct span s)
{
	struct task_table *t = &ev->tasks;
	struct span tok;
	char *cols[MAX_COLS + 1];
	size_t n = 0;

	if (!EAT(&s, "["))
		return false;
	skip_spaces(&s);
	if (!EAT(&s, "pid"))
		return false;
	skip_spaces(&s);
	if (!EAT(&s, "]"))
		return false;
	rtrim(&s);
	if (!ENDS(s, " name"))
		return false;
	s.n -= 5;
	for (;;) {
		const char *e;

		skip_spaces(&s);
		if (!s.n)
			break;
		e = memchr(s.p, ' ', s.n);
		tok = cut(&s, e ? e : s.p + s.n);
		for (size_t i = 0; i < tok.n; i++)
			if (!((tok.p[i] >= 'a' && tok.p[i] <= 'z') || tok.p[i] == '_'))
				goto bad;
		if (n >= MAX_COLS)
			goto bad;
		cols[n++] = sdup(tok);
	}
	tasks_release(t);
	t->cols = xmalloc((n ? n : 1) * sizeof(*t->cols));
	memcpy(t->cols, cols, n * sizeof(*cols));
	t->ncols = n;
	ev->sec = SEC_TASKS;
	return true;
bad:
	while (n)
		free(cols[--n]);
	return false;
}

bool on_task_row(struct oom_event *ev, struct span s)
{
	struct task_table *t = &ev->tasks;
	long long v[MAX_COLS + 1];
	size_t w = 1 + t->ncols;

	if (!EAT(&s, "["))
		return false;
	skip_spaces(&s);
	if (!eat_num(&s, &v[0]) || !EAT(&s, "]"))
		return false;
	for (size_t i = 0; i < t->ncols; i++) {
		if (!s.n || s.p[0] != ' ')
			return false;
		skip_spaces(&s);
		if (!eat_num(&s, &v[1 + i]))
			return false;
	}
	if (!EAT(&s, " "))
		return false;
	if (t->nrows >= MAX_TASKS || !charge(ev, w * sizeof(*v) + sizeof(char *) + 32 + s.n)) {
		t->dropped++;
		return true;
	}
	if (t->nrows >= t->alloc) {
		t->alloc = t->alloc ? 2 * t->alloc : 64;
		t->vals = xrealloc(t->vals, t->alloc * w * sizeof(*t->vals));
		t->names = xrealloc(t->names, t->alloc * sizeof(*t->names));
	}
	memcpy(t->vals + t->nrows * w, v, w * sizeof(*v));
	t->names[t->nrows++] = sdup(s);
	return true;
}
