/* Tests for proto/: the percent codec (codec.c) round-trips every byte,
 * writes "%-" for the empty field and decodes a '%' without two hex digits
 * as itself; the collector table (collect.c) knows each `collect` word and
 * refuses the rest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "proto/codec.h"
#include "proto/collect.h"
#include "proto/proto.h"

/* Decodes the C string in and checks the result is exactly want. */
static void check_decode(const char *in, const char *want, size_t wlen)
{
	char out[64];
	size_t n = proto_decode(out, in, strlen(in));

	if (n != wlen || memcmp(out, want, wlen))
		fail_msg("proto_decode(\"%s\"): got %zu bytes \"%.*s\", want %zu bytes \"%.*s\"", in, n, (int)n,
			 out, wlen, (int)wlen, want);
}

static void test_encode_each_byte(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++) {
		unsigned char in = (unsigned char)c;
		char out[8], want[8];
		size_t n = proto_encode(out, &in, 1);

		if (c == '%' || c <= 0x20 || c >= 0x7f)
			snprintf(want, sizeof(want), "%%%02X", c);
		else
			snprintf(want, sizeof(want), "%c", c);
		assert_int_equal(n, strlen(want));
		if (memcmp(out, want, n))
			fail_msg("byte 0x%02x encoded as \"%.*s\", want \"%s\"", c, (int)n, out, want);
		assert_int_equal(proto_needs_escape(in), n == 3);
		assert_int_equal(proto_decode(out, out, n), 1);
		assert_int_equal((unsigned char)out[0], c);
	}
}

static void test_round_trip_all_bytes(void **state)
{
	unsigned char raw[256];
	char enc[PROTO_ENCODED_MAX(sizeof(raw)) + 1], dec[sizeof(raw)];
	size_t n;

	(void)state;
	for (int i = 0; i < 256; i++)
		raw[i] = (unsigned char)(255 - i);
	memset(enc, '#', sizeof(enc));
	n = proto_encode(enc, raw, sizeof(raw));
	assert_true(n <= PROTO_ENCODED_MAX(sizeof(raw)));
	assert_int_equal(enc[n], '#'); /* nothing written past what it returned */
	/* a field never holds a space, a line end or another raw control byte */
	for (size_t i = 0; i < n; i++)
		assert_true((unsigned char)enc[i] > 0x20 && (unsigned char)enc[i] < 0x7f);
	assert_int_equal(proto_decode(dec, enc, n), sizeof(raw));
	assert_memory_equal(dec, raw, sizeof(raw));
}

static void test_empty_field(void **state)
{
	char out[4] = "###";

	(void)state;
	assert_int_equal(proto_encode(out, "", 0), 2);
	assert_memory_equal(out, "%-#", 3);
	assert_int_equal(PROTO_ENCODED_MAX(0), 2);
	check_decode("%-", "", 0);
	/* only the whole field "%-" is the empty one */
	check_decode("%-x", "%-x", 3);
	check_decode("a%-", "a%-", 3);
	check_decode("%25-", "%-", 2);
}

static void test_percent_without_hex(void **state)
{
	(void)state;
	check_decode("%", "%", 1);
	check_decode("ab%", "ab%", 3);
	check_decode("ab%4", "ab%4", 4);
	check_decode("%zz", "%zz", 3);
	check_decode("%2z", "%2z", 3);
	check_decode("%z2", "%z2", 3);
	check_decode("%%41", "%A", 2);
	check_decode("%4a%4A%00x", "JJ\0x", 4);
}

/* A field ends at its length, not at a NUL: fields are slices of a line. */
static void test_field_is_bounded(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(proto_decode(out, "%41 b", 2), 2);
	assert_memory_equal(out, "%4", 2);
	assert_int_equal(proto_decode(out, "%41 b", 3), 1);
	assert_int_equal(out[0], 'A');
	assert_int_equal(proto_decode(out, "%-x", 2), 0);
}

static void test_decode_in_place(void **state)
{
	char s[] = "a%20b%0A%25";

	(void)state;
	assert_int_equal(proto_decode(s, s, strlen(s)), 5);
	assert_memory_equal(s, "a b\n%", 5);
}

static void test_file_collectors(void **state)
{
	static const char *const words[] = { "buddyinfo", "meminfo", "vmstat" };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		const char *arg = "unset";
		char path[64];
		const struct proto_collector *c = proto_collector_find(words[i], &arg);

		assert_non_null(c);
		assert_int_equal(c->arg, PROTO_COLLECT_FILE);
		assert_null(arg);
		snprintf(path, sizeof(path), "/proc/%s", words[i]);
		assert_string_equal(c->path, path);
		assert_string_equal(c->kind, words[i]);
	}
}

static void test_named_collectors(void **state)
{
	const struct proto_collector *c;
	const char *arg = NULL;
	const char *word;

	(void)state;
	word = "cgroup:hog";
	c = proto_collector_find(word, &arg);
	assert_non_null(c);
	assert_int_equal(c->arg, PROTO_COLLECT_CGROUP);
	assert_string_equal(c->kind, "cgroup");
	assert_ptr_equal(arg, word + 7);
	assert_null(c->path);

	c = proto_collector_find("proc:eater", &arg);
	assert_non_null(c);
	assert_int_equal(c->arg, PROTO_COLLECT_STEP);
	assert_string_equal(c->kind, "proc");
	assert_string_equal(arg, "eater");

	/* everything after the first ':' is the name */
	c = proto_collector_find("cgroup:a:b", &arg);
	assert_non_null(c);
	assert_string_equal(arg, "a:b");
}

static void test_refused_words(void **state)
{
	static const char *const bad[] = {
		"cgroup:", "proc:", "cgroup", "proc", "buddyinfo:x", "meminfo:", "vmstat:1",
		"", ":", ":x", "foo", "foo:bar", "meminfoX", "memin", "Meminfo", "cgroups:x", "cgrou:x",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *arg = NULL;

		if (proto_collector_find(bad[i], &arg))
			fail_msg("collect word \"%s\" accepted", bad[i]);
	}
}

/* Every entry of the table is what its own word finds. */
static void test_table_consistent(void **state)
{
	size_t n = 0;

	(void)state;
	for (const struct proto_collector *c = proto_collectors; c->name; c++, n++) {
		char word[64];
		const char *arg;

		snprintf(word, sizeof(word), c->arg == PROTO_COLLECT_FILE ? "%s" : "%s:x", c->name);
		assert_ptr_equal(proto_collector_find(word, &arg), c);
		assert_non_null(c->kind);
		assert_int_equal(c->path != NULL, c->arg == PROTO_COLLECT_FILE);
	}
	assert_int_equal(n, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_each_byte),
		cmocka_unit_test(test_round_trip_all_bytes),
		cmocka_unit_test(test_empty_field),
		cmocka_unit_test(test_percent_without_hex),
		cmocka_unit_test(test_field_is_bounded),
		cmocka_unit_test(test_decode_in_place),
		cmocka_unit_test(test_file_collectors),
		cmocka_unit_test(test_named_collectors),
		cmocka_unit_test(test_refused_words),
		cmocka_unit_test(test_table_consistent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
