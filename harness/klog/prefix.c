/* prefix: stamps and log-writer prefixes. */
#include "klog/prefix.h"

#include <stdint.h>
#include <string.h>


static inline bool d2(const char *p)
{
	return is_digit(p[0]) && is_digit(p[1]);
}

static inline bool hms(const char *p)
{
	return d2(p) && p[2] == ':' && d2(p + 3) && p[5] == ':' && d2(p + 6);
}

/* "Jan  5 15:19:27 " / "Aug 12 03:54:03.123456 " (month names may be
 * localised); returns the length including the space, or 0. */
size_t syslog_stamp(struct span s)
{
	size_t i = 0;

	while (i < s.n && i < 12 && s.p[i] != ' ' && !is_digit(s.p[i]))
		i++;
	if (!i || i + 11 > s.n || s.p[i] != ' ')
		return 0;
	i++;
	if (s.p[i] == ' ')
		i++;
	if (!is_digit(s.p[i]))
		return 0;
	i++;
	if (is_digit(s.p[i]))
		i++;
	if (i + 9 > s.n || s.p[i] != ' ' || !hms(s.p + i + 1))
		return 0;
	i += 9;
	if (i < s.n && s.p[i] == '.')
		for (i++; i < s.n && is_digit(s.p[i]); i++)
			;
	if (i >= s.n || s.p[i] != ' ')
		return 0;
	return i + 1;
}

/* "2024-01-07T17:53:49[.,frac][Z|+00:00|+0000] "; *comma tells dmesg
 * --time-format=iso (comma) from syslog RFC 3339 (dot). */
size_t iso_stamp(struct span s, bool *comma)
{
	size_t i = 19;

	if (s.n < 21 || !d2(s.p) || !d2(s.p + 2) || s.p[4] != '-' || !d2(s.p + 5) ||
	    s.p[7] != '-' || !d2(s.p + 8) || s.p[10] != 'T' || !hms(s.p + 11))
		return 0;
	*comma = false;
	if (s.p[i] == '.' || s.p[i] == ',') {
		*comma = s.p[i] == ',';
		for (i++; i < s.n && is_digit(s.p[i]); i++)
			;
	}
	if (i < s.n && s.p[i] == 'Z') {
		i++;
	} else if (i < s.n && (s.p[i] == '+' || s.p[i] == '-')) {
		i++;
		while (i < s.n && (is_digit(s.p[i]) || s.p[i] == ':'))
			i++;
	}
	if (i >= s.n || s.p[i] != ' ')
		return 0;
	return i + 1;
}

/* After a syslog stamp: "[host ]kernel: msg" is the kernel, any other
 * "[host ]tag[pid]: msg" is not. */
bool syslog_kernel(struct span *s)
{
	struct span t = *s;

	for (int tok = 0; tok < 2; tok++) {
		const char *e = memchr(t.p, ' ', t.n);
		struct span w = mkspan(t.p, e ? (size_t)(e - t.p) : t.n);

		if (w.n == 7 && !memcmp(w.p, "kernel:", 7)) {
			skip(&t, w.n);
			EAT(&t, " ");
			*s = t;
			return true;
		}
		if (!e)
			break;
		skip(&t, w.n + 1);
	}
	return false;
}

/* "[T123]" or "[   C1]" */
static bool caller_id(struct span t)
{
	size_t i;

	for (i = 1; i < t.n && t.p[i] == ' '; i++)
		;
	return i + 1 < t.n && (t.p[i] == 'T' || t.p[i] == 'C') && is_digit(t.p[i + 1]);
}

/* 0x80 in each byte of x that is not an ASCII digit. */
static inline uint64_t nondigit8(uint64_t x)
{
	uint64_t d = x ^ 0x3030303030303030ULL;

	return (((d & 0x7f7f7f7f7f7f7f7fULL) + 0x7676767676767676ULL) | d) & 0x8080808080808080ULL;
}

static inline unsigned space_or_digit(char c)
{
	return (unsigned)(c == ' ') | (unsigned)((unsigned char)(c - '0') < 10);
}

/* The kernel's "[%5lu.%06lu] " while uptime < 100000 s: nearly every line of
 * a console log starts with it, so it is checked without loops. */
bool kernel_stamp(struct span t)
{
	if (t.n < 15 || t.p[0] != '[' || t.p[6] != '.' || t.p[13] != ']' || t.p[14] != ' ')
		return false;
	return !(nondigit8(load8(t.p + 5)) & 0x8080808080800080ULL) &&
	       (space_or_digit(t.p[1]) & space_or_digit(t.p[2]) & space_or_digit(t.p[3]) &
		space_or_digit(t.p[4]));
}

/* Console prefix: "<6>", "[    1.234567]" or dmesg -T "[Di Aug 12 03:54:03 2025]",
 * then the caller id "[T123]"/"[C1]", then one space. */
