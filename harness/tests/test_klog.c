/* Tests for klog and `oomtest parse`: golden facts over real public logs and
 * a synthetic 6.1 guest console, chunking, line endings, prefixes, partial
 * reports, panics, allocation failures, long lines, quoted kernel text.
 * Run from harness/tests (fixtures are found relative to it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/parse.h"
#include "lib/facts.h"
#include "klog/klog.h"
#include "lib/strbuf.h"

#define FIX "fixtures/klog/"

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
#define NFIXTURES (sizeof(fixtures) / sizeof(fixtures[0]))

/* ---- helpers ---- */

static void read_fixture(const char *name, struct strbuf *sb)
{
	char path[512];
	int err;

	snprintf(path, sizeof(path), FIX "%s", name);
	err = strbuf_read_file(sb, path);
	if (err)
		fail_msg("%s: %s (run the tests from harness/tests)", path, strerror(-err));
}

/* Parses data fed in pieces of `chunk` bytes (0: all at once). */
static struct klog *parse_chunked(const char *data, size_t len, size_t chunk)
{
	struct klog *k = klog_new();

	if (!chunk)
		chunk = len ? len : 1;
	for (size_t off = 0; off < len; off += chunk)
		klog_feed(k, data + off, len - off < chunk ? len - off : chunk);
	klog_end(k);
	return k;
}

static void facts_of(const char *data, size_t len, size_t chunk, struct facts *f)
{
	struct klog *k = parse_chunked(data, len, chunk);

	klog_add_facts(k, f);
	klog_free(k);
}

static void facts_of_str(const char *text, struct facts *f)
{
	facts_of(text, strlen(text), 0, f);
}

static void expect(const struct facts *f, const char *name, const char *value)
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

static void dump_facts(const struct facts *f)
{
	for (size_t i = 0; i < f->n; i++)
		print_message("  %s = %s\n", f->v[i].name, f->v[i].value);
}

/* Every fact of a equals the one of b, and the other way round. */
static void expect_same_facts(const struct facts *a, const struct facts *b, bool skip_time)
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
static void build_log(struct strbuf *sb, const char *const *msgs, size_t n, const char *prefix,
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

static bool jp_value(struct jp *j);

static void jp_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r'))
		j->p++;
}

static bool jp_string(struct jp *j)
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

static bool jp_number(struct jp *j)
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

static bool jp_lit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n))
		return false;
	j->p += n;
	return true;
}

static bool jp_seq(struct jp *j, char close, bool object)
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

static bool jp_value(struct jp *j)
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

static void expect_valid_json(const struct strbuf *sb)
{
	struct jp j = { sb->buf, sb->buf + sb->len, 0 };

	if (!jp_value(&j))
		fail_msg("invalid JSON near byte %zu: %.60s", (size_t)(j.p - sb->buf), j.p);
	jp_ws(&j);
	if (j.p != j.end)
		fail_msg("trailing bytes after JSON at %zu", (size_t)(j.p - sb->buf));
}

/* ---- golden files: "name = value", "!name" (unset), "!prefix*" (none) ---- */

static void check_golden(const struct facts *f, const char *golden)
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

/* ---- golden tests: one per fixture ---- */

static void test_golden(void **state)
{
	const char *name = *state;
	struct strbuf log = STRBUF_INIT, json = STRBUF_INIT;
	struct facts f = FACTS_INIT;
	struct klog *k;

	read_fixture(name, &log);
	k = parse_chunked(log.buf, log.len, 0);
	klog_add_facts(k, &f);
	klog_to_json(k, &json);
	check_golden(&f, name);
	expect_valid_json(&json);
	/* these are always there */
	assert_non_null(facts_get(&f, "oom.count"));
	assert_non_null(facts_get(&f, "panic"));
	assert_non_null(facts_get(&f, "alloc_failure.count"));
	assert_non_null(facts_get(&f, "oops.count"));
	assert_non_null(facts_get(&f, "bug.count"));
	assert_non_null(facts_get(&f, "warning.count"));
	klog_free(k);
	facts_release(&f);
	strbuf_release(&json);
	strbuf_release(&log);
}

/* ---- chunking: byte by byte, odd sizes, all at once: same result ---- */

static void test_chunking(void **state)
{
	static const size_t chunks[] = { 1, 2, 3, 7, 64, 4093 };

	(void)state;
	for (size_t i = 0; i < NFIXTURES; i++) {
		struct strbuf log = STRBUF_INIT, ja = STRBUF_INIT;
		struct facts fa = FACTS_INIT;
		struct klog *k;

		read_fixture(fixtures[i], &log);
		k = parse_chunked(log.buf, log.len, 0);
		klog_add_facts(k, &fa);
		klog_to_json(k, &ja);
		klog_free(k);
		for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			struct strbuf jb = STRBUF_INIT;
			struct facts fb = FACTS_INIT;

			k = parse_chunked(log.buf, log.len, chunks[c]);
			klog_add_facts(k, &fb);
			klog_to_json(k, &jb);
			klog_free(k);
			expect_same_facts(&fa, &fb, false);
			if (strcmp(ja.buf, jb.buf))
				fail_msg("%s: JSON differs with %zu-byte chunks", fixtures[i], chunks[c]);
			facts_release(&fb);
			strbuf_release(&jb);
		}
		facts_release(&fa);
		strbuf_release(&ja);
		strbuf_release(&log);
	}
}

/* ---- line endings ---- */

