/* Tests for run/deframe.c: the agent's frames come out of a console stream
 * fed in any chunking, the kernel's lines between them stay byte for byte;
 * a line with another key, a repeated or lost fragment, a record the log
 * ends inside and a too-long frame-like line are problems whose lines stay
 * in the console; a console line that cannot be a frame goes on before its
 * newline. Golden files: two captured from real single-console runs
 * (x86_64, arm64), and one made up by the frame code with the key 00..0f. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/deframe.h"

static const unsigned char key[SIPHASH_KEY_BYTES] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

struct out {
	struct strbuf console, records;
};

static void on_console(void *ctx, const char *p, size_t n)
{
	strbuf_add(&((struct out *)ctx)->console, p, n);
}

static void on_record(void *ctx, const char *line, size_t n)
{
	struct out *o = ctx;

	strbuf_add(&o->records, line, n);
	strbuf_addch(&o->records, '\n');
}

static void start(struct deframe *d, struct out *o, const unsigned char *k)
{
	const struct deframe_sink sink = { on_console, on_record, o };

	strbuf_init(&o->console);
	strbuf_init(&o->records);
	deframe_init(d, k, &sink);
}

static void finish(struct deframe *d, struct out *o)
{
	deframe_release(d);
	strbuf_release(&o->console);
	strbuf_release(&o->records);
}

/* The console lines the agent's record makes, from fragment *seq on. */
static void add_frames(struct strbuf *s, const unsigned char *k, unsigned long long *seq, const char *rec,
		       const char *between)
{
	const char *p = rec;
	size_t n = strlen(rec);

	while (n) {
		char line[FRAME_LINE_MAX];
		size_t c = frame_cut(p, n), len = frame_format(line, k, (*seq)++, c < n, p, c);
		strbuf_addf(s, "[%5llu.%06llu] %.*s\r\n", *seq, *seq * 7, (int)len, line);
		p += c;
		n -= c;
		if (n && between)
			strbuf_addstr(s, between);
	}
}

static void feed_str(struct deframe *d, const char *s)
{
	deframe_feed(d, s, strlen(s));
}

static void test_round_trip_any_chunking(void **state)
{
	static const char *const kernel[] = {
		"[    0.000000] Linux version 6.1.0-28-amd64\r\n",
		"[    1.234567] hog invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0\r\n",
		"no time prefix at all\r\n",
		"[    2.000001] Out of memory: Killed process 123 (hog) total-vm:1000kB\r\n",
		"[    2.5] oomtest-init: exec x: not found\n",
		"[    3.000000] [  T1] oomtest is a word the kernel may say, oomtest: too\r\n",
	};
	struct strbuf stream = STRBUF_INIT, long_rec = STRBUF_INIT, want_console = STRBUF_INIT,
		      want_records = STRBUF_INIT;
	unsigned long long seq = 0;

	(void)state;
	strbuf_addstr(&long_rec, "out 1 ");
	for (int i = 0; i < 2600; i++)
		strbuf_addch(&long_rec, "ab%20c d"[i % 8]);
	const char *records[] = { "ready 1 6.1.0-28-amd64 x86_64 1", long_rec.buf, "sys 50 1000 2000 300 4 0",
				  "done" };
	for (size_t i = 0; i < 4; i++) {
		strbuf_addstr(&stream, kernel[i]);
		strbuf_addstr(&want_console, kernel[i]);
		/* a kernel line between the fragments of one record */
		add_frames(&stream, key, &seq, records[i], i == 1 ? kernel[5] : NULL);
		if (i == 1) {
			for (int f = 0; f < 3; f++)
				strbuf_addstr(&want_console, kernel[5]);
		}
		strbuf_addf(&want_records, "%s\n", records[i]);
	}
	strbuf_addstr(&stream, kernel[4]);
	strbuf_addstr(&want_console, kernel[4]);
	for (unsigned seed = 1; seed <= 300; seed++) {
		struct deframe d;
		struct out o;

		start(&d, &o, key);
		srand(seed);
		for (size_t at = 0; at < stream.len;) {
			size_t n = 1 + (size_t)rand() % (seed % 3 ? 40 : 2000);
			if (n > stream.len - at)
				n = stream.len - at;
			deframe_feed(&d, stream.buf + at, n);
			at += n;
		}
		deframe_end(&d);
		assert_string_equal(o.console.buf, want_console.buf);
		assert_string_equal(o.records.buf, want_records.buf);
		assert_true(d.problems == 0);
		assert_true(d.records == 4);
		assert_string_equal(d.errors.buf, "");
		finish(&d, &o);
	}
	strbuf_release(&stream);
	strbuf_release(&long_rec);
	strbuf_release(&want_console);
	strbuf_release(&want_records);
}

