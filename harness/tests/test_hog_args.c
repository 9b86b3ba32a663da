/* Tests for apps/hog_args.c: the hog's options as the hog and the case
 * parser read them: defaults, sizes, overflow, unknown options, missing
 * values, a chunk over what a 32-bit malloc takes, the kinds of memory and
 * the thp chunk rounded up to whole huge pages. */
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
	assert_int_equal(a.kind, HOG_KIND_ANON);
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

/* --max N% is a share of MemTotal, read in the guest: the parser keeps N. */
static void test_max_percent(void **state)
{
	(void)state;
	struct hog_args a;
	size_t bad;
	char *half[] = { "hog", "--max", "45%", "--hold" };
	char *most[] = { "hog", "--max", "1000%" };
	char *size_after[] = { "hog", "--max", "50%", "--max", "96M" };
	char *too_many[] = { "hog", "--max", "1001%" };
	char *zero[] = { "hog", "--max", "0%" };
	char *bare[] = { "hog", "--max", "%" };
	char *fraction[] = { "hog", "--max", "4.5%" };
	char *suffix[] = { "hog", "--max", "45M%" };
	char *twice[] = { "hog", "--max", "45%%" };
	char *huge[] = { "hog", "--max", "99999999999999999999%" };

	assert_int_equal(hog_args_parse(&a, ARGC(half), half, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_int_equal(a.max_percent, 45);
	assert_true(a.max == 0);
	assert_int_equal(a.hold, 1);
	assert_int_equal(hog_args_parse(&a, ARGC(most), most, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_int_equal(a.max_percent, 1000);
	/* the last --max wins, whichever form */
	assert_int_equal(hog_args_parse(&a, ARGC(size_after), size_after, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_int_equal(a.max_percent, 0);
	assert_true(a.max == 96ULL << 20);
	expect_error(too_many, ARGC(too_many), NO_LIMIT, HOG_ARGS_BAD_PERCENT, 2);
	expect_error(zero, ARGC(zero), NO_LIMIT, HOG_ARGS_BAD_PERCENT, 2);
	expect_error(bare, ARGC(bare), NO_LIMIT, HOG_ARGS_BAD_PERCENT, 2);
	expect_error(fraction, ARGC(fraction), NO_LIMIT, HOG_ARGS_BAD_PERCENT, 2);
	expect_error(suffix, ARGC(suffix), NO_LIMIT, HOG_ARGS_BAD_PERCENT, 2);
	expect_error(twice, ARGC(twice), NO_LIMIT, HOG_ARGS_BAD_PERCENT, 2);
	expect_error(huge, ARGC(huge), NO_LIMIT, HOG_ARGS_BAD_PERCENT, 2);
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

static void test_kinds(void **state)
{
	(void)state;
	static const struct {
		const char *word;
		enum hog_kind kind;
	} kinds[] = {
		{ "anon", HOG_KIND_ANON },
		{ "shmem", HOG_KIND_SHMEM },
		{ "mlock", HOG_KIND_MLOCK },
		{ "thp", HOG_KIND_THP },
		{ "file", HOG_KIND_FILE },
	};
	struct hog_args a;
	size_t bad = 99;

	for (size_t i = 0; i < ARGC(kinds); i++) {
		char *v[] = { "hog", "--kind", (char *)kinds[i].word, "--max", "8M" };

		assert_int_equal(hog_args_parse(&a, ARGC(v), v, NO_LIMIT, &bad), HOG_ARGS_OK);
		assert_int_equal(bad, 0);
		assert_int_equal(a.kind, kinds[i].kind);
		assert_true(a.max == 8ULL << 20);
		assert_string_equal(hog_kind_name(a.kind), kinds[i].word);
	}
	assert_string_equal(hog_kind_name((enum hog_kind)99), "unknown");
}

/* file: the case's disk unless --dir names another directory */
static void test_file_dir(void **state)
{
	(void)state;
	struct hog_args a;
	size_t bad;
	char *deflt[] = { "hog", "--kind", "file", "--max", "64M" };
	char *dir[] = { "hog", "--dir", "/tmp", "--kind", "file" };
	char *missing[] = { "hog", "--kind", "file", "--dir" };

	assert_int_equal(hog_args_parse(&a, ARGC(deflt), deflt, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_string_equal(a.dir, HOG_FILE_DIR);
	assert_string_equal(a.dir, "/mnt/disk");
	assert_int_equal(hog_args_parse(&a, ARGC(dir), dir, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_string_equal(a.dir, "/tmp");
	assert_int_equal(a.kind, HOG_KIND_FILE);
	expect_error(missing, ARGC(missing), NO_LIMIT, HOG_ARGS_MISSING, 3);
}

/* Only thp rounds; every other kind keeps the chunk to the byte. */
static void test_kind_keeps_chunk(void **state)
{
	(void)state;
	struct hog_args a;
	size_t bad;
	char *shmem[] = { "hog", "--chunk", "1000", "--kind", "shmem" };
	char *mlock[] = { "hog", "--kind", "mlock", "--chunk", "4294967295" };
	char *last_wins[] = { "hog", "--kind", "thp", "--chunk", "1000", "--kind", "anon" };

	assert_int_equal(hog_args_parse(&a, ARGC(shmem), shmem, HOG_GUEST_SIZE_MAX, &bad), HOG_ARGS_OK);
	assert_int_equal(a.kind, HOG_KIND_SHMEM);
	assert_true(a.chunk == 1000);
	assert_int_equal(hog_args_parse(&a, ARGC(mlock), mlock, HOG_GUEST_SIZE_MAX, &bad), HOG_ARGS_OK);
	assert_int_equal(a.kind, HOG_KIND_MLOCK);
	assert_true(a.chunk == 0xffffffffULL);
	assert_int_equal(hog_args_parse(&a, ARGC(last_wins), last_wins, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_int_equal(a.kind, HOG_KIND_ANON);
	assert_true(a.chunk == 1000);
}

static void test_bad_kind(void **state)
{
	(void)state;
	char *hugetlb[] = { "hog", "--chunk", "1M", "--kind", "hugetlb" };
	char *upper[] = { "hog", "--kind", "THP" };
	char *empty[] = { "hog", "--kind", "" };
	char *prefix[] = { "hog", "--kind", "an" };
	char *missing[] = { "hog", "--max", "1M", "--kind" };
	char *single_dash[] = { "hog", "-kind", "thp" };

	expect_error(hugetlb, ARGC(hugetlb), NO_LIMIT, HOG_ARGS_BAD_KIND, 4);
	expect_error(upper, ARGC(upper), NO_LIMIT, HOG_ARGS_BAD_KIND, 2);
	expect_error(empty, ARGC(empty), NO_LIMIT, HOG_ARGS_BAD_KIND, 2);
	expect_error(prefix, ARGC(prefix), NO_LIMIT, HOG_ARGS_BAD_KIND, 2);
	expect_error(missing, ARGC(missing), NO_LIMIT, HOG_ARGS_MISSING, 3);
	expect_error(single_dash, ARGC(single_dash), NO_LIMIT, HOG_ARGS_UNKNOWN, 1);
	/* the message names every kind, as the case file's error shows it */
	assert_string_equal(hog_args_strerror(HOG_ARGS_BAD_KIND),
			    "not a kind of memory (anon, shmem, file, mlock or thp)");
}

/* thp chunks are whole 2M pages, whichever of --chunk and --kind comes
 * first; the default 128K becomes one huge page. */
static void test_thp_rounding(void **state)
{
	(void)state;
	static const struct {
		const char *size;
		unsigned long long want;
	} sizes[] = {
		{ "1", 2ULL << 20 },
		{ "128K", 2ULL << 20 },
		{ "2M", 2ULL << 20 },
		{ "2097153", 4ULL << 20 },
		{ "3M", 4ULL << 20 },
		{ "1G", 1ULL << 30 },
		{ "4190208K", 4092ULL << 20 },	/* 4G less 4M: the most i386 takes */
	};
	struct hog_args a;
	size_t bad;
	char *only_kind[] = { "hog", "--kind", "thp" };

	assert_int_equal(hog_args_parse(&a, ARGC(only_kind), only_kind, HOG_GUEST_SIZE_MAX, &bad),
			 HOG_ARGS_OK);
	assert_true(a.chunk == 2ULL << 20);
	for (size_t i = 0; i < ARGC(sizes); i++) {
		char *before[] = { "hog", "--kind", "thp", "--chunk", (char *)sizes[i].size };
		char *after[] = { "hog", "--chunk", (char *)sizes[i].size, "--kind", "thp" };

		assert_int_equal(hog_args_parse(&a, ARGC(before), before, HOG_GUEST_SIZE_MAX, &bad),
				 HOG_ARGS_OK);
		assert_true(a.chunk == sizes[i].want);
		assert_int_equal(hog_args_parse(&a, ARGC(after), after, HOG_GUEST_SIZE_MAX, &bad),
				 HOG_ARGS_OK);
		assert_true(a.chunk == sizes[i].want);
	}
}

/* A thp chunk and the 2M it is aligned with are one mapping: on i386 that
 * is at most 4G less 4M of chunk. The argument at fault is --chunk's value,
 * or --kind's when the default chunk is what does not fit. */
static void test_thp_limit(void **state)
{
	(void)state;
	struct hog_args a;
	size_t bad;
	char *over_i386[] = { "hog", "--kind", "thp", "--chunk", "4190209K" };
	char *malloc_fits[] = { "hog", "--chunk", "4294967295", "--kind", "thp" };
	char *on_64bit[] = { "hog", "--chunk", "4294967295", "--kind", "thp" };
	char *no_room[] = { "hog", "--max", "1M", "--kind", "thp" };
	char *wraps[] = { "hog", "--kind", "thp", "--chunk", "18446744073709551615" };
	char *top[] = { "hog", "--kind", "thp", "--chunk", "18446744073703260161" };
	char *over_top[] = { "hog", "--kind", "thp", "--chunk", "18446744073705357313" };

	expect_error(over_i386, ARGC(over_i386), HOG_GUEST_SIZE_MAX, HOG_ARGS_THP_CHUNK_TOO_BIG, 4);
	expect_error(malloc_fits, ARGC(malloc_fits), HOG_GUEST_SIZE_MAX, HOG_ARGS_THP_CHUNK_TOO_BIG, 2);
	assert_int_equal(hog_args_parse(&a, ARGC(on_64bit), on_64bit, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_true(a.chunk == 4ULL << 30);
	expect_error(no_room, ARGC(no_room), 3ULL << 20, HOG_ARGS_THP_CHUNK_TOO_BIG, 4);
	assert_int_equal(hog_args_parse(&a, ARGC(no_room), no_room, 4ULL << 20, &bad), HOG_ARGS_OK);
	assert_true(a.chunk == 2ULL << 20);
	/* rounding up must not wrap to a small chunk */
	expect_error(wraps, ARGC(wraps), NO_LIMIT, HOG_ARGS_THP_CHUNK_TOO_BIG, 4);
	/* 2^64 - 4M is the largest; 2^64 - 2M would leave no room to align */
	assert_int_equal(hog_args_parse(&a, ARGC(top), top, NO_LIMIT, &bad), HOG_ARGS_OK);
	assert_true(a.chunk == NO_LIMIT - (4ULL << 20) + 1);
	expect_error(over_top, ARGC(over_top), NO_LIMIT, HOG_ARGS_THP_CHUNK_TOO_BIG, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_values),
		cmocka_unit_test(test_help_stops),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_max_percent),
		cmocka_unit_test(test_chunk_limit),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_file_dir),
		cmocka_unit_test(test_kind_keeps_chunk),
		cmocka_unit_test(test_bad_kind),
		cmocka_unit_test(test_thp_rounding),
		cmocka_unit_test(test_thp_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