static void replace_eol(const struct strbuf *in, struct strbuf *out, const char *eol)
{
	for (size_t i = 0; i < in->len; i++) {
		if (in->buf[i] == '\n')
			strbuf_addstr(out, eol);
		else if (in->buf[i] != '\r')
			strbuf_addch(out, in->buf[i]);
	}
}

static void test_crlf(void **state)
{
	static const char *const eols[] = { "\r\n", "\r\r\n", "\n" };
	static const char *const logs[] = {
		"01-archlinux-6.1-global-doxygen.log",
		"08-aks-5.15-memcg-v2-kubepods-oomgroup.log",
		"guest-6.1-serial.log",
	};

	(void)state;
	for (size_t l = 0; l < sizeof(logs) / sizeof(logs[0]); l++) {
		struct strbuf log = STRBUF_INIT, lf = STRBUF_INIT;
		struct facts fa = FACTS_INIT;

		read_fixture(logs[l], &log);
		replace_eol(&log, &lf, "\n");
		facts_of(lf.buf, lf.len, 0, &fa);
		for (size_t e = 0; e < sizeof(eols) / sizeof(eols[0]); e++) {
			struct strbuf x = STRBUF_INIT;
			struct facts fb = FACTS_INIT;

			replace_eol(&log, &x, eols[e]);
			facts_of(x.buf, x.len, 5, &fb);
			expect_same_facts(&fa, &fb, false);
			check_golden(&fb, logs[l]);
			facts_release(&fb);
			strbuf_release(&x);
		}
		facts_release(&fa);
		strbuf_release(&lf);
		strbuf_release(&log);
	}
}

/* ---- a cut-off report is kept and marked partial ---- */

static void test_truncated(void **state)
{
	struct strbuf log = STRBUF_INIT;
	struct facts f = FACTS_INIT;
	const char *cut;

	(void)state;
	read_fixture("guest-6.1-serial.log", &log);
	/* stop in the middle of the first buddy line, no newline at the end */
	cut = strstr(log.buf, "Node 0 DMA: 2*4kB (U) 1*8kB");
	assert_non_null(cut);
	facts_of(log.buf, (size_t)(cut - log.buf) + 22, 0, &f);
	expect(&f, "oom.count", "1");
	expect(&f, "oom.1.partial", "1");
	expect(&f, "oom.last.partial", "1");
	expect(&f, "oom.1.invoker", "oomtest-init");
	expect(&f, "oom.1.invoker_pid", "58");
	expect(&f, "oom.1.gfp_mask", "0xcc0");
	expect(&f, "oom.1.free_pages", "201");
	expect(&f, "oom.1.zone.DMA32.free_kb", "628");
	expect(&f, "oom.1.buddy.DMA.order0", "2");	/* the flushed last line */
	expect(&f, "oom.1.buddy.DMA.total_kb", NULL);
	expect(&f, "oom.1.kills", "0");
	expect(&f, "oom.1.victim.pid", NULL);
	facts_release(&f);

	/* cut right after the header line */
	cut = strstr(log.buf, "[    2.345690] CPU:");
	facts_of(log.buf, (size_t)(cut - log.buf), 0, &f);
	expect(&f, "oom.count", "1");
	expect(&f, "oom.1.partial", "1");
	expect(&f, "oom.1.invoker", "oomtest-init");
	expect(&f, "oom.1.order", "0");
	facts_release(&f);

	/* a new report starts before the last one ended */
	facts_of_str("a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		     "Mem-Info:\n"
		     "b invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=1, oom_score_adj=0\n"
		     "Out of memory: Killed process 9 (b) total-vm:8kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n",
		     &f);
	expect(&f, "oom.count", "2");
	expect(&f, "oom.1.partial", "1");
	expect(&f, "oom.1.kills", "0");
	expect(&f, "oom.2.partial", "0");
	expect(&f, "oom.2.victim.pid", "9");
	expect(&f, "oom.2.order", "1");
	facts_release(&f);
	strbuf_release(&log);
}

/* ---- a minimal 6.1 global report, reused below ---- */

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
#define NMINI (sizeof(mini) / sizeof(mini[0]))

static void expect_mini(const struct facts *f, const char *n)
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

/* ---- the same report behind every prefix style ---- */

static void test_prefix_forms(void **state)
{
	static const char *const prefixes[] = {
		"[%5d.123456] ",				/* serial console */
		"<4>[%5d.123456] ",				/* /proc/kmsg */
		"[%5d.123456][ T4242] ",			/* printk caller id */
		"[%5d.123456][    C1] ",
		"[Tue Aug 12 03:54:%02d 2025] ",		/* dmesg -T */
		"[Di Aug 12 03:54:%02d 2025] ",			/* dmesg -T, German */
		"[mar. ao\xc3\xbb 12 03:54:%02d 2025] ",	/* dmesg -T, French */
		"Aug 12 03:54:%02d host kernel: ",		/* journalctl -k */
		"Aug  2 03:54:%02d.123456 host kernel: ",	/* journalctl -o short-precise */
		"Aug 12 03:54:%02d host kernel: [ 1.5] ",	/* syslog + dmesg */
		"Aug 12 03:54:%02d kernel: [ 1.5] ",		/* syslog without host */
		"2025-08-12T03:54:%02d.053424+00:00 host kernel: [ 9.9][T4242] ",	/* RFC 3339 */
		"2025-08-12T03:54:%02d+0000 host kernel: ",	/* journalctl -o short-iso */
		"2025-08-12T03:54:%02d,053424+00:00 ",		/* dmesg --time-format=iso */
		"4,%d,1234567,-;",				/* /dev/kmsg */
	};
	struct strbuf bare = STRBUF_INIT;
	struct facts fa = FACTS_INIT;

	(void)state;
	build_log(&bare, mini, NMINI, "", "\n");
	facts_of(bare.buf, bare.len, 0, &fa);
	expect(&fa, "oom.count", "1");
	expect_mini(&fa, "1");
	for (size_t p = 0; p < sizeof(prefixes) / sizeof(prefixes[0]); p++) {
		struct strbuf log = STRBUF_INIT;
		struct facts fb = FACTS_INIT;

		build_log(&log, mini, NMINI, prefixes[p], "\n");
		facts_of(log.buf, log.len, 0, &fb);
		if (!facts_get(&fb, "oom.1.invoker"))
			fail_msg("prefix \"%s\": no event", prefixes[p]);
		expect_same_facts(&fa, &fb, true);
		facts_release(&fb);
		strbuf_release(&log);
	}
	facts_release(&fa);
	strbuf_release(&bare);
}