static void test_forged_key(void **state)
{
	unsigned char other[SIPHASH_KEY_BYTES];
	struct strbuf s = STRBUF_INIT;
	unsigned long long seq = 0, forged_seq = 1;
	struct deframe d;
	struct out o;

	(void)state;
	memcpy(other, key, sizeof(other));
	other[0] = 0xff;
	add_frames(&s, key, &seq, "ready 1 6.1 x86_64 0", NULL);
	size_t forged_at = s.len;
	add_frames(&s, other, &forged_seq, "done", NULL);
	size_t forged_end = s.len;
	add_frames(&s, key, &seq, "start 1 77", NULL);
	start(&d, &o, key);
	deframe_feed(&d, s.buf, s.len);
	deframe_end(&d);
	assert_string_equal(o.records.buf, "ready 1 6.1 x86_64 0\nstart 1 77\n");
	/* the forged line stays where it was */
	assert_int_equal(o.console.len, forged_end - forged_at);
	assert_memory_equal(o.console.buf, s.buf + forged_at, o.console.len);
	assert_true(d.problems == 1);
	assert_non_null(strstr(d.errors.buf, "forged"));
	assert_non_null(strstr(d.errors.buf, "oomtest:"));
	finish(&d, &o);
	strbuf_release(&s);
}

static void test_lost_and_repeated(void **state)
{
	struct strbuf s = STRBUF_INIT, big = STRBUF_INIT, again = STRBUF_INIT;
	unsigned long long seq = 0;
	struct deframe d;
	struct out o;

	(void)state;
	strbuf_addstr(&big, "out 1 ");
	for (int i = 0; i < 2000; i++)
		strbuf_addch(&big, 'x');
	add_frames(&s, key, &seq, "ready 1 6.1 x86_64 0", NULL);
	size_t keep = s.len;
	add_frames(&s, key, &seq, big.buf, NULL); /* frames 1, 2, 3 */
	/* frame 1 lost: 2 and 3 are the rest of a record whose start is gone */
	const char *second = memchr(s.buf + keep, '\n', s.len - keep) + 1;
	strbuf_add(&again, s.buf, keep);
	strbuf_add(&again, second, (size_t)(s.buf + s.len - second));
	add_frames(&again, key, &seq, "done", NULL); /* frame 4 */
	/* frame 4 once more */
	const char *last = again.buf + again.len - 1;
	while (last > again.buf && last[-1] != '\n')
		last--;
	strbuf_add(&again, last, (size_t)(again.buf + again.len - last));
	start(&d, &o, key);
	deframe_feed(&d, again.buf, again.len);
	deframe_end(&d);
	assert_string_equal(o.records.buf, "ready 1 6.1 x86_64 0\ndone\n");
	assert_true(d.problems == 2);
	assert_non_null(strstr(d.errors.buf, "frames 1 to 1 never came"));
	assert_non_null(strstr(d.errors.buf, "agent frame 4 came again"));
	/* the orphaned fragments and the repeat stay in the console */
	assert_int_equal(strstr(o.console.buf, " 2 + ") != NULL, 1);
	assert_int_equal(strstr(o.console.buf, " 3 . ") != NULL, 1);
	assert_int_equal(strstr(o.console.buf, " 4 . done") != NULL, 1);
	finish(&d, &o);
	strbuf_release(&s);
	strbuf_release(&big);
	strbuf_release(&again);
}

static void test_log_ends_inside_a_record(void **state)
{
	struct strbuf s = STRBUF_INIT, big = STRBUF_INIT;
	unsigned long long seq = 0;
	struct deframe d;
	struct out o;

	(void)state;
	strbuf_addstr(&big, "out 1 ");
	for (int i = 0; i < 1000; i++)
		strbuf_addch(&big, 'y');
	add_frames(&s, key, &seq, big.buf, NULL);
	/* the last fragment never came, and the console's last line is cut */
	const char *last = s.buf + s.len - 1;
	while (last > s.buf && last[-1] != '\n')
		last--;
	s.len = (size_t)(last - s.buf);
	strbuf_addstr(&s, "[    9.000000] Kernel panic - not syncing");
	start(&d, &o, key);
	deframe_feed(&d, s.buf, s.len);
	deframe_end(&d);
	assert_string_equal(o.records.buf, "");
	assert_string_equal(o.console.buf, "[    9.000000] Kernel panic - not syncing");
	assert_true(d.problems == 1);
	assert_non_null(strstr(d.errors.buf, "ended inside an agent record (frame 0 said more follows)"));
	finish(&d, &o);
	strbuf_release(&s);
	strbuf_release(&big);
}

