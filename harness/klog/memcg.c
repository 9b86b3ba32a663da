/* memcg: memcg counters and stats. */
#include "klog/memcg.h"

#include <stdlib.h>
#include <string.h>

#include "klog/meminfo.h"

/* "memory: usage NkB, limit NkB, failcnt N" (and memory+swap, kmem, swap) */
bool on_memcg_counter(struct oom_event *ev, struct span s)
{
	const char *e = FIND(s, ": usage ");
	struct memcg_counter *c;
	struct span name;

	if (!e || e - s.p > 16)
		return false;
	name = cut(&s, e);
	for (size_t i = 0; i < name.n; i++)
		if (!((name.p[i] >= 'a' && name.p[i] <= 'z') || name.p[i] == '+'))
			return false;
	skip(&s, 8);
	if (ev->ncounters >= MAX_LIST || !charge(ev, sizeof(*c) + 32))
		return true;
	GROW(ev->counters, ev->ncounters, ev->counters_alloc);
	c = &ev->counters[ev->ncounters++];
	c->name = sdup(name);
	c->usage_kb = c->limit_kb = c->failcnt = NONE;
	if (eat_num(&s, &c->usage_kb) && EAT(&s, "kB, limit ") && eat_num(&s, &c->limit_kb) &&
	    EAT(&s, "kB, failcnt "))
		eat_num(&s, &c->failcnt);
	ev->sec = SEC_MEMCG;
	return true;
}

/* "Memory cgroup stats for PATH:" (5.3+, values follow as "key value"
 * lines) or "Memory cgroup stats for PATH: cache:0KB rss:..." (<= 5.2) */
void on_memcg_stats(struct oom_event *ev, struct span s)
{
	struct memcg_stats *st;
	const char *sep = NULL;

	rtrim(&s);
	if (ev->nstats >= MAX_LIST || !charge(ev, sizeof(*st) + 32 + (s.n < MAX_STR ? s.n : MAX_STR)))
		return;
	GROW(ev->stats, ev->nstats, ev->stats_alloc);
	st = &ev->stats[ev->nstats++];
	memset(st, 0, sizeof(*st));
	if (ENDS(s, ":")) {
		st->path = sdup(mkspan(s.p, s.n - 1));
		ev->sec = SEC_MEMCG_STATS;
		return;
	}
	for (const char *p = s.p; (p = find_from(s, p, ": ")); p++)
		sep = p;
	if (!sep) {
		st->path = sdup(s);
		return;
	}
	st->path = sdup(mkspan(s.p, (size_t)(sep - s.p)));
	parse_kv_tokens(ev, &st->vals, mkspan(sep + 2, (size_t)(s.p + s.n - sep - 2)), false);
	ev->sec = SEC_MEMCG;
}

/* "  key 1234" lines of a 5.3+ memory.stat dump */
bool on_stat_line(struct oom_event *ev, struct span s)
{
	size_t i = 0;
	long long v;
	struct span key;

	skip_spaces(&s);
	while (i < s.n && ((s.p[i] >= 'a' && s.p[i] <= 'z') || s.p[i] == '_' || is_digit(s.p[i])))
		i++;
	if (!i || i >= s.n || s.p[i] != ' ')
		return false;
	key = cut(&s, s.p + i);
	skip(&s, 1);
	if (!eat_num(&s, &v) || s.n)
		return false;
	kv_add(ev, &ev->stats[ev->nstats - 1].vals, key, v);
	return true;
}
