/* feed: lines, pr_cont rejoining and the routing of one kernel message. */
#include "klog/feed.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "klog/event.h"
#include "klog/meminfo.h"
#include "klog/oom.h"
#include "klog/panic.h"
#include "klog/prefix.h"
#include "klog/report.h"


static bool on_pending(struct klog *k, struct span m)
{
	enum pending p = k->pending;
	struct oom_event *ev = last_event(k);

	k->pending = PEND_NONE;
	if (!ev || !m.n)
		return false;
	switch (p) {
	case PEND_HEADER:
		if (!(m.p[0] == '(' || m.p[0] == ',' || is_digit(m.p[0])) ||
		    k->join.len + m.n > MAX_JOIN)
			return false;
		strbuf_add(&k->join, m.p, m.n);
		if (!parse_header_tail(ev, mkspan(k->join.buf, k->join.len)))
			k->pending = PEND_HEADER;
		return true;
	case PEND_SUMMARY:
		if (m.p[0] != ',' || !ev->summary || strlen(ev->summary) + m.n > MAX_JOIN)
			return false;
		strbuf_reset(&k->join);
		strbuf_addstr(&k->join, ev->summary);
		strbuf_add(&k->join, m.p, m.n);
		free(ev->summary);
		ev->summary = strbuf_detach(&k->join);
		if (!parse_summary(ev))
			k->pending = PEND_SUMMARY;
		return true;
	case PEND_BUDDY:
		if (!is_digit(m.p[0]) || !ev->nbuddies || !memchr(m.p, '*', m.n < 24 ? m.n : 24))
			return false;
		if (!parse_buddy_entries(&ev->buddies[ev->nbuddies - 1], m))
			k->pending = PEND_BUDDY;
		return true;
	default:
		return false;
	}
}

#ifndef __SSE2__
/* 0x80 in each byte of w that equals c, 0 in the others (exact, no carries). */
static inline uint64_t eq8(uint64_t w, unsigned char c)
{
	uint64_t v = w ^ (0x0101010101010101ULL * c);
	uint64_t t = (v & 0x7f7f7f7f7f7f7f7fULL) + 0x7f7f7f7f7f7f7f7fULL;

	return ~(t | v | 0x7f7f7f7f7f7f7f7fULL);
}

static inline uint32_t bytes_to_bits(uint64_t m)
{
	uint32_t r = 0;

	for (m >>= 7; m; m &= m - 1)
		r |= 1u << (__builtin_ctzll(m) / 8);
	return r;
}
#endif

/* Offsets 1..15 where " i" or ": p" starts: where "<comm> invoked oom-killer"
 * or "<comm>: page allocation failure" may have its comm end. Most lines
 * have none, and this costs no branch per byte (it is on every line). */
static uint32_t comm_end_candidates(struct span m)
{
	if (m.n < 22)
		return 0;
#ifdef __SSE2__
	const __m128i b0 = _mm_loadu_si128((const __m128i *)(const void *)m.p);
	const __m128i b1 = _mm_loadu_si128((const __m128i *)(const void *)(m.p + 1));
	const __m128i b2 = _mm_loadu_si128((const __m128i *)(const void *)(m.p + 2));
	const __m128i sp = _mm_set1_epi8(' ');
	__m128i hit = _mm_or_si128(
		_mm_and_si128(_mm_cmpeq_epi8(b0, sp), _mm_cmpeq_epi8(b1, _mm_set1_epi8('i'))),
		_mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(b0, _mm_set1_epi8(':')), _mm_cmpeq_epi8(b1, sp)),
			      _mm_cmpeq_epi8(b2, _mm_set1_epi8('p'))));

	return (uint32_t)_mm_movemask_epi8(hit) & ~1u;
#else
	uint64_t w[2];

	for (int h = 0; h < 2; h++) {
		const char *p = m.p + 8 * h;
		uint64_t b0 = load8(p), b1 = load8(p + 1), b2 = load8(p + 2);

		w[h] = (eq8(b0, ' ') & eq8(b1, 'i')) | (eq8(b0, ':') & eq8(b1, ' ') & eq8(b2, 'p'));
	}
	if (!(w[0] | w[1]))
		return 0;
	return (bytes_to_bits(w[0]) | bytes_to_bits(w[1]) << 8) & ~1u;
#endif
}

/* Whether a message starting with c0 c1 can be one handle_message() looks
 * for by its start: one well-predicted branch instead of a jump table. */