static void test_passes_other_lines_early(void **state)
{
	struct deframe d;
	struct out o;

	(void)state;
	start(&d, &o, key);
	feed_str(&d, "[    1.0] hel");
	/* "[    1.0] hel" cannot become a frame: it is on its way */
	assert_string_equal(o.console.buf, "[    1.0] hel");
	feed_str(&d, "lo\n[    2.0] oomt");
	assert_string_equal(o.console.buf, "[    1.0] hello\n");
	feed_str(&d, "est:");
	assert_string_equal(o.console.buf, "[    1.0] hello\n");
	/* a frame-like line too long to be one */
	for (int i = 0; i < 100; i++)
		feed_str(&d, "0123456789");
	assert_true(d.problems == 1);
	assert_non_null(strstr(d.errors.buf, "too long"));
	assert_non_null(strstr(o.console.buf, "[    2.0] oomtest:0123"));
	feed_str(&d, "\n");
	deframe_end(&d);
	assert_int_equal(o.console.len, 16 + 10 + 8 + 1000 + 1);
	finish(&d, &o);
}

static void test_frame_start(void **state)
{
	size_t at = 99;

	(void)state;
	assert_int_equal(deframe_frame_start("oomtest:", 8, &at), 1);
	assert_int_equal(at, 0);
	assert_int_equal(deframe_frame_start("[   12.345678] oomtest:x", 24, &at), 1);
	assert_int_equal(at, 15);
	assert_int_equal(deframe_frame_start("[   12.345678] [    T1] oomtest:", 32, &at), 1);
	assert_int_equal(at, 24);
	assert_int_equal(deframe_frame_start("[   12.345678] oomtes", 21, &at), -1);
	assert_int_equal(deframe_frame_start("[   12.3456", 11, &at), -1);
	assert_int_equal(deframe_frame_start("[   12.345678]oomtest:", 22, &at), 0);
	assert_int_equal(deframe_frame_start("[a] [b] [c] [d] oomtest:", 24, &at), 0);
	assert_int_equal(deframe_frame_start("[x/y] oomtest:", 14, &at), 0);
	assert_int_equal(deframe_frame_start(" oomtest:", 9, &at), 0);
	assert_int_equal(deframe_frame_start("", 0, &at), -1);
}

static void read_fixture(struct strbuf *sb, const char *name)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "fixtures/deframe/%s", name);
	assert_int_equal(strbuf_read_file(sb, p.buf), 0);
	strbuf_release(&p);
}

/* name.log is a console stream, name.log.key the run's key (hex),
 * name.log.console and name.log.records what deframing must give. */
static void check_golden(const char *name, const unsigned char *k)
{
	struct strbuf path = STRBUF_INIT, log = STRBUF_INIT, console = STRBUF_INIT, records = STRBUF_INIT;
	struct deframe d;
	struct out o;

	read_fixture(&log, name);
	strbuf_addf(&path, "%s.console", name);
	read_fixture(&console, path.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s.records", name);
	read_fixture(&records, path.buf);
	start(&d, &o, k);
	deframe_feed(&d, log.buf, log.len);
	deframe_end(&d);
	assert_string_equal(d.errors.buf, "");
	assert_string_equal(o.console.buf, console.buf);
	assert_string_equal(o.records.buf, records.buf);
	finish(&d, &o);
	strbuf_release(&path);
	strbuf_release(&log);
	strbuf_release(&console);
	strbuf_release(&records);
}

/* Written by the frame code with the key 00..0f around real records. */
static void test_golden_made_up(void **state)
{
	(void)state;
	check_golden("made-up-x86_64-console.log", key);
}

/* Captured from real single-console runs: the raw console stream, and the
 * console.log and agent.log the runner wrote from it. */
static void test_golden_real(void **state)
{
	static const char *const names[] = { "x86_64-memcg-v2-max-kill.log", "arm64-kmod-order3-nobackup.log" };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct strbuf path = STRBUF_INIT, hex = STRBUF_INIT;
		unsigned char k[SIPHASH_KEY_BYTES];

		strbuf_addf(&path, "%s.key", names[i]);
		read_fixture(&hex, path.buf);
		while (hex.len && hex.buf[hex.len - 1] == '\n')
			hex.buf[--hex.len] = '\0';
		assert_int_equal(frame_key_parse(k, hex.buf, hex.len), 0);
		check_golden(names[i], k);
		strbuf_release(&path);
		strbuf_release(&hex);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_any_chunking), cmocka_unit_test(test_forged_key),
		cmocka_unit_test(test_lost_and_repeated),       cmocka_unit_test(test_log_ends_inside_a_record),
		cmocka_unit_test(test_passes_other_lines_early), cmocka_unit_test(test_frame_start),
		cmocka_unit_test(test_golden_made_up), cmocka_unit_test(test_golden_real),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