/* ---- several events ---- */

static void test_two_events(void **state)
{
	struct strbuf log = STRBUF_INIT;
	struct facts f = FACTS_INIT;

	(void)state;
	build_log(&log, mini, NMINI, "[%5d.000001] ", "\n");
	strbuf_addstr(&log, "[  100.000000] oom_trigger: second round\n");
	build_log(&log, mini, NMINI, "[%5d.000002] ", "\n");
	facts_of(log.buf, log.len, 0, &f);
	expect(&f, "oom.count", "2");
	expect_mini(&f, "1");
	expect_mini(&f, "2");
	expect_mini(&f, "last");
	expect(&f, "oom.1.time", "0.000001");
	expect(&f, "oom.2.time", "0.000002");
	expect(&f, "oom.3.invoker", NULL);
	facts_release(&f);
	strbuf_release(&log);
}

/* ---- many events: the first KLOG_MAX_EVENTS - 1 and the latest are kept ---- */

static void test_many_events(void **state)
{
	struct strbuf log = STRBUF_INIT, json = STRBUF_INIT, text = STRBUF_INIT;
	struct klog *k;
	char want[64];

	(void)state;
	for (int i = 0; i < KLOG_MAX_EVENTS + 500; i++) {
		strbuf_addf(&log, "[%5d.000000] p%d invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n", i, i);
		strbuf_addf(&log, "[%5d.000001] Out of memory: Killed process %d (v%d) total-vm:8kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n", i, 1000 + i, i);
	}
	k = parse_chunked(log.buf, log.len, 4096);
	assert_int_equal(klog_oom_count(k), KLOG_MAX_EVENTS + 500);
	klog_to_json(k, &json);
	klog_to_text(k, &text);
	expect_valid_json(&json);
	snprintf(want, sizeof(want), "\"oom_events_dropped\":%d", 500);
	assert_non_null(strstr(json.buf, want));
	snprintf(want, sizeof(want), "\"index\":%d,", KLOG_MAX_EVENTS - 1);
	assert_non_null(strstr(json.buf, want));
	snprintf(want, sizeof(want), "\"index\":%d,", KLOG_MAX_EVENTS);
	assert_null(strstr(json.buf, want));
	snprintf(want, sizeof(want), "\"index\":%d,", KLOG_MAX_EVENTS + 500);
	assert_non_null(strstr(json.buf, want));
	snprintf(want, sizeof(want), "\"comm\":\"v%d\"", KLOG_MAX_EVENTS + 499);
	assert_non_null(strstr(json.buf, want));
	assert_non_null(strstr(text.buf, "the first 999 and the last are shown"));
	klog_free(k);
	strbuf_release(&text);
	strbuf_release(&json);
	strbuf_release(&log);
}

/* ---- panics ---- */

static void test_panic_on_oom(void **state)
{
	static const char *const reasons[] = {
		"Out of memory: system-wide panic_on_oom is enabled",
		"Out of memory: compulsory panic_on_oom is enabled",
	};

	(void)state;
	for (size_t r = 0; r < 2; r++) {
		struct strbuf log = STRBUF_INIT;
		struct facts f = FACTS_INIT;

		/* panic_on_oom: dump_header, then panic; no victim */
		build_log(&log, mini, 9, "[    5.%06d] ", "\r\n");
		strbuf_addf(&log, "[    5.100000] Kernel panic - not syncing: %s\r\n", reasons[r]);
		strbuf_addstr(&log, "[    5.100001] CPU: 1 PID: 4242 Comm: stress Not tainted 6.1.0-26-amd64 #1\r\n");
		strbuf_addf(&log, "[    5.100009] ---[ end Kernel panic - not syncing: %s ]---\r\n", reasons[r]);
		facts_of(log.buf, log.len, 0, &f);
		expect(&f, "oom.count", "1");
		expect(&f, "panic", "1");
		expect(&f, "panic.oom", "1");
		expect(&f, "panic.count", "1");
		expect(&f, "panic.reason", reasons[r]);
		expect(&f, "oom.1.panic", "1");
		expect(&f, "oom.1.partial", "0");
		expect(&f, "oom.1.kills", "0");
		expect(&f, "oom.1.victim.pid", NULL);
		expect(&f, "oom.1.invoker", "stress");
		expect(&f, "oom.no_killable", "0");
		facts_release(&f);
		strbuf_release(&log);
	}
}