static inline bool anchored_start(const char *p, size_t n)
{
	unsigned k;

	if (n < 2)
		return false;
	k = (unsigned)(unsigned char)p[0] << 8 | (unsigned char)p[1];
	return (k == ('O' << 8 | 'u')) | (k == ('M' << 8 | 'e')) | (k == ('K' << 8 | 'i')) |
	       (k == ('K' << 8 | 'e')) | (k == ('o' << 8 | 'o')) | (k == ('T' << 8 | 'a')) |
	       (k == ('B' << 8 | 'U')) | (k == ('k' << 8 | 'e')) | (k == ('W' << 8 | 'A')) |
	       (k == ('w' << 8 | 'a')) | (k == ('N' << 8 | 'M')) | (k == ('W' << 8 | 'a')) |
	       (k == ('I' << 8 | 'N')) | (k == ('r' << 8 | 'c'));
}

static void handle_message(struct klog *k, struct span m)
{
	struct span s = m;
	struct oom_event *ev;

	if (k->pending != PEND_NONE && on_pending(k, m))
		return;
	if (!m.n)
		return;
	switch (anchored_start(m.p, m.n) ? m.p[0] : 0) {
	case 'O':
		if (EAT(&s, "Out of memory")) {
			if (EAT(&s, ": "))
				on_kill_prefixed(k, s, KILL_GLOBAL);
			else if (EAT(&s, " (oom_kill_allocating_task): "))
				on_kill_prefixed(k, s, KILL_ALLOCATING);
			else if (PFX(s, " and no killable processes"))
				on_no_killable(k);
			return;
		}
		break;
	case 'M':
		if (EAT(&s, "Memory cgroup out of memory: ")) {
			on_kill_prefixed(k, s, KILL_MEMCG);
			return;
		}
		break;
	case 'K':
		if (EAT(&s, "Killed process ")) {
			on_killed(k, s, KILL_PLAIN);
			return;
		}
		if (EAT(&s, "Kill process ")) {
			on_kill_process(k, s, KILL_PLAIN);
			return;
		}
		if (EAT(&s, "Kernel panic - not syncing: ")) {
			on_panic(k, s);
			return;
		}
		break;
	case 'o':
		if (EAT(&s, "oom_reaper: ")) {
			on_reaper(k, s);
			return;
		}
		if (EAT(&s, "oom-kill:")) {
			on_summary(k, s);
			return;
		}
		break;
	case 'T':
		if (EAT(&s, "Tasks in ")) {
			on_group(k, s);
			return;
		}
		break;
	case 'B':
		if (on_watchdog(k, m))
			return;
		if (PFX(m, "BUG: ")) {
			k->bugs++;
			k->foreign = true;
			return;
		}
		break;
	case 'k':
		if (PFX(m, "kernel BUG at ")) {
			k->bugs++;
			k->foreign = true;
			return;
		}
		break;
	case 'W':
		if (PFX(m, "WARNING: CPU: ") || PFX(m, "WARNING: at ")) {
			k->warnings++;
			k->foreign = true;
			return;
		}
		if (on_watchdog(k, m))
			return;
		break;
	case 'w':
	case 'N':
	case 'I':
	case 'r':
		if (on_watchdog(k, m))
			return;
		break;
	default:
		break;
	}
	if (k->hash && is_oops(m)) {
		k->oops++;
		k->foreign = true;
		return;
	}
	/* "<comm> invoked oom-killer: ", "<comm>: page allocation failure": comm
	 * is at most 15 bytes, longer is someone quoting the kernel */
	for (uint32_t cand = comm_end_candidates(m); cand; cand &= cand - 1) {
		size_t i = (size_t)__builtin_ctz(cand);

		if (m.n - i >= 21 && !memcmp(m.p + i, " invoked oom-killer: ", 21)) {
			on_header(k, m, i);
			return;
		}
		if (m.n - i >= 25 && !memcmp(m.p + i, ": page allocation failure", 25) &&
		    on_alloc_failure(k, m, i))
			return;
	}
	ev = open_event(k);
	if (ev && ev->has_header) {
		if (on_report_line(k, ev, m))
			ev->idle = 0;
		else if (++ev->idle > MAX_IDLE) {
			ev->finished = true;
			ev->truncated = true;
		}
	}
}

/* rsyslog writes embedded newlines as "#012", /dev/kmsg as "\x0a". */
static void handle_split(struct klog *k, struct span m, const char *sep)
{
	const char *e;

	while ((e = memmem(m.p, m.n, sep, 4))) {
		handle_message(k, cut(&m, e));
		skip(&m, 4);
	}
	handle_message(k, m);
}

