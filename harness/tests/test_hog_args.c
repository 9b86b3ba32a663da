/* Tests for apps/hog_args.c: the hog's options as the hog and the case
 * parser read them: defaults, sizes, overflow, unknown options, missing
 * values, a chunk over what a 32-bit malloc takes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "apps/hog_args.h"

#define ARGC(v) (sizeof(v) / sizeof((v)[0]))
#define NO_LIMIT 0xffffffffffffffffULL

static void test_defaults_and_values(void **state)
{
	(void)state;
	struct hog_args a;
	size_t bad = 99;
	char *none[] = { "hog" };
	char *all[] = { "hog", "--chunk", "1M", "--max", "96MiB", "--interval", "250",
			"--hold", "--name", "two words" };
	char *kib[] = { "hog", "--chunk", "128KiB", "--max", "0" };

	assert_int_equal(hog_args_parse(&a, ARGC(none), none, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_true(a.chunk == 128ULL << 10);
	assert_true(a.max == 0);
	assert_int_equal(a.interval_ms, 0);
	assert_int_equal(a.hold, 0);
	assert_null(a.name);
	assert_int_equal(a.help, 0);

	assert_int_equal(hog_args_parse(&a, ARGC(all), all, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_true(a.chunk == 1ULL << 20);
	assert_true(a.max == 96ULL << 20);
	assert_int_equal(a.interval_ms, 250);
	assert_int_equal(a.hold, 1);
	assert_string_equal(a.name, "two words");

	/* the sizes case files take, the hog takes too */
	assert_int_equal(hog_args_parse(&a, ARGC(kib), kib, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_true(a.chunk == 128ULL << 10);
	assert_true(a.max == 0);
}

static void test_help_stops(void **state)
{
	(void)state;
	struct hog_args a;
	size_t bad;
	char *v[] = { "hog", "--hold", "-h", "--bogus" };

	assert_int_equal(hog_args_parse(&a, ARGC(v), v, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_int_equal(a.help, 1);
}

static void expect_error(char **v, size_t n, unsigned long long limit, enum hog_args_error want,
			 size_t want_bad)
{
	struct hog_args a;
	size_t bad = 99;

	assert_int_equal(hog_args_parse(&a, n, v, limit, &bad), want);
	assert_int_equal(bad, want_bad);
	assert_non_null(hog_args_strerror(want));
}

static void test_errors(void **state)
{
	(void)state;
	char *unknown[] = { "hog", "--chunk", "1M", "--chunks", "1M" };
	char *positional[] = { "hog", "1M" };
	char *missing[] = { "hog", "--hold", "--max" };
	char *missing_name[] = { "hog", "--name" };
	char *suffix[] = { "hog", "--chunk", "12Q" };
	char *spaced[] = { "hog", "--chunk", "128 K" };
	char *negative[] = { "hog", "--max", "-1" };
	char *empty[] = { "hog", "--chunk", "" };
	char *zero[] = { "hog", "--chunk", "0" };
	char *interval_empty[] = { "hog", "--interval", "" };
	char *interval_neg[] = { "hog", "--interval", "-5" };
	char *interval_unit[] = { "hog", "--interval", "5s" };

	expect_error(unknown, ARGC(unknown), NO_LIMIT, HOG_ARGS_UNKNOWN, 3);
	expect_error(positional, ARGC(positional), NO_LIMIT, HOG_ARGS_UNKNOWN, 1);
	expect_error(missing, ARGC(missing), NO_LIMIT, HOG_ARGS_MISSING, 2);
	expect_error(missing_name, ARGC(missing_name), NO_LIMIT, HOG_ARGS_MISSING, 1);
	expect_error(suffix, ARGC(suffix), NO_LIMIT, HOG_ARGS_BAD_SIZE, 2);
	expect_error(spaced, ARGC(spaced), NO_LIMIT, HOG_ARGS_BAD_SIZE, 2);
	expect_error(negative, ARGC(negative), NO_LIMIT, HOG_ARGS_BAD_SIZE, 2);
	expect_error(empty, ARGC(empty), NO_LIMIT, HOG_ARGS_BAD_SIZE, 2);
	expect_error(zero, ARGC(zero), NO_LIMIT, HOG_ARGS_ZERO_CHUNK, 2);
	expect_error(interval_empty, ARGC(interval_empty), NO_LIMIT, HOG_ARGS_BAD_INTERVAL, 2);
	expect_error(interval_neg, ARGC(interval_neg), NO_LIMIT, HOG_ARGS_BAD_INTERVAL, 2);
	expect_error(interval_unit, ARGC(interval_unit), NO_LIMIT, HOG_ARGS_BAD_INTERVAL, 2);
}

static void test_overflow(void **state)
{
	(void)state;
	struct hog_args a;
	size_t bad;
	/* 2^64 - 1 bytes is a size; one more, or a suffix past it, is not */
	char *largest[] = { "hog", "--max", "18446744073709551615" };
	char *digits[] = { "hog", "--max", "18446744073709551616" };
	char *shift_g[] = { "hog", "--max", "17179869184G" };
	char *shift_k[] = { "hog", "--chunk", "18014398509481984K" };
	char *biggest_g[] = { "hog", "--max", "17179869183G" };
	char *interval[] = { "hog", "--interval", "99999999999999999999" };

	assert_int_equal(hog_args_parse(&a, ARGC(largest), largest, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_true(a.max == NO_LIMIT);
	assert_int_equal(hog_args_parse(&a, ARGC(biggest_g), biggest_g, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_true(a.max == 17179869183ULL << 30);
	expect_error(digits, ARGC(digits), NO_LIMIT, HOG_ARGS_BAD_SIZE, 2);
	expect_error(shift_g, ARGC(shift_g), NO_LIMIT, HOG_ARGS_BAD_SIZE, 2);
	expect_error(shift_k, ARGC(shift_k), NO_LIMIT, HOG_ARGS_BAD_SIZE, 2);
	expect_error(interval, ARGC(interval), NO_LIMIT, HOG_ARGS_BAD_INTERVAL, 2);
}

/* On i386 malloc takes a 32-bit size: a larger chunk is refused, not cut. */
static void test_chunk_limit(void **state)
{
	(void)state;
	struct hog_args a;
	size_t bad;
	char *fits[] = { "hog", "--chunk", "4294967295" };
	char *over[] = { "hog", "--chunk", "4G" };
	char *max_over[] = { "hog", "--max", "8G" };
	char *small_limit[] = { "hog", "--chunk", "2M" };

	assert_int_equal(hog_args_parse(&a, ARGC(fits), fits, HOG_GUEST_SIZE_MAX, &bad), HOG_ARGS_OK);
	assert_true(a.chunk == 0xffffffffULL);
	expect_error(over, ARGC(over), HOG_GUEST_SIZE_MAX, HOG_ARGS_CHUNK_TOO_BIG, 2);
	assert_int_equal(hog_args_parse(&a, ARGC(over), over, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_true(a.chunk == 4ULL << 30);
	/* the total is not one malloc */
	assert_int_equal(hog_args_parse(&a, ARGC(max_over), max_over, HOG_GUEST_SIZE_MAX, &bad), HOG_ARGS_OK);
	expect_error(small_limit, ARGC(small_limit), 1ULL << 20, HOG_ARGS_CHUNK_TOO_BIG, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_values),
		cmocka_unit_test(test_help_stops),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_chunk_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
