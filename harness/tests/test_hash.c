/* Tests for hash.c: 64-bit FNV-1a against its published vectors, and
 * folding in pieces equals hashing the whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lib/hash.h"

static void test_vectors(void **state)
{
	(void)state;
	assert_true(hash_fnv1a("", 0) == 0xcbf29ce484222325ull);
	assert_true(HASH_FNV1A_INIT == 0xcbf29ce484222325ull);
	assert_true(hash_fnv1a("a", 1) == 0xaf63dc4c8601ec8cull);
	assert_true(hash_fnv1a("foobar", 6) == 0x85944171f73967e8ull);
}

static void test_incremental(void **state)
{
	(void)state;
	const char s[] = "oom.1.victim.comm";
	uint64_t h = HASH_FNV1A_INIT;

	h = hash_fnv1a_add(h, s, 4);
	h = hash_fnv1a_add(h, s + 4, 0);
	h = hash_fnv1a_add(h, s + 4, strlen(s) - 4);
	assert_true(h == hash_fnv1a(s, strlen(s)));
	/* bytes past 0x7f count as unsigned, and a NUL is a byte like others */
	assert_true(hash_fnv1a("\xff", 1) != hash_fnv1a("\x7f", 1));
	assert_true(hash_fnv1a("a\0b", 3) != hash_fnv1a("a", 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_incremental),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
