/* meminfo: Mem-Info, zones, buddy lists, totals. */
#include "klog/meminfo.h"

#include <stdlib.h>
#include <string.h>


/* "key:123kB key2: 45 ..." tokens; strict: every token must be one. */
bool parse_kv_tokens(struct oom_event *ev, struct kvlist *l, struct span s, bool strict)
{
	bool any = false;

	for (;;) {
		struct span key;
		const char *colon, *sp;
		long long v;

		skip_spaces(&s);
		if (!s.n)
			break;
		sp = memchr(s.p, ' ', s.n);
		colon = memchr(s.p, ':', sp ? (size_t)(sp - s.p) : s.n);
		if (!colon || colon == s.p) {
			if (strict)
				return false;
			if (PFX(s, "all_unreclaimable? ")) {
				skip(&s, 19);
				kv_addstr(ev, l, "all_unreclaimable", PFX(s, "yes") ? 1 : 0);
				continue;
			}
			if (!sp)
				break;
			skip(&s, (size_t)(sp - s.p));
			continue;
		}
		key = cut(&s, colon);
		skip(&s, 1);
		if (s.n && s.p[0] == ' ')	/* THP fields: "anon_thp: 0kB" */
			skip(&s, 1);
		if (!eat_num(&s, &v)) {
			if (strict)
				return false;
			continue;
		}
		if (!EAT(&s, "kB"))
			EAT(&s, "KB");
		if (s.n && s.p[0] != ' ') {
			if (strict)
				return false;
			continue;
		}
		if (strict && !any) {
			for (size_t i = 0; i < key.n; i++)
				if (!(key.p[i] == '_' || (key.p[i] >= 'a' && key.p[i] <= 'z')))
					return false;
		}
		kv_add(ev, l, key, v);
		any = true;
	}
	return any;
}

/* "Node N " in front of zone and buddy lines (CONFIG_NUMA) */
static long long eat_node(struct span *s)
{
	struct span t = *s;
	long long node;

	if (EAT(&t, "Node ") && eat_num(&t, &node) && EAT(&t, " ")) {
		*s = t;
		return node;
	}
	return -1;
}

static size_t zone_name_len(struct span s)
{
	size_t i = 0;

	while (i < s.n && i < 32 && is_alnum(s.p[i]))
		i++;
	return i;
}

/* Entries "N*SkB [(UME)]" up to "= TkB"; false while the line is incomplete. */
bool parse_buddy_entries(struct buddy *b, struct span s)
{
	for (;;) {
		long long cnt, size;

		skip_spaces(&s);
		if (EAT(&s, "=")) {
			skip_spaces(&s);
			if (eat_num(&s, &b->total_kb))
				return true;
			return false;
		}
		if (!eat_num(&s, &cnt) || !EAT(&s, "*") || !eat_num(&s, &size))
			return false;
		EAT(&s, "kB");
		if (b->norders < MAX_ORDERS) {
			b->count[b->norders] = cnt;
			b->size_kb[b->norders] = size;
			b->types[b->norders] = NULL;
		}
		skip_spaces(&s);
		if (EAT(&s, "(")) {
			const char *e = memchr(s.p, ')', s.n);
			if (!e)
				return false;
			if (b->norders < MAX_ORDERS)
				b->types[b->norders] = sdup(cut(&s, e));
			skip(&s, 1);
		}
		if (b->norders < MAX_ORDERS)
			b->norders++;
	}
}

bool on_buddy(struct klog *k, struct oom_event *ev, long long node, struct span s)
{
	size_t zl = zone_name_len(s);
	struct buddy *b;

	if (!zl || s.n < zl + 3 || s.p[zl] != ':' || s.p[zl + 1] != ' ' || !is_digit(s.p[zl + 2]))
		return false;
	if (ev->nbuddies >= MAX_LIST || !charge(ev, sizeof(*b) + 256))
		return true;
	GROW(ev->buddies, ev->nbuddies, ev->buddies_alloc);
	b = &ev->buddies[ev->nbuddies++];
	memset(b, 0, sizeof(*b));
	b->node = node < 0 ? 0 : node;
	b->zone = sdup(mkspan(s.p, zl));
	b->total_kb = NONE;
	skip(&s, zl + 1);
	if (!parse_buddy_entries(b, s))
		k->pending = PEND_BUDDY;
	return true;
}