static void test_no_killable_panic(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	/* 4.19+: a warning, then "System is deadlocked on memory" */
	facts_of_str("[    2.000000] oomtest-init invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		     "[    2.000001] CPU: 0 PID: 1 Comm: oomtest-init Not tainted 6.1.0-26-amd64 #1\n"
		     "[    2.000002] Mem-Info:\n"
		     "[    2.000003] Tasks state (memory values in pages):\n"
		     "[    2.000004] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		     "[    2.000005] Out of memory and no killable processes...\n"
		     "[    2.000006] Kernel panic - not syncing: System is deadlocked on memory\n"
		     "[    2.000007] ---[ end Kernel panic - not syncing: System is deadlocked on memory ]---\n",
		     &f);
	expect(&f, "oom.count", "1");
	expect(&f, "oom.no_killable", "1");
	expect(&f, "oom.1.no_killable", "1");
	expect(&f, "oom.1.panic", "1");
	expect(&f, "oom.1.partial", "0");
	expect(&f, "oom.1.kills", "0");
	expect(&f, "oom.1.invoker_pid", "1");
	expect(&f, "oom.1.tasks", "0");
	expect(&f, "panic", "1");
	expect(&f, "panic.oom", "1");
	expect(&f, "panic.reason", "System is deadlocked on memory");
	facts_release(&f);

	/* 4.4-4.18: the panic itself says it */
	facts_of_str("init invoked oom-killer: gfp_mask=0x24200ca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0\n"
		     "Kernel panic - not syncing: Out of memory and no killable processes...\n"
		     "\n",
		     &f);
	expect(&f, "oom.no_killable", "1");
	expect(&f, "panic.oom", "1");
	expect(&f, "panic.reason", "Out of memory and no killable processes...");
	expect(&f, "oom.1.partial", "0");
	facts_release(&f);

	/* memcg OOM without a victim: no panic */
	facts_of_str("hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=-1000\n"
		     "memory: usage 512kB, limit 512kB, failcnt 9\n"
		     "Out of memory and no killable processes...\n",
		     &f);
	expect(&f, "oom.no_killable", "1");
	expect(&f, "panic", "0");
	expect(&f, "panic.oom", "0");
	expect(&f, "panic.reason", NULL);
	expect(&f, "oom.1.memcg_failcnt", "9");
	expect(&f, "oom.1.oom_score_adj", "-1000");
	facts_release(&f);

	/* a panic that has nothing to do with memory */
	facts_of_str("[    1.0] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n", &f);
	expect(&f, "panic", "1");
	expect(&f, "panic.oom", "0");
	expect(&f, "panic.reason", "VFS: Unable to mount root fs on unknown-block(0,0)");
	expect(&f, "oom.count", "0");
	facts_release(&f);
}

/* ---- allocation failures ---- */

static void test_alloc_failure(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	facts_of_str("[   12.000000] kworker/u2:1: page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0\n"
		     "[   12.000001] CPU: 0 PID: 33 Comm: kworker/u2:1 Not tainted 6.1.0-26-amd64 #1\n"
		     "[   12.000002] Call Trace:\n"
		     "[   12.000003] Mem-Info:\n"
		     "[   12.000004] active_anon:1 inactive_anon:2 isolated_anon:0\n"
		     "[   12.000005] Node 0 DMA32: 1*4kB (U) 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 4kB\n"
		     "[   13.000000] insmod: page allocation failure: order:10, mode:0xd0\n"
		     "sh: page allocation failure. order:1, mode:0x20\n",
		     &f);
	expect(&f, "oom.count", "0");
	expect(&f, "alloc_failure.count", "3");
	expect(&f, "alloc_failure.1.comm", "kworker/u2:1");
	expect(&f, "alloc_failure.1.order", "4");
	expect(&f, "alloc_failure.1.gfp_mask", "0x40cc0");
	expect(&f, "alloc_failure.1.gfp_flags", "GFP_KERNEL|__GFP_COMP");
	expect(&f, "alloc_failure.2.comm", "insmod");
	expect(&f, "alloc_failure.2.order", "10");
	expect(&f, "alloc_failure.2.gfp_mask", "0xd0");
	expect(&f, "alloc_failure.3.comm", "sh");
	expect(&f, "alloc_failure.3.order", "1");
	facts_release(&f);
}

/* ---- oops, BUG, WARNING ---- */

static void test_oops_bug_warning(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	facts_of_str("[    3.0] ------------[ cut here ]------------\n"
		     "[    3.1] WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:5534 __alloc_pages+0x2b1/0x2f0\n"
		     "[    3.2] BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
		     "[    3.3] #PF: supervisor read access in kernel mode\n"
		     "[    3.4] Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
		     "[    3.5] kernel BUG at mm/slub.c:321!\n"
		     "[    3.6] invalid opcode: 0000 [#2] PREEMPT SMP NOPTI\n"
		     "[    3.7] general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#3] SMP\n"
		     "[    3.8] Internal error: Oops: 805 [#4] PREEMPT ARM\n"
		     "[    3.9] WARNING: at kernel/foo.c:12 foo()\n"
		     "[    4.0] ---[ end trace 0000000000000000 ]---\n"
		     "[    4.1] usb 1-1: hub #1 [#2] is fine\n"
		     "Jan  1 00:00:00 host app[3]: Oops: 0000 [#1] SMP\n",
		     &f);
	expect(&f, "oops.count", "4");
	expect(&f, "bug.count", "2");
	expect(&f, "warning.count", "2");
	expect(&f, "oom.count", "0");
	expect(&f, "panic", "0");
	facts_release(&f);
}