/* hash: whether the line may hold a '#' (klog_feed finds them per chunk). */
static void process_line(struct klog *k, const char *p, size_t n, bool hash)
{
	struct span s = mkspan(p, n);
	size_t st;
	bool comma, kmsg = false;
	unsigned char c;

	k->lines++;
	while (s.n && s.p[s.n - 1] == '\r')
		s.n--;
	while (s.n && s.p[0] == '\r')
		skip(&s, 1);
	k->time = mkspan(NULL, 0);
	k->caller_tid = NONE;
	if (!s.n) {
		k->kernel_lines++;
		handle_message(k, s);
		return;
	}
	c = (unsigned char)s.p[0];
	if (((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80) && (st = syslog_stamp(s))) {
		k->time = mkspan(s.p, st - 1);
		skip(&s, st);
		if (!syslog_kernel(&s)) {
			k->other_lines++;
			return;
		}
	} else if (is_digit(s.p[0]) && (st = iso_stamp(s, &comma))) {
		k->time = mkspan(s.p, st - 1);
		skip(&s, st);
		if (!comma && !syslog_kernel(&s)) {
			k->other_lines++;
			return;
		}
	} else if (is_digit(s.p[0]) && (st = logcat_stamp(s))) {
		k->time = mkspan(s.p, st - 1);
		skip(&s, st);
	} else if (is_digit(s.p[0])) {
		kmsg = kmsg_prefix(&s);
	}
	if (s.n && (s.p[0] == '[' || s.p[0] == '<')) {
		const char *at = s.p;

		console_prefix(&s, &k->time, &k->caller_tid);
		if (s.p != at && s.n)
			context_fields(&s);
	}
	k->kernel_lines++;
	k->hash = hash;
	if (hash && memmem(s.p, s.n, "#012", 4))
		handle_split(k, s, "#012");
	else if (kmsg && memmem(s.p, s.n, "\\x0a", 4))
		handle_split(k, s, "\\x0a");
	else
		handle_message(k, s);
}

struct klog *klog_new(void)
{
	struct klog *k = xcalloc(1, sizeof(*k));

	strbuf_init(&k->part);
	strbuf_init(&k->join);
	k->caller_tid = NONE;
	return k;
}

void klog_free(struct klog *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->nevents; i++) {
		event_release(k->events[i]);
		free(k->events[i]);
	}
	free(k->events);
	for (size_t i = 0; i < k->npanics; i++)
		free(k->panics[i].reason);
	free(k->panics);
	for (size_t i = 0; i < k->nafs; i++) {
		free(k->afs[i].comm);
		free(k->afs[i].gfp_mask);
		free(k->afs[i].gfp_flags);
	}
	free(k->afs);
	strbuf_release(&k->part);
	strbuf_release(&k->join);
	free(k);
}

static void part_add(struct klog *k, const char *p, size_t n)
{
	if (k->part.len + n > KLOG_MAX_LINE) {
		n = KLOG_MAX_LINE - k->part.len;
		k->part_overlong = true;
	}
	strbuf_add(&k->part, p, n);
}

static void flush_part(struct klog *k)
{
	if (k->part_overlong)
		k->overlong_lines++;
	process_line(k, k->part.buf, k->part.len, memchr(k->part.buf, '#', k->part.len) != NULL);
	strbuf_reset(&k->part);
	k->part_overlong = false;
}

static inline const char *find_newline(const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n');

	for (; end - p >= 16; p += 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), nl));
		if (m)
			return p + __builtin_ctz(m);
	}
#endif
	return memchr(p, '\n', (size_t)(end - p));
}

void klog_feed(struct klog *k, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl, *hash;

	if (!len)
		return;
	if (k->part.len || k->part_overlong) {
		nl = memchr(p, '\n', len);
		if (!nl) {
			part_add(k, p, len);
			return;
		}
		part_add(k, p, (size_t)(nl - p));
		flush_part(k);
		p = nl + 1;
	}
	/* the next '#' at or after p: one scan per chunk, not one per line */
	hash = memchr(p, '#', (size_t)(end - p));
	if (!hash)
		hash = end;
	while (p < end && (nl = find_newline(p, end))) {
		size_t n = (size_t)(nl - p);

		if (hash < p) {
			hash = memchr(p, '#', (size_t)(end - p));
			if (!hash)
				hash = end;
		}
		if (n > KLOG_MAX_LINE) {
			k->overlong_lines++;
			n = KLOG_MAX_LINE;
		}
		process_line(k, p, n, hash < p + n);
		p = nl + 1;
	}
	if (p < end)
		part_add(k, p, (size_t)(end - p));
}

void klog_end(struct klog *k)
{
	struct oom_event *ev;

	if (k->part.len || k->part_overlong)
		flush_part(k);
	k->pending = PEND_NONE;
	ev = last_event(k);
	if (ev && !ev->finished) {
		ev->finished = true;
		ev->truncated = true;
	}
}

size_t klog_oom_count(const struct klog *k)
{
	return k->oom_total;
}