bool on_zone(struct oom_event *ev, long long node, struct span s)
{
	size_t zl = zone_name_len(s);
	struct zone_info *z;

	if (!zl || !has_prefix(mkspan(s.p + zl, s.n - zl), " free:", 6))
		return false;
	if (ev->nzones >= MAX_LIST || !charge(ev, sizeof(*z) + 32 + MAX_ORDERS * sizeof(long long)))
		return true;
	GROW(ev->zones, ev->nzones, ev->zones_alloc);
	z = &ev->zones[ev->nzones++];
	memset(z, 0, sizeof(*z));
	z->node = node < 0 ? 0 : node;
	z->zone = sdup(mkspan(s.p, zl));
	skip(&s, zl);
	parse_kv_tokens(ev, &z->vals, s, false);
	return true;
}

void on_lowmem(struct oom_event *ev, struct span s)
{
	struct zone_info *z;
	long long v;

	if (!ev->nzones)
		return;
	z = &ev->zones[ev->nzones - 1];
	if (z->lowmem)
		return;
	z->lowmem = xcalloc(MAX_ORDERS, sizeof(*z->lowmem));
	for (;;) {
		skip_spaces(&s);
		if (!eat_num(&s, &v) || z->nlowmem >= MAX_ORDERS)
			break;
		z->lowmem[z->nlowmem++] = v;
	}
}

/* "Node N ..." inside a report: zone, buddy, per-node counters */
bool on_node_line(struct klog *k, struct oom_event *ev, struct span s)
{
	long long node = eat_node(&s);
	struct node_info *n;
	size_t zl;

	if (node < 0)
		return false;
	if (on_zone(ev, node, s) || on_buddy(k, ev, node, s))
		return true;
	zl = zone_name_len(s);
	if (zl < s.n && s.p[zl] == ':' && ev->nnodes < MAX_LIST && charge(ev, sizeof(*n))) {
		GROW(ev->nodes, ev->nnodes, ev->nodes_alloc);
		n = &ev->nodes[ev->nnodes++];
		memset(n, 0, sizeof(*n));
		n->node = node;
		parse_kv_tokens(ev, &n->vals, s, false);
	}
	return true;	/* hugepages, "DMA per-cpu:" */
}

static const struct {
	const char *text, *key;
} total_names[] = {
	{ "total pagecache pages", "total_pagecache_pages" },
	{ "pages in swap cache", "pages_in_swap_cache" },
	{ "pages RAM", "pages_ram" },
	{ "pages of RAM", "pages_ram" },
	{ "pages HighMem/MovableOnly", "pages_highmem_movableonly" },
	{ "pages HighMem", "pages_highmem" },
	{ "pages reserved", "pages_reserved" },
	{ "reserved pages", "pages_reserved" },
	{ "pages cma reserved", "pages_cma_reserved" },
	{ "pages hwpoisoned", "pages_hwpoisoned" },
	{ "free pages", "free_pages" },
	{ "slab pages", "slab_pages" },
	{ "pages shared", "pages_shared" },
	{ "pages swap cached", "pages_swap_cached" },
};

bool on_total(struct oom_event *ev, struct span s)
{
	long long v;

	if (!eat_num(&s, &v) || !EAT(&s, " "))
		return false;
	rtrim(&s);
	for (size_t i = 0; i < sizeof(total_names) / sizeof(total_names[0]); i++)
		if (strlen(total_names[i].text) == s.n && !memcmp(s.p, total_names[i].text, s.n)) {
			kv_addstr(ev, &ev->totals, total_names[i].key, v);
			return true;
		}
	return false;
}
