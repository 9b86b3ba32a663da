/* klog_test_util: what the klog tests share: fixtures, feeding a log in
 * chunks, fact expectations, golden files, a JSON grammar check and a
 * minimal 6.1 report. Run the tests from harness/tests. */
#ifndef OOMTEST_KLOG_TEST_UTIL_H
#define OOMTEST_KLOG_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klog/klog.h"
#include "lib/facts.h"
#include "lib/strbuf.h"

#define FIX "fixtures/klog/"

static inline const char *const *fixture_list(size_t *n)
{
	static const char *const fixtures[] = {
		"01-archlinux-6.1-global-doxygen.log",
		"02-proxmox-5.15-lxc-memcg-v2-phpfpm.log",
		"03-rhel7-3.10-global-numa-mysqld.log",
		"04-ubuntu-5.13-sysrq-manual-oom.log",
		"05-ubuntu-3.13-syslog-mysqld-nokilledline.log",
		"06-cadvisor-3.13-mixed-dmesg-syslog-global.log",
		"07-cadvisor-3.13-memcg-v1-syslog.log",
		"08-aks-5.15-memcg-v2-kubepods-oomgroup.log",
		"09-aks-5.15-memcg-v2-stressng-truncated2nd.log",
		"12-blog-rhel7-3.10-memcg-v1-kubepods-sacrifice.log",
		"14-sle15-5.14-iso8601-printk-caller-fragment-2events.log",
		"15-devlog-armv5-2.6-global-noprefix.log",
		"16-lkml-hisilicon-4.1-logcat-date-pidcpucomm-allocfail.log",
		"17-lkml-hisilicon-3.10-pidcpucomm-global-sh.log",
		"18-lkml-samsung-4.14-cpucommpid-allocfail.log",
		"guest-6.1-serial.log",
		"guest-6.1-x86_64-kmod-order0-backup.log",
		"guest-6.1-x86_64-kmod-order3-nobackup.log",
		"guest-6.1-x86_64-kmod-panic-on-oom.log",
		"guest-6.1-x86_64-memcg-v1-kill.log",
		"guest-6.1-x86_64-memcg-v1-oom-control.log",
		"guest-6.1-x86_64-memcg-panic-on-oom2.log",
		"guest-6.1-i386-kmod-order0-backup.log",
		"guest-6.1-i386-kmod-order3-nobackup.log",
		"guest-6.1-i386-kmod-panic-on-oom.log",
		"guest-6.1-i386-memcg-v1-kill.log",
		"guest-6.1-i386-memcg-v1-oom-control.log",
		"guest-6.1-i386-memcg-panic-on-oom2.log",
		"guest-6.12-x86_64-kmod-order0-backup.log",
		"guest-6.12-x86_64-kmod-order3-nobackup.log",
	};
	*n = sizeof(fixtures) / sizeof(fixtures[0]);
	return fixtures;
}

/* ---- helpers ---- */

static inline void read_fixture(const char *name, struct strbuf *sb)
{
	char path[512];
	int err;

	snprintf(path, sizeof(path), FIX "%s", name);
	err = strbuf_read_file(sb, path);
	if (err)
		fail_msg("%s: %s (run the tests from harness/tests)", path, strerror(-err));
}

/* Parses data fed in pieces of `chunk` bytes (0: all at once). */
static inline struct klog *parse_chunked(const char *data, size_t len, size_t chunk)
{
	struct klog *k = klog_new();

	if (!chunk)
		chunk = len ? len : 1;
	for (size_t off = 0; off < len; off += chunk)
		klog_feed(k, data + off, len - off < chunk ? len - off : chunk);
	klog_end(k);
	return k;
}

static inline void facts_of(const char *data, size_t len, size_t chunk, struct facts *f)
{
	struct klog *k = parse_chunked(data, len, chunk);

	klog_add_facts(k, f);
	klog_free(k);
}

static inline void facts_of_str(const char *text, struct facts *f)
{
	facts_of(text, strlen(text), 0, f);
}

static inline void expect(const struct facts *f, const char *name, const char *value)
{
	const char *got = facts_get(f, name);

	if (!value) {
		if (got)
			fail_msg("%s: expected unset, got \"%s\"", name, got);
		return;
	}
	if (!got)
		fail_msg("%s: expected \"%s\", got nothing", name, value);
	if (strcmp(got, value))
		fail_msg("%s: expected \"%s\", got \"%s\"", name, value, got);
}