/* ---- watchdogs: lockups, hung tasks, RCU stalls, old and new prefixes ---- */

static void test_watchdogs(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	facts_of_str("[   48.1] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [hog:93]\n"
		     "[   49.0] NMI watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [kswapd0:40]\n"
		     "[   50.0] NMI watchdog: Watchdog detected hard LOCKUP on cpu 1\n"
		     "[   50.1] Watchdog detected hard LOCKUP on cpu 0\n"
		     "[  242.0] INFO: task kworker/0:1:12 blocked for more than 120 seconds.\n"
		     "[  242.1]       Not tainted 6.1.0-50-amd64 #1 Debian 6.1.176-1\n"
		     "[  242.2] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.\n"
		     "[  300.0] rcu: INFO: rcu_preempt self-detected stall on CPU\n"
		     "[  301.0] INFO: rcu_sched detected stalls on CPUs/tasks:\n"
		     "[  302.0] INFO: task list is long\n"
		     "[  303.0] watchdog: enabled\n",
		     &f);
	expect(&f, "lockup.soft.count", "2");
	expect(&f, "lockup.hard.count", "2");
	expect(&f, "hung_task.count", "1");
	expect(&f, "rcu_stall.count", "2");
	expect(&f, "bug.count", "0");
	expect(&f, "oops.count", "0");
	facts_release(&f);
}

/* ---- an overlong line is cut, counted, and parsing goes on ---- */

static void test_overlong_line(void **state)
{
	struct strbuf log = STRBUF_INIT, big = STRBUF_INIT, json = STRBUF_INIT;
	struct facts fa = FACTS_INIT, fb = FACTS_INIT;
	const char *at;
	struct klog *k;

	(void)state;
	read_fixture("guest-6.1-serial.log", &log);
	facts_of(log.buf, log.len, 0, &fa);
	/* 1 MiB of junk as one line inside the first report's task table, and
	 * 200 KiB with no newline at the very end */
	at = strstr(log.buf, "[    2.345760] [     57]");
	assert_non_null(at);
	strbuf_add(&big, log.buf, (size_t)(at - log.buf));
	for (int i = 0; i < 1024 * 1024; i++)
		strbuf_addch(&big, (char)('A' + i % 26));
	strbuf_addstr(&big, "\r\n");
	strbuf_addstr(&big, at);
	for (int i = 0; i < 200 * 1024; i++)
		strbuf_addch(&big, 'x');
	for (size_t chunk = 0; chunk <= 4096; chunk += 4096) {
		k = parse_chunked(big.buf, big.len, chunk);
		klog_add_facts(k, &fb);
		strbuf_reset(&json);
		klog_to_json(k, &json);
		klog_free(k);
		assert_non_null(strstr(json.buf, "\"overlong_lines\":2"));
		expect_valid_json(&json);
		expect(&fb, "oom.count", "2");
		expect(&fb, "oom.1.victim.pid", "57");
		expect(&fb, "oom.1.tasks", "2");
		expect(&fb, "oom.1.partial", "0");
		expect(&fb, "oom.2.victim.pid", "63");
		expect(&fb, "oom.2.memcg_failcnt", "37");
		expect(&fb, "oom.1.buddy.DMA32.total_kb", "628");
		facts_release(&fb);
	}
	/* a kill line that goes on forever is still read */
	strbuf_reset(&big);
	strbuf_addstr(&big, "Out of memory: Killed process 77 (big) total-vm:8kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0");
	for (int i = 0; i < 100000; i++)
		strbuf_addstr(&big, " junk");
	strbuf_addstr(&big, "\nOut of memory: Killed process 78 (next) total-vm:8kB, anon-rss:4kB, file-rss:0kB\n");
	facts_of(big.buf, big.len, 1000, &fb);
	expect(&fb, "oom.count", "2");
	expect(&fb, "oom.1.victim.pid", "77");
	expect(&fb, "oom.1.victim.oom_score_adj", "0");
	expect(&fb, "oom.2.victim.pid", "78");
	expect(&fb, "oom.2.victim.shmem_rss_kb", NULL);
	facts_release(&fb);
	facts_release(&fa);
	strbuf_release(&json);
	strbuf_release(&big);
	strbuf_release(&log);
}

/* ---- text that quotes the kernel is not the kernel ---- */

static void test_quoted_kernel_text(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	facts_of_str("May 19 18:14:43 node node-problem-detector-startup.sh[4208]: I0519 18:14:43.767687 4208 log_monitor.go:159] New status generated: Reason:OOMKilling Message:Memory cgroup out of memory: Killed process 7788 (bash) total-vm:7169492kB, anon-rss:7165824kB, file-rss:956kB, shmem-rss:0kB, UID:0 pgtables:14076kB oom_score_adj:1000\n"
		     "May 19 18:14:44 node systemd[1]: Killed process 12 (x) total-vm:1kB, anon-rss:1kB, file-rss:0kB\n"
		     "May 19 18:14:45 node oomd[7]: bash invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		     "May 19 18:14:45 node logger: Out of memory: Killed process 1 (init) total-vm:1kB, anon-rss:1kB, file-rss:0kB\n"
		     "May 19 18:14:46 oomd[7]: Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled\n"
		     "2025-05-19T18:14:47.000000+00:00 node alertd[9]: Out of memory: Killed process 2 (y) total-vm:1kB, anon-rss:1kB, file-rss:0kB\n"
		     "2025-05-19T18:14:47+0000 node kubelet[11]: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),task=z,pid=3,uid=0\n"
		     "I0519 18:14:43.767687 4208 log_monitor.go:159] Memory cgroup out of memory: Killed process 7788 (bash)\n"
		     "[    9.000000] audit: comm=\"sh\" msg='Out of memory: Killed process 5 (sh)'\n"
		     "[    9.000001] oom_trigger: ran; Killed process count 0; sh invoked oom-killer: nothing\n"
		     "[    9.000002] some very long command name invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n",
		     &f);
	expect(&f, "oom.count", "0");
	expect(&f, "panic", "0");
	facts_release(&f);
}

