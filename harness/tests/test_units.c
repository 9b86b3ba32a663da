/* test_units: sizes (suffixes, iB, overflow), durations and yes/no words. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>

#include "lib/units.h"

static void test_parse_size(void **state)
{
	static const struct { const char *s; unsigned long long v; } ok[] = {
		{ "0", 0 }, { "4096", 4096 }, { "512K", 512ULL << 10 }, { "512k", 512ULL << 10 },
		{ "128M", 128ULL << 20 }, { "128m", 128ULL << 20 }, { "1G", 1ULL << 30 },
		{ "2g", 2ULL << 30 }, { "1KiB", 1024 }, { "3MiB", 3ULL << 20 }, { "4GiB", 4ULL << 30 },
		{ "1kib", 1024 }, { "007", 7 },
		{ "18446744073709551615", ULLONG_MAX },
		{ "17179869183G", 17179869183ULL << 30 },
	};
	static const char *const bad[] = {
		"", "K", "-1", "+1", " 1", "1 ", "1.5M", "1KB", "1T", "1Mi", "1MiBx", "0x10",
		"18446744073709551616", "99999999999999999999999", "17179869184G",
		"18014398509481984K", "1e3", "1,000",
	};
	unsigned long long v;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = 1;
		if (units_parse_size(ok[i].s, &v))
			fail_msg("units_parse_size(\"%s\") failed", ok[i].s);
		assert_true(v == ok[i].v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 12345;
		if (!units_parse_size(bad[i], &v))
			fail_msg("units_parse_size(\"%s\") took it as %llu", bad[i], v);
		assert_true(v == 12345);
	}
}

static void test_parse_duration(void **state)
{
	static const struct { const char *s; long ms; } ok[] = {
		{ "3", 3000 }, { "2s", 2000 }, { "500ms", 500 }, { "1m", 60000 }, { "1ms", 1 },
		{ "09s", 9000 }, { "9223372036854775807ms", LONG_MAX },
		{ "9223372036854775s", 9223372036854775000L },
		{ "153722867280912m", 9223372036854720000L },
	};
	static const char *const bad[] = {
		"", "s", "0", "0s", "0ms", "-1s", "1.5s", "1h", "1S", "1 s", " 1s", "1sec", "2mss",
		"9223372036854775808ms", "9223372036854776s", "153722867280913m",
		"99999999999999999999999", "1e3",
	};
	long v;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = -1;
		if (units_parse_duration(ok[i].s, &v))
			fail_msg("units_parse_duration(\"%s\") failed", ok[i].s);
		assert_int_equal(v, ok[i].ms);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = -7;
		if (!units_parse_duration(bad[i], &v))
			fail_msg("units_parse_duration(\"%s\") took it as %ld", bad[i], v);
		assert_int_equal(v, -7);
	}
}

/* What a case file writes most: binary multiples, with or without "iB". */
static void test_size_suffixes(void **state)
{
	unsigned long long v = 0;

	(void)state;
	assert_int_equal(units_parse_size("128KiB", &v), 0);
	assert_true(v == 131072);
	assert_int_equal(units_parse_size("128K", &v), 0);
	assert_true(v == 131072);
	assert_int_equal(units_parse_size("64MIB", &v), 0);
	assert_true(v == 64ULL << 20);
	assert_int_equal(units_parse_size("16GiB", &v), 0);
	assert_true(v == 16ULL << 30);
	v = 5;
	assert_int_equal(units_parse_size("1iB", &v), -1);
	assert_int_equal(units_parse_size("1Ki", &v), -1);
	assert_int_equal(units_parse_size("1KiBi", &v), -1);
	assert_int_equal(units_parse_size(NULL, &v), -1);
	assert_true(v == 5);
}

/* The largest value each suffix takes, and one more. */
static void test_size_overflow(void **state)
{
	unsigned long long v = 0;

	(void)state;
	assert_int_equal(units_parse_size("18014398509481983K", &v), 0);
	assert_true(v == ULLONG_MAX >> 10 << 10);
	assert_int_equal(units_parse_size("17592186044415M", &v), 0);
	assert_true(v == ULLONG_MAX >> 20 << 20);
	v = 9;
	assert_int_equal(units_parse_size("17592186044416M", &v), -1);
	assert_int_equal(units_parse_size("17592186044416MiB", &v), -1);
	assert_int_equal(units_parse_size("18446744073709551620", &v), -1);
	assert_true(v == 9);
}

static void test_duration_null(void **state)
{
	long v = 3;

	(void)state;
	assert_int_equal(units_parse_duration(NULL, &v), -1);
	assert_int_equal(units_parse_duration("2M", &v), -1);
	assert_int_equal(units_parse_duration("1ms ", &v), -1);
	assert_int_equal(v, 3);
}

static void test_parse_bool(void **state)
{
	static const char *const yes[] = { "yes", "YES", "Yes", "true", "TRUE", "1" };
	static const char *const no[] = { "no", "NO", "false", "False", "0" };
	static const char *const bad[] = { "", "y", "n", "on", "off", "2", "01", "yes ", " no",
					   "truth", "nope", "-1" };
	int b;

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		b = 0;
		if (units_parse_bool(yes[i], &b) || b != 1)
			fail_msg("units_parse_bool(\"%s\") is not yes", yes[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		b = 1;
		if (units_parse_bool(no[i], &b) || b != 0)
			fail_msg("units_parse_bool(\"%s\") is not no", no[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = 7;
		if (!units_parse_bool(bad[i], &b))
			fail_msg("units_parse_bool(\"%s\") took it as %d", bad[i], b);
		assert_int_equal(b, 7);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_size_suffixes),
		cmocka_unit_test(test_size_overflow),
		cmocka_unit_test(test_parse_duration),
		cmocka_unit_test(test_duration_null),
		cmocka_unit_test(test_parse_bool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