static inline void dump_facts(const struct facts *f)
{
	for (size_t i = 0; i < f->n; i++)
		print_message("  %s = %s\n", f->v[i].name, f->v[i].value);
}

/* Every fact of a equals the one of b, and the other way round. */
static inline void expect_same_facts(const struct facts *a, const struct facts *b, bool skip_time)
{
	for (int pass = 0; pass < 2; pass++) {
		const struct facts *x = pass ? b : a, *y = pass ? a : b;

		for (size_t i = 0; i < x->n; i++) {
			const char *name = x->v[i].name, *other = facts_get(y, name);
			size_t n = strlen(name);

			if (skip_time && n > 5 && !strcmp(name + n - 5, ".time"))
				continue;
			if (!other || strcmp(other, x->v[i].value)) {
				print_message("first:\n");
				dump_facts(a);
				print_message("second:\n");
				dump_facts(b);
				fail_msg("fact %s: \"%s\" vs \"%s\"", name, x->v[i].value,
					 other ? other : "(unset)");
			}
		}
	}
}

/* Builds a log from messages, each behind prefix(i) (printf format with
 * one %d for a line number, or "" for none), joined by eol. */
static inline void build_log(struct strbuf *sb, const char *const *msgs, size_t n, const char *prefix,
		      const char *eol)
{
	for (size_t i = 0; i < n; i++) {
		strbuf_addf(sb, prefix, (int)i);
		strbuf_addstr(sb, msgs[i]);
		strbuf_addstr(sb, eol);
	}
}

/* ---- a small JSON validator (RFC 8259 grammar, no semantics) ---- */

struct jp {
	const char *p, *end;
	int depth;
};

static inline bool jp_value(struct jp *j);

static inline void jp_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r'))
		j->p++;
}

static inline bool jp_string(struct jp *j)
{
	if (j->p >= j->end || *j->p != '"')
		return false;
	for (j->p++; j->p < j->end; j->p++) {
		unsigned char c = (unsigned char)*j->p;

		if (c == '"') {
			j->p++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			j->p++;
			if (j->p >= j->end || !strchr("\"\\/bfnrtu", *j->p))
				return false;
			if (*j->p == 'u') {
				for (int i = 0; i < 4; i++)
					if (++j->p >= j->end || !strchr("0123456789abcdefABCDEF", *j->p))
						return false;
			}
		}
	}
	return false;
}

static inline bool jp_number(struct jp *j)
{
	const char *s = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return false;
	if (*j->p == '0' && j->p + 1 < j->end && j->p[1] >= '0' && j->p[1] <= '9')
		return false;
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s;
}

static inline bool jp_lit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n))
		return false;
	j->p += n;
	return true;
}

static inline bool jp_seq(struct jp *j, char close, bool object)
{
	j->p++;
	jp_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		jp_ws(j);
		if (object) {
			if (!jp_string(j))
				return false;
			jp_ws(j);
			if (j->p >= j->end || *j->p++ != ':')
				return false;
		}
		if (!jp_value(j))
			return false;
		jp_ws(j);
		if (j->p >= j->end)
			return false;
		if (*j->p == close) {
			j->p++;
			return true;
		}
		if (*j->p++ != ',')
			return false;
	}
}

static inline bool jp_value(struct jp *j)
{
	bool ok;

	jp_ws(j);
	if (j->p >= j->end || ++j->depth > 64)
		return false;
	switch (*j->p) {
	case '{': ok = jp_seq(j, '}', true); break;
	case '[': ok = jp_seq(j, ']', false); break;
	case '"': ok = jp_string(j); break;
	case 't': ok = jp_lit(j, "true"); break;
	case 'f': ok = jp_lit(j, "false"); break;
	case 'n': ok = jp_lit(j, "null"); break;
	default: ok = jp_number(j); break;
	}
	j->depth--;
	return ok;
}

static inline void expect_valid_json(const struct strbuf *sb)
{
	struct jp j = { sb->buf, sb->buf + sb->len, 0 };

	if (!jp_value(&j))
		fail_msg("invalid JSON near byte %zu: %.60s", (size_t)(j.p - sb->buf), j.p);
	jp_ws(&j);
	if (j.p != j.end)
		fail_msg("trailing bytes after JSON at %zu", (size_t)(j.p - sb->buf));
}

/* ---- golden files: "name = value", "!name" (unset), "!prefix*" (none) ---- */