/* ---- pr_cont: lines the console split ---- */

static void test_pr_cont_fragments(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	/* 4.11-4.14 print the header's nodemask with pr_cont */
	facts_of_str("[    1.0] a.out invoked oom-killer: gfp_mask=0x14280ca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), nodemask=\n"
		     "[    1.0] (null),  order=0, oom_score_adj=0\n"
		     "[    1.1] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/a,task_memcg=/a/b\n"
		     "[    1.1] ,task=a.out,pid=99,uid=0\n"
		     "[    1.2] Node 0 DMA32: 1*4kB (U) 2*8kB (M) 0*16kB 0*32kB \n"
		     "[    1.2] 0*64kB 0*128kB 1*256kB = 276kB\n"
		     "[    1.3] Memory cgroup out of memory: Killed process 99 (a.out) total-vm:10kB, anon-rss:8kB, file-rss:0kB, shmem-rss:0kB\n",
		     &f);
	expect(&f, "oom.count", "1");
	expect(&f, "oom.1.invoker", "a.out");
	expect(&f, "oom.1.gfp_mask", "0x14280ca");
	expect(&f, "oom.1.order", "0");
	expect(&f, "oom.1.oom_score_adj", "0");
	expect(&f, "oom.1.constraint", "CONSTRAINT_MEMCG");
	expect(&f, "oom.1.memcg", "/a");
	expect(&f, "oom.1.task_memcg", "/a/b");
	expect(&f, "oom.1.victim.uid", "0");
	expect(&f, "oom.1.victim.pid", "99");
	facts_release(&f);

	/* 4.9-4.10 nodemask on one line, commas in lists and cgroup names */
	facts_of_str("x invoked oom-killer: gfp_mask=0x24201ca(GFP_HIGHUSER_MOVABLE|__GFP_COLD), nodemask=0-1,3, order=2, oom_score_adj=-17\n"
		     "oom-kill:constraint=CONSTRAINT_MEMORY_POLICY,nodemask=0-1,3,cpuset=a,b,mems_allowed=0-3,global_oom,task_memcg=/we,ird,task=x,y,pid=7,uid=-1\n"
		     "Out of memory (oom_kill_allocating_task): Killed process 7 (x,y) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:-17\n",
		     &f);
	expect(&f, "oom.1.order", "2");
	expect(&f, "oom.1.oom_score_adj", "-17");
	expect(&f, "oom.1.nodemask", "0-1,3");
	expect(&f, "oom.1.cpuset", "a,b");
	expect(&f, "oom.1.mems_allowed", "0-3");
	expect(&f, "oom.1.constraint", "CONSTRAINT_MEMORY_POLICY");
	expect(&f, "oom.1.task_memcg", "/we,ird");
	expect(&f, "oom.1.memcg", NULL);
	expect(&f, "oom.1.victim.comm", "x,y");
	expect(&f, "oom.1.kill_kind", "allocating_task");
	facts_release(&f);
}

/* ---- odd report shapes ---- */

static void test_headerless_and_exiting(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	/* ratelimited: kill lines with no header; each is its own event */
	facts_of_str("Out of memory: Killed process 10 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:5 pgtables:0kB oom_score_adj:3\n"
		     "oom_reaper: reaped process 10 (a), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"
		     "Memory cgroup out of memory: Killed process 11 (b) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:5 pgtables:0kB oom_score_adj:3\n",
		     &f);
	expect(&f, "oom.count", "2");
	expect(&f, "oom.1.invoker", NULL);
	expect(&f, "oom.1.victim.pid", "10");
	expect(&f, "oom.1.victim.uid", "5");
	expect(&f, "oom.1.reaped", "1");
	expect(&f, "oom.1.partial", "0");
	expect(&f, "oom.2.victim.pid", "11");
	expect(&f, "oom.2.reaped", "0");
	expect(&f, "oom.2.kill_kind", "memcg");
	facts_release(&f);

	/* 5.9+: the chosen victim is already exiting; 3.x sharing mm */
	facts_of_str("a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		     "Memory cgroup out of memory: OOM victim 5 (b) is already exiting. Skip killing the task\n"
		     "c invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0\n"
		     "Out of memory: Kill process 6 (d) score 900 or sacrifice child\n"
		     "Killed process 6 (d) total-vm:4kB, anon-rss:4kB, file-rss:0kB\n"
		     "Kill process 8 (e) sharing same memory\n"
		     "oom_reaper: unable to reap pid:6 (d)\n",
		     &f);
	expect(&f, "oom.count", "2");
	expect(&f, "oom.1.victim_exiting", "5");
	expect(&f, "oom.1.kills", "0");
	expect(&f, "oom.1.partial", "0");
	expect(&f, "oom.2.kills", "2");
	expect(&f, "oom.2.victim.pid", "6");
	expect(&f, "oom.2.victim.score", "900");
	expect(&f, "oom.2.kill.2.pid", "8");
	expect(&f, "oom.2.reaped", "0");
	facts_release(&f);
}