void console_prefix(struct span *s, struct span *time, long long *caller_tid)
{
	struct span t = *s;
	size_t i;

	if (kernel_stamp(t)) {
		*time = mkspan(t.p + 1, 12);
		skip(s, 15);
		return;
	}

	if (t.n >= 3 && t.p[0] == '<' && is_digit(t.p[1])) {
		for (i = 1; i < t.n && i < 5 && is_digit(t.p[i]); i++)
			;
		if (i < t.n && t.p[i] == '>')
			skip(&t, i + 1);
	}
	if (t.n && t.p[0] == '[' && !caller_id(t)) {
		for (i = 1; i < t.n && t.p[i] == ' '; i++)
			;
		if (i < t.n && is_digit(t.p[i])) {
			size_t d = i;
			while (i < t.n && is_digit(t.p[i]))
				i++;
			if (i < t.n && t.p[i] == '.' && i > d) {
				for (i++; i < t.n && is_digit(t.p[i]); i++)
					;
				/* HiSilicon vendor kernels print "[309805.658142s]" */
				size_t end = i + (i + 1 < t.n && t.p[i] == 's' && t.p[i + 1] == ']');

				if (end < t.n && t.p[end] == ']') {
					*time = mkspan(t.p + 1, i - 1);
					skip(&t, end + 1);
				}
			}
		} else {
			const char *e = memchr(t.p, ']', t.n < 64 ? t.n : 64);
			if (e) {
				for (const char *p = t.p + 1; p + 8 <= e; p++)
					if (hms(p)) {
						*time = mkspan(t.p + 1, (size_t)(e - t.p - 1));
						skip(&t, (size_t)(e - t.p + 1));
						break;
					}
			}
		}
	}
	if (t.n > 3 && t.p[0] == '[') {
		for (i = 1; i < t.n && t.p[i] == ' '; i++)
			;
		if (i + 1 < t.n && (t.p[i] == 'T' || t.p[i] == 'C') && is_digit(t.p[i + 1])) {
			bool thread = t.p[i] == 'T';
			struct span n = mkspan(t.p + i + 1, t.n - i - 1);
			long long id;

			if (eat_num(&n, &id) && n.n && n.p[0] == ']') {
				if (thread)
					*caller_tid = id;
				skip(&t, (size_t)(n.p - t.p + 1));
			}
		}
	}
	if (t.p != s->p && t.n && t.p[0] == ' ')
		skip(&t, 1);
	*s = t;
}

/* "6,1234,5678901,-;msg" (/dev/kmsg) */
bool kmsg_prefix(struct span *s)
{
	size_t i = 0, commas = 0;

	while (i < s->n && i < 64 && (is_digit(s->p[i]) || s->p[i] == ',' ||
				       (commas >= 3 && s->p[i] != ';'))) {
		if (s->p[i] == ',')
			commas++;
		i++;
	}
	if (commas < 3 || i >= s->n || s->p[i] != ';')
		return false;
	skip(s, i + 1);
	return true;
}

/* "07-13 08:41:51.341 " */
size_t logcat_stamp(struct span s)
{
	size_t i = 14;

	if (s.n < 16 || !d2(s.p) || s.p[2] != '-' || !d2(s.p + 3) || s.p[5] != ' ' || !hms(s.p + 6))
		return 0;
	if (s.p[i] == '.')
		for (i++; i < s.n && is_digit(s.p[i]); i++)
			;
	if (i >= s.n || s.p[i] != ' ')
		return 0;
	return i + 1;
}

/* "[pid:1361,cpu5,comm]", "[3:  comm:22875]", "[2576:tx_thread]": after
 * spaces and an optional lowercase "word:", a number ended by ':' or ','.
 * Returns the field's length, 0 if p does not start one. A task row "[
 * 250]", a backtrace "[<c0123>]" or "[drm]" are not context fields. */
static size_t context_field(struct span t, bool empty_ok)
{
	size_t i = 1, n = t.n < 80 ? t.n : 80, d;

	if (!n || t.p[0] != '[')
		return 0;
	if (empty_ok && n > 1 && t.p[1] == ']')
		return 2;
	while (i < n && t.p[i] == ' ')
		i++;
	for (d = i; d < n && t.p[d] >= 'a' && t.p[d] <= 'z'; d++)
		;
	if (d > i && d < n && t.p[d] == ':')
		i = d + 1;
	for (d = i; i < n && is_digit(t.p[i]); i++)
		;
	if (i == d || i >= n || (t.p[i] != ':' && t.p[i] != ','))
		return 0;
	for (; i < n && t.p[i] != ']'; i++)
		if (t.p[i] == '[' || t.p[i] == '<')
			return 0;
	return i < n ? i + 1 : 0;
}

/* MediaTek's "(1)" CPU field, after a mark for the context (' ', '-', '.')
 * and an optional "<0>" level; its length if a context field follows. */
static size_t cpu_field(struct span t)
{
	size_t i = 0, d;

	if (t.n > 3 && t.p[0] == '<' && is_digit(t.p[1]) && t.p[2] == '>')
		i = 3;
	if (i < t.n && (t.p[i] == ' ' || t.p[i] == '-' || t.p[i] == '.'))
		i++;
	if (i >= t.n || t.p[i] != '(')
		return 0;
	for (d = ++i; i < t.n && i < d + 4 && is_digit(t.p[i]); i++)
		;
	if (i == d || i + 1 >= t.n || t.p[i] != ')' || t.p[i + 1] != '[')
		return 0;
	return i + 1;
}

/* Vendor context fields: a run of them, then one space. */
bool context_fields(struct span *s)
{
	struct span t = *s;
	size_t n;
	bool any = false;

	while (t.n && t.p[0] == ' ')
		skip(&t, 1);
	for (;;) {
		if ((n = cpu_field(t))) {
			struct span f = mkspan(t.p + n, t.n - n);
			size_t m = context_field(f, true);

			if (!m)
				break;
			skip(&t, n + m);
		} else if ((n = context_field(t, false))) {
			skip(&t, n);
		} else {
			break;
		}
		any = true;
	}
	if (!any)
		return false;
	if (t.n && t.p[0] == ' ')
		skip(&t, 1);
	*s = t;
	return true;
}
