/* Tests for guest/chan.c's choice of device: the kernel command line says
 * which one the agent channel is (oomtest.chan=NAME), else the second
 * serial port; and its single-console half: the baked plan's lines after
 * its key, the records as /dev/kmsg frames, one write each, which parse
 * under that key and join back into the record line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest/chan.h"
#include "proto/frame.h"

static void test_device(void **state)
{
	char dev[32];

	(void)state;
	assert_int_equal(chan_device("console=ttyS0,115200 loglevel=7 panic=-1\n", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "/dev/ttyS1");
	assert_int_equal(chan_device("", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "/dev/ttyS1");
	assert_int_equal(chan_device("console=ttyAMA0 oomtest.chan=hvc0 oomtest.payload=1\n", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "/dev/hvc0");
	/* the last one wins, as the kernel's own parameters */
	assert_int_equal(chan_device("oomtest.chan=ttyS1 x=1\toomtest.chan=hvc1", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "/dev/hvc1");
	/* a longer word is not it */
	assert_int_equal(chan_device("xoomtest.chan=hvc0 oomtest.channel=hvc0", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "/dev/ttyS1");
	/* no path outside /dev, nothing empty, nothing cut */
	assert_int_equal(chan_device("oomtest.chan=../sda", dev, sizeof(dev)), -1);
	assert_int_equal(chan_device("oomtest.chan=", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "/dev/ttyS1");
	assert_int_equal(chan_device("oomtest.chan=averyveryverylongdevicename0123456789", dev, sizeof(dev)), -1);
}

static void test_kmsg_frames(void **state)
{
	static const char plan[] = "key 000102030405060708090a0b0c0d0e0f\nrun a /bin/hog\r\n\nend\n";
	static const unsigned char key[SIPHASH_KEY_BYTES] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	char dev[32], *line, text[2100], got[8192];
	int fds[2];

	(void)state;
	assert_int_equal(chan_device("console=ttyS0 oomtest.chan=ttyS1 oomtest.chan=kmsg", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "/dev/kmsg");
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(chan_take_baked(fds[1], "key 0001\nend\n", 14), -1);
	assert_int_equal(chan_take_baked(fds[1], "run a\nend\n", 10), -1);
	assert_int_equal(chan_take_baked(fds[1], plan, sizeof(plan) - 1), 0);
	line = chan_read_line();
	assert_string_equal(line, "run a /bin/hog");
	free(line);
	line = chan_read_line();
	assert_string_equal(line, "");
	free(line);
	line = chan_read_line();
	assert_string_equal(line, "end");
	free(line);
	assert_null(chan_read_line());

	memset(text, 'z', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	send_rec("out", S("a"), S(text), NULL);
	send_rec("done", NULL);
	close(fds[1]);
	/* one read per write: a pipe keeps them apart when read slower */
	size_t n = 0;
	ssize_t r;
	while ((r = read(fds[0], got + n, sizeof(got) - n)) > 0)
		n += (size_t)r;
	close(fds[0]);

	char joined[4096] = "", *p = got, *end = got + n;
	unsigned long long want_seq = 0;
	int records = 0;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		struct frame f;
		assert_non_null(nl);
		assert_memory_equal(p, FRAME_KMSG_PRIORITY, 3);
		assert_true((size_t)(nl - p) <= 3 + FRAME_LINE_MAX);
		assert_int_equal(frame_parse(key, p + 3, (size_t)(nl - p - 3), &f), 0);
		assert_true(f.seq == want_seq++);
		strncat(joined, f.data, f.len);
		if (!f.more) {
			strcat(joined, "\n");
			records++;
		}
		p = nl + 1;
	}
	assert_int_equal(records, 2);
	assert_true(want_seq == 4); /* 2100 + "out a " bytes in three fragments, "done" in one */
	assert_int_equal(strncmp(joined, "out a zzz", 9), 0);
	assert_int_equal(strlen(joined), 6 + 2099 + 1 + 5);
	assert_string_equal(joined + 6 + 2099, "\ndone\n");
}

static const unsigned char hold_key[SIPHASH_KEY_BYTES] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

/* What is in the pipe now, as records ("\n" after each), the frames'
 * sequence numbers checked to go on from *seq. */
static char *records_in(int fd, unsigned long long *seq, size_t *len)
{
	size_t cap = 1 << 21, n = 0, at = 0, out = 0;
	char *raw = malloc(cap), *joined = malloc(cap);
	ssize_t r;

	assert_non_null(raw);
	assert_non_null(joined);
	while (n < cap && (r = read(fd, raw + n, cap - n)) > 0)
		n += (size_t)r;
	while (at < n) {
		char *nl = memchr(raw + at, '\n', n - at);
		struct frame f;

		assert_non_null(nl);
		assert_int_equal(frame_parse(hold_key, raw + at + 3, (size_t)(nl - (raw + at) - 3), &f), 0);
		assert_true(f.seq == *seq);
		(*seq)++;
		memcpy(joined + out, f.data, f.len);
		out += f.len;
		if (!f.more)
			joined[out++] = '\n';
		at = (size_t)(nl - raw) + 1;
	}
	free(raw);
	*len = out;
	return joined;
}

/* Held records stay back until the last release, then go out in order;
 * a hold that outgrows its buffer loses nothing and keeps the order. */
static void test_kmsg_hold(void **state)
{
	static const char plan[] = "key 000102030405060708090a0b0c0d0e0f\nend\n";
	static const char want[] = "start load 7\nsys 1\nmem load 2\nkmod m x\n";
	unsigned long long seq;
	size_t len;
	char *got, text[1001];
	int fds[2];

	(void)state;
	assert_int_equal(pipe2(fds, O_NONBLOCK), 0);
	assert_true(fcntl(fds[0], F_SETPIPE_SZ, 1 << 20) >= 1 << 20);
	assert_int_equal(chan_take_baked(fds[1], plan, sizeof(plan) - 1), 0);
	seq = 0;
	got = records_in(fds[0], &seq, &len);	/* what an earlier test left: nothing */
	free(got);
	seq = 0;
	send_rec("start", S("load"), S("7"), NULL);
	chan_hold();
	send_rec("sys", S("1"), NULL);
	chan_hold();
	send_rec("mem", S("load"), S("2"), NULL);
	chan_release();
	send_rec("kmod", S("m"), S("x"), NULL);
	got = records_in(fds[0], &seq, &len);
	assert_int_equal(len, strlen("start load 7\n"));
	free(got);
	chan_release();
	got = records_in(fds[0], &seq, &len);
	assert_int_equal(len, strlen(want) - strlen("start load 7\n"));
	assert_memory_equal(got, want + strlen("start load 7\n"), len);
	free(got);

	/* 400 records of 1000 bytes: more than the hold keeps */
	memset(text, 'q', 1000);
	text[1000] = '\0';
	chan_hold();
	for (int i = 0; i < 400; i++)
		send_rec("out", S("s"), S(text), NULL);
	chan_release();
	got = records_in(fds[0], &seq, &len);
	assert_int_equal(len, 400 * (strlen("out s ") + 1000 + 1));
	for (size_t i = 0; i < 400; i++)
		assert_memory_equal(got + i * 1007, "out s q", 7);
	free(got);
	close(fds[1]);
	close(fds[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device),
		cmocka_unit_test(test_kmsg_frames),
		cmocka_unit_test(test_kmsg_hold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