static inline void check_golden(const struct facts *f, const char *golden)
{
	struct strbuf sb = STRBUF_INIT;
	char path[512];
	int err, failures = 0, checked = 0, lineno = 0;
	char *line, *save = NULL;

	snprintf(path, sizeof(path), FIX "%s.facts", golden);
	err = strbuf_read_file(&sb, path);
	if (err)
		fail_msg("%s: %s", path, strerror(-err));
	for (line = strtok_r(sb.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq, *name, *value;
		const char *got;
		size_t n;

		lineno++;
		n = strlen(line);
		while (n && (line[n - 1] == ' ' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		checked++;
		if (line[0] == '!') {
			name = line + 1;
			n = strlen(name);
			if (n && name[n - 1] == '*') {
				for (size_t i = 0; i < f->n; i++)
					if (!strncmp(f->v[i].name, name, n - 1)) {
						print_error("%s: %s is set (%s = %s)\n", path, name,
							    f->v[i].name, f->v[i].value);
						failures++;
						break;
					}
			} else if ((got = facts_get(f, name))) {
				print_error("%s: %s should be unset, is \"%s\"\n", path, name, got);
				failures++;
			}
			continue;
		}
		eq = strstr(line, " = ");
		if (!eq)
			fail_msg("%s: bad line: %s", path, line);
		*eq = '\0';
		name = line;
		value = eq + 3;
		got = facts_get(f, name);
		if (!got || strcmp(got, value)) {
			print_error("%s: %s: expected \"%s\", got %s%s%s\n", path, name, value,
				    got ? "\"" : "", got ? got : "nothing", got ? "\"" : "");
			failures++;
		}
	}
	strbuf_release(&sb);
	assert_true(checked > 0);
	assert_int_equal(failures, 0);
}

/* ---- a minimal 6.1 global report, reused below ---- */

static inline const char *const *mini_report(void)
{
	static const char *const mini[] = {
		"stress invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0",
		"CPU: 1 PID: 4242 Comm: stress Not tainted 6.1.0-26-amd64 #1  Debian 6.1.112-1",
		"Call Trace:",
		" <TASK>",
		" dump_stack_lvl+0x44/0x5c",
		" </TASK>",
		"Mem-Info:",
		"active_anon:100 inactive_anon:200 isolated_anon:0",
		" free:300 free_pcp:0 free_cma:0",
		"Node 0 DMA32 free:1200kB boost:0kB min:1000kB low:1100kB high:1300kB reserved_highatomic:0KB present:131072kB managed:120000kB",
		"lowmem_reserve[]: 0 0 0 0 0",
		"Node 0 DMA32: 1*4kB (U) 2*8kB (M) 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 20kB",
		"32768 pages RAM",
		"Tasks state (memory values in pages):",
		"[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
		"[   4242]  1000  4242    50000    40000   409600        0             0 stress",
		"oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice,task=stress,pid=4242,uid=1000",
		"Out of memory: Killed process 4242 (stress) total-vm:200000kB, anon-rss:160000kB, file-rss:4kB, shmem-rss:0kB, UID:1000 pgtables:400kB oom_score_adj:0",
		"oom_reaper: reaped process 4242 (stress), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
	};
	return mini;
}
#define NMINI ((size_t)19)

static inline void expect_mini(const struct facts *f, const char *n)
{
	char name[128];
	static const char *const want[][2] = {
		{ "invoker", "stress" },
		{ "invoker_pid", "4242" },
		{ "gfp_mask", "0x140cca" },
		{ "gfp_flags", "GFP_HIGHUSER_MOVABLE|__GFP_COMP" },
		{ "order", "0" },
		{ "constraint", "CONSTRAINT_NONE" },
		{ "task_memcg", "/user.slice" },
		{ "victim.pid", "4242" },
		{ "victim.comm", "stress" },
		{ "victim.anon_rss_kb", "160000" },
		{ "victim.uid", "1000" },
		{ "reaped", "1" },
		{ "partial", "0" },
		{ "free_pages", "300" },
		{ "pages_ram", "32768" },
		{ "tasks", "1" },
		{ "zone.DMA32.min_kb", "1000" },
		{ "buddy.DMA32.order0", "1" },
		{ "buddy.DMA32.order1", "2" },
		{ "buddy.DMA32.total_kb", "20" },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(name, sizeof(name), "oom.%s.%s", n, want[i][0]);
		expect(f, name, want[i][1]);
	}
}

#endif