/* ---- kernel 6.8+ task table, 6.12 CPU line, rsyslog #012, kmsg \x0a ---- */

static void test_newer_and_escaped_forms(void **state)
{
	struct facts f = FACTS_INIT;
	struct strbuf json = STRBUF_INIT;
	struct klog *k;
	const char *log =
		"4,100,5000,-;hog invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0\n"
		"4,101,5001,-;CPU: 2 UID: 0 PID: 77 Comm: hog Not tainted 6.12.9-amd64 #1 Debian 6.12.9-1\n"
		"4,102,5002,-;Mem-Info:\n"
		"4,103,5003,-;active_anon:1 inactive_anon:2 isolated_anon:0\\x0a active_file:3 inactive_file:4 isolated_file:0\\x0a free:55 free_pcp:0 free_cma:0\n"
		" SUBSYSTEM=memory\n"
		"6,104,5004,-;Tasks state (memory values in pages):\n"
		"6,105,5005,-;[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name\n"
		"6,106,5006,-;[     77]     0    77     1000      500      400      100        0    40960        0             0 hog\n"
		"6,107,5007,-;[     78]     0    78     1000      500      400      100        0    40960        0          -500 12 monkeys\n"
		"3,108,5008,-;Out of memory: Killed process 77 (hog) total-vm:4000kB, anon-rss:1600kB, file-rss:400kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0\n";

	(void)state;
	k = parse_chunked(log, strlen(log), 0);
	klog_add_facts(k, &f);
	klog_to_json(k, &json);
	klog_free(k);
	expect_valid_json(&json);
	expect(&f, "oom.1.invoker_pid", "77");
	expect(&f, "oom.1.free_pages", "55");
	expect(&f, "oom.1.tasks", "2");
	expect(&f, "oom.1.victim.file_rss_kb", "400");
	assert_non_null(strstr(json.buf, "\"rss_shmem\""));
	assert_non_null(strstr(json.buf, "\"12 monkeys\""));
	assert_non_null(strstr(json.buf, "\"inactive_file\":4"));
	facts_release(&f);
	strbuf_release(&json);
}

/* ---- JSON stays valid whatever the bytes ---- */

static void test_json_escaping(void **state)
{
	struct strbuf log = STRBUF_INIT, json = STRBUF_INIT;
	struct klog *k;

	(void)state;
	strbuf_addstr(&log, "[    1.0] a\"b\\c\x01\x7f invoked oom-killer: gfp_mask=0xcc0(GFP_\xff\xfe), order=0, oom_score_adj=0\n");
	strbuf_addstr(&log, "Out of memory: Killed process 1 (\t\x1b[31m\xc3(\") total-vm:1kB, anon-rss:1kB, file-rss:0kB\n");
	strbuf_addstr(&log, "Kernel panic - not syncing: \x02\x03\xe2\x82\n");
	strbuf_add(&log, "x\0y invoked oom-killer: gfp_mask=0x1, order=0, oom_score_adj=0\n", 60);
	k = parse_chunked(log.buf, log.len, 0);
	klog_to_json(k, &json);
	expect_valid_json(&json);
	assert_int_equal(klog_oom_count(k), 2);	/* the kill line ends the first */
	klog_free(k);
	strbuf_release(&json);
	strbuf_release(&log);
}

/* ---- the human summary names what matters ---- */

static void test_text_summary(void **state)
{
	struct strbuf log = STRBUF_INIT, text = STRBUF_INIT;
	struct klog *k;

	(void)state;
	read_fixture("guest-6.1-serial.log", &log);
	k = parse_chunked(log.buf, log.len, 0);
	klog_to_text(k, &text);
	klog_free(k);
	assert_non_null(strstr(text.buf, "OOM event 1 of 2"));
	assert_non_null(strstr(text.buf, "oomtest-init (pid 58)"));
	assert_non_null(strstr(text.buf, "killed: hog (pid 57"));
	assert_non_null(strstr(text.buf, "anon-rss 384 kB"));
	assert_non_null(strstr(text.buf, "memcg /hog"));
	assert_non_null(strstr(text.buf, "buddy Node 0 DMA32: 628 kB free"));
	strbuf_reset(&text);
	k = parse_chunked("nothing here\n", 13, 0);
	klog_to_text(k, &text);
	klog_free(k);
	assert_non_null(strstr(text.buf, "No OOM events"));
	strbuf_release(&text);
	strbuf_release(&log);
}

/* ---- oomtest parse: exit codes, stdin, JSON ---- */

