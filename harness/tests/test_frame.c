/* Tests for proto/frame.c and proto/siphash.c: SipHash-2-4 gives the
 * paper's test vectors; a fragment line formats as "oomtest:TAG SEQ FLAG
 * DATA" and parses back; a changed byte, another key, a bad SEQ or FLAG,
 * no data or too much are refused; records are cut into fragments of at
 * most FRAME_DATA_MAX bytes that neither begin nor end with a space. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "proto/frame.h"
#include "proto/siphash.h"

static const unsigned char key[SIPHASH_KEY_BYTES] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

static void test_siphash_vectors(void **state)
{
	unsigned char msg[64];

	(void)state;
	for (int i = 0; i < 64; i++)
		msg[i] = (unsigned char)i;
	/* the reference implementation's vectors.h: key 00..0f, message 00..(n-1) */
	assert_true(siphash24(key, msg, 0) == 0x726fdb47dd0e0e31ull);
	assert_true(siphash24(key, msg, 1) == 0x74f839c593dc67fdull);
	assert_true(siphash24(key, msg, 7) == 0xab0200f58b01d137ull);
	assert_true(siphash24(key, msg, 8) == 0x93f5f5799a932462ull);
	/* the paper's example: 15 bytes */
	assert_true(siphash24(key, msg, 15) == 0xa129ca6149be45e5ull);
	assert_true(siphash24(key, msg, 63) == 0x958a324ceb064572ull);
}

static void test_format_parse(void **state)
{
	char line[FRAME_LINE_MAX];
	struct frame f;
	size_t n;

	(void)state;
	n = frame_format(line, key, 0, 0, "ready 1 6.1.0 x86_64 1", 22);
	assert_true(n > FRAME_PREFIX_LEN + FRAME_TAG_HEX);
	assert_memory_equal(line, "oomtest:", 8);
	assert_int_equal(line[8 + 16], ' ');
	assert_memory_equal(line + 25, "0 . ready 1 6.1.0 x86_64 1", n - 25);
	assert_int_equal(frame_parse(key, line, n, &f), 0);
	assert_true(f.seq == 0);
	assert_int_equal(f.more, 0);
	assert_int_equal(f.len, 22);
	assert_memory_equal(f.data, "ready 1 6.1.0 x86_64 1", 22);

	n = frame_format(line, key, 18446744073709551615ull, 1, "x", 1);
	assert_int_equal(frame_parse(key, line, n, &f), 0);
	assert_true(f.seq == 18446744073709551615ull);
	assert_int_equal(f.more, 1);
}

static void test_parse_refuses(void **state)
{
	unsigned char other[SIPHASH_KEY_BYTES];
	char line[FRAME_LINE_MAX + 8];
	struct frame f;
	size_t n;

	(void)state;
	n = frame_format(line, key, 42, 1, "out 1 hello", 11);
	memcpy(other, key, sizeof(other));
	other[15] ^= 1;
	assert_int_equal(frame_parse(other, line, n, &f), -1);
	for (size_t i = 0; i < n; i++) {
		line[i] ^= 0x20;
		assert_int_equal(frame_parse(key, line, n, &f), -1);
		line[i] ^= 0x20;
	}
	assert_int_equal(frame_parse(key, line, n, &f), 0);
	/* cut short anywhere */
	for (size_t i = 0; i < n; i++)
		assert_int_equal(frame_parse(key, line, i, &f), -1);
	/* leading zeros, no data, a SEQ past 64 bits: never what the agent writes */
	static const char *const bad[] = { "oomtest:0000000000000000 042 + x", "oomtest:0000000000000000 1 . ",
					   "oomtest:0000000000000000 99999999999999999999 . x",
					   "oomtest:0000000000000000 1 * x", "oomtest:00000000000000001 . x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(frame_parse(key, bad[i], strlen(bad[i]), &f), -1);
	/* more data than a fragment holds */
	char big[FRAME_DATA_MAX + 1];
	memset(big, 'a', sizeof(big));
	char longline[FRAME_LINE_MAX + 16];
	n = frame_format(longline, key, 1, 0, big, FRAME_DATA_MAX);
	assert_int_equal(frame_parse(key, longline, n, &f), 0);
	assert_true(n <= FRAME_LINE_MAX);
}

static void test_key_parse(void **state)
{
	unsigned char k[SIPHASH_KEY_BYTES];

	(void)state;
	assert_int_equal(frame_key_parse(k, "000102030405060708090a0B0c0d0e0f", 32), 0);
	assert_memory_equal(k, key, sizeof(k));
	assert_int_equal(frame_key_parse(k, "000102030405060708090a0b0c0d0e0", 31), -1);
	assert_int_equal(frame_key_parse(k, "000102030405060708090a0b0c0d0e0g", 32), -1);
}

static void test_cut(void **state)
{
	char rec[3000];

	(void)state;
	assert_int_equal(frame_cut("out 1 x", 7), 7);
	/* fields of 1 to 9 bytes: no fragment ends or begins with a space */
	for (size_t i = 0, field = 1, in_field = 0; i < sizeof(rec); i++) {
		if (in_field == field) {
			rec[i] = ' ';
			field = field % 9 + 1;
			in_field = 0;
		} else {
			rec[i] = 'a';
			in_field++;
		}
	}
	for (int one = 0; one < 2; one++) {
		for (size_t shift = 0; shift < 4; shift++) {
			const char *p = rec + shift;
			size_t left = sizeof(rec) - 1 - shift, total = 0;
			while (left) {
				size_t c = frame_cut(p, left);
				assert_true(c >= 1 && c <= FRAME_DATA_MAX);
				if (c < left && !one) {
					assert_true(p[c - 1] != ' ');
					assert_true(p[c] != ' ');
				}
				if (c < left && one)
					assert_int_equal(c, FRAME_DATA_MAX);
				p += c;
				left -= c;
				total += c;
			}
			assert_int_equal(total, sizeof(rec) - 1 - shift);
		}
		/* fields of one byte each: no such place, the fragments are full */
		for (size_t i = 0; i < sizeof(rec); i++)
			rec[i] = i % 2 ? ' ' : 'a';
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vectors), cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_parse_refuses), cmocka_unit_test(test_key_parse), cmocka_unit_test(test_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