/* Runs cmd_parse with stdout (and stderr) sent to a file, returns status. */
static int run_parse(const char *out_path, int argc, const char **argv)
{
	int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int saved_out = dup(1), saved_err = dup(2), rc;

	assert_true(fd >= 0 && saved_out >= 0 && saved_err >= 0);
	fflush(stdout);
	fflush(stderr);
	dup2(fd, 1);
	dup2(fd, 2);
	rc = cmd_parse(argc, (char **)argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	close(fd);
	return rc;
}

static void test_cmd_parse(void **state)
{
	char out[] = "/tmp/test_klog_outXXXXXX", empty[] = "/tmp/test_klog_emptyXXXXXX";
	int fd = mkstemp(out), efd = mkstemp(empty), saved_in;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_true(fd >= 0 && efd >= 0);
	close(fd);
	assert_int_equal(write(efd, "[ 1.0] hello\n", 13), 13);
	close(efd);

	const char *a1[] = { "parse", FIX "01-archlinux-6.1-global-doxygen.log" };
	assert_int_equal(run_parse(out, 2, a1), 0);
	assert_int_equal(strbuf_read_file(&sb, out), 0);
	assert_non_null(strstr(sb.buf, "doxygen (pid 473206)"));
	strbuf_reset(&sb);

	const char *a2[] = { "parse", empty };
	assert_int_equal(run_parse(out, 2, a2), 1);

	const char *a3[] = { "parse", "/nonexistent/log" };
	assert_int_equal(run_parse(out, 2, a3), 2);
	assert_int_equal(strbuf_read_file(&sb, out), 0);
	assert_non_null(strstr(sb.buf, "oomtest parse: /nonexistent/log: No such file or directory"));
	strbuf_reset(&sb);

	const char *a4[] = { "parse", "--help" };
	assert_int_equal(run_parse(out, 2, a4), 0);
	assert_int_equal(strbuf_read_file(&sb, out), 0);
	assert_non_null(strstr(sb.buf, "usage: oomtest parse"));
	strbuf_reset(&sb);

	const char *a5[] = { "parse", "--bogus", empty };
	assert_int_equal(run_parse(out, 3, a5), 2);
	const char *a6[] = { "parse" };
	assert_int_equal(run_parse(out, 1, a6), 2);

	const char *a7[] = { "parse", "--json", FIX "08-aks-5.15-memcg-v2-kubepods-oomgroup.log" };
	assert_int_equal(run_parse(out, 3, a7), 0);
	assert_int_equal(strbuf_read_file(&sb, out), 0);
	expect_valid_json(&sb);
	assert_non_null(strstr(sb.buf, "\"kill_count\":6"));
	strbuf_reset(&sb);

	const char *a8[] = { "parse", "--json", empty, FIX "guest-6.1-serial.log", "/nonexistent" };
	assert_int_equal(run_parse(out, 5, a8), 2);

	const char *a9[] = { "parse", "--json", empty, FIX "guest-6.1-serial.log" };
	assert_int_equal(run_parse(out, 4, a9), 0);
	assert_int_equal(strbuf_read_file(&sb, out), 0);
	expect_valid_json(&sb);
	strbuf_reset(&sb);

	/* "-" is stdin */
	saved_in = dup(0);
	fd = open(FIX "14-sle15-5.14-iso8601-printk-caller-fragment-2events.log", O_RDONLY);
	assert_true(fd >= 0 && saved_in >= 0);
	dup2(fd, 0);
	close(fd);
	const char *a10[] = { "parse", "--facts", "-" };
	assert_int_equal(run_parse(out, 3, a10), 0);
	dup2(saved_in, 0);
	close(saved_in);
	assert_int_equal(strbuf_read_file(&sb, out), 0);
	assert_non_null(strstr(sb.buf, "oom.count = 2\n"));
	assert_non_null(strstr(sb.buf, "oom.2.victim.comm = memeater-10522\n"));

	strbuf_release(&sb);
	unlink(out);
	unlink(empty);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_golden, (void *)"01-archlinux-6.1-global-doxygen.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"02-proxmox-5.15-lxc-memcg-v2-phpfpm.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"03-rhel7-3.10-global-numa-mysqld.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"04-ubuntu-5.13-sysrq-manual-oom.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"05-ubuntu-3.13-syslog-mysqld-nokilledline.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"06-cadvisor-3.13-mixed-dmesg-syslog-global.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"07-cadvisor-3.13-memcg-v1-syslog.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"08-aks-5.15-memcg-v2-kubepods-oomgroup.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"09-aks-5.15-memcg-v2-stressng-truncated2nd.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"12-blog-rhel7-3.10-memcg-v1-kubepods-sacrifice.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"14-sle15-5.14-iso8601-printk-caller-fragment-2events.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"15-devlog-armv5-2.6-global-noprefix.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-serial.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-x86_64-kmod-order0-backup.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-x86_64-kmod-order3-nobackup.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-x86_64-kmod-panic-on-oom.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-x86_64-memcg-v1-kill.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-x86_64-memcg-v1-oom-control.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-x86_64-memcg-panic-on-oom2.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-i386-kmod-order0-backup.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-i386-kmod-order3-nobackup.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-i386-kmod-panic-on-oom.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-i386-memcg-v1-kill.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-i386-memcg-v1-oom-control.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-i386-memcg-panic-on-oom2.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.12-x86_64-kmod-order0-backup.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.12-x86_64-kmod-order3-nobackup.log"),
		cmocka_unit_test(test_chunking),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_prefix_forms),
		cmocka_unit_test(test_two_events),
		cmocka_unit_test(test_many_events),
		cmocka_unit_test(test_panic_on_oom),
		cmocka_unit_test(test_no_killable_panic),
		cmocka_unit_test(test_alloc_failure),
		cmocka_unit_test(test_oops_bug_warning),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_quoted_kernel_text),
		cmocka_unit_test(test_pr_cont_fragments),
		cmocka_unit_test(test_headerless_and_exiting),
		cmocka_unit_test(test_newer_and_escaped_forms),
		cmocka_unit_test(test_watchdogs),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_text_summary),
		cmocka_unit_test(test_cmd_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
