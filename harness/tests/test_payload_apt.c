/* Tests for payload/apt.c over real tool output saved from a Debian 12
 * host (amd64 with i386 added): apt-cache depends --recurse closures for
 * a foreign and the native arch (virtual packages, Arch: all providers,
 * Multi-Arch: foreign ones satisfying for both arches, alternatives,
 * Pre-Depends), dpkg -S answers (multilib, multiarch, diversions, not
 * found), the multilib name mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "payload/apt.h"

static char *fixture(const char *name)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	strbuf_addf(&path, "fixtures/payload/%s", name);
	if (strbuf_read_file(&text, path.buf))
		fail_msg("cannot read %s", path.buf);
	strbuf_release(&path);
	return strbuf_detach(&text);
}

static const struct apt_pkg *find(const struct apt_closure *c, const char *name, size_t *at)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].name, name)) {
			if (at)
				*at = i;
			return &c->v[i];
		}
	return NULL;
}

static int has_dep(const struct apt_pkg *p, const char *dep)
{
	for (size_t i = 0; i < p->ndeps; i++)
		if (!strcmp(p->deps[i], dep))
			return 1;
	return 0;
}

/* Every package once; each after what it depends on, but for the cycle
 * libc6 <-> libgcc-s1 (libgcc-s1 comes first: libc6 was reached first). */
static void check_order(const struct apt_closure *c, const char *cycle_a, const char *cycle_b)
{
	for (size_t i = 0; i < c->n; i++) {
		size_t first;
		assert_non_null(find(c, c->v[i].name, &first));
		assert_int_equal(first, i);
		for (size_t j = 0; j < c->v[i].ndeps; j++) {
			size_t at;
			const char *d = c->v[i].deps[j];
			assert_non_null(find(c, d, &at));
			if (!strcmp(c->v[i].name, cycle_a) && !strcmp(d, cycle_b))
				continue;
			if (at > i)
				fail_msg("%s comes before its dependency %s", c->v[i].name, d);
		}
	}
}

static void test_closure_foreign(void **state)
{
	char *text = fixture("apt/depends-stress-ng-i386.txt");
	char *roots[] = { "stress-ng:i386" };
	enum apt_root_status st[1];
	struct apt_closure c;
	size_t at;
	(void)state;

	assert_int_equal(apt_closure(text, "i386", 0, roots, 1, st, &c), 0);
	assert_int_equal(st[0], APT_FOUND);
	/* the root last, with its 13 dependencies */
	assert_string_equal(c.v[c.n - 1].name, "stress-ng:i386");
	assert_int_equal(c.v[c.n - 1].ndeps, 13);
	assert_string_equal(c.v[c.n - 1].deps[0], "libapparmor1:i386");
	assert_true(has_dep(&c.v[c.n - 1], "zlib1g:i386"));
	assert_int_equal(c.n, 42);
	/* every package i386, but the Arch: all ones that stand for
	 * <libdrm-common:i386> and <libx11-data:i386> */
	for (size_t i = 0; i < c.n; i++) {
		const char *n = c.v[i].name;
		size_t len = strlen(n);
		if (!strcmp(n, "libdrm-common") || !strcmp(n, "libx11-data"))
			continue;
		if (len < 5 || strcmp(n + len - 5, ":i386"))
			fail_msg("%s is not an i386 package", n);
	}
	const struct apt_pkg *drm = find(&c, "libdrm2:i386", NULL);
	assert_non_null(drm);
	assert_true(has_dep(drm, "libdrm-common"));
	assert_non_null(find(&c, "libdrm-common", &at));
	assert_non_null(find(&c, "gcc-12-base:i386", NULL));
	assert_null(find(&c, "libc6", NULL));
	check_order(&c, "libgcc-s1:i386", "libc6:i386");
	apt_closure_release(&c);
	assert_int_equal(c.n, 0);
	free(text);
}

static void test_closure_alternatives_and_providers(void **state)
{
	char *text = fixture("apt/depends-bash-i386.txt");
	char *roots[] = { "bash:i386" };
	enum apt_root_status st[1];
	struct apt_closure c;
	(void)state;

	assert_int_equal(apt_closure(text, "i386", 0, roots, 1, st, &c), 0);
	const struct apt_pkg *bash = find(&c, "bash:i386", NULL);
	assert_non_null(bash);
	/* Pre-Depends count; a Multi-Arch: foreign package that the native one
	 * would satisfy is taken for i386 */
	assert_true(has_dep(bash, "libc6:i386"));
	assert_true(has_dep(bash, "libtinfo6:i386"));
	assert_true(has_dep(bash, "base-files:i386"));
	assert_null(find(&c, "base-files", NULL));
	/* <awk:i386>: the first i386 provider */
	const struct apt_pkg *base = find(&c, "base-files:i386", NULL);
	assert_int_equal(base->ndeps, 1);
	assert_string_equal(base->deps[0], "gawk:i386");
	assert_null(find(&c, "gawk", NULL));
	assert_null(find(&c, "mawk:i386", NULL));
	/* " |Depends: dpkg" or install-info: one of them, the first, for i386 */
	const struct apt_pkg *rl = find(&c, "readline-common", NULL);
	assert_non_null(rl);
	assert_int_equal(rl->ndeps, 1);
	assert_string_equal(rl->deps[0], "dpkg:i386");
	assert_null(find(&c, "install-info:i386", NULL));
	check_order(&c, "libgcc-s1:i386", "libc6:i386");
	apt_closure_release(&c);
	free(text);
}

static void test_closure_native(void **state)
{
	char *text = fixture("apt/depends-stress-ng-amd64.txt");
	char *roots[] = { "stress-ng" };
	enum apt_root_status st[1];
	struct apt_closure c;
	(void)state;

	assert_int_equal(apt_closure(text, "amd64", 1, roots, 1, st, &c), 0);
	assert_string_equal(c.v[c.n - 1].name, "stress-ng");
	/* amd64 has one more: libipsec-mb1 */
	assert_non_null(find(&c, "libipsec-mb1", NULL));
	for (size_t i = 0; i < c.n; i++)
		assert_null(strchr(c.v[i].name, ':'));
	check_order(&c, "libgcc-s1", "libc6");
	apt_closure_release(&c);
	free(text);
}

static void test_closure_roots_not_found(void **state)
{
	char *text = fixture("apt/depends-virtual-and-unknown.txt");
	char *roots[] = { "libdrm-common:i386", "nosuch:i386", "zlib1g:i386" };
	enum apt_root_status st[3];
	struct apt_closure c;
	(void)state;

	assert_int_equal(apt_closure(text, "i386", 0, roots, 3, st, &c), -1);
	assert_int_equal(st[0], APT_VIRTUAL);
	assert_int_equal(st[1], APT_UNKNOWN);
	assert_int_equal(st[2], APT_FOUND);
	/* what was found is there all the same */
	assert_int_equal(c.n, 4);
	assert_string_equal(c.v[3].name, "zlib1g:i386");
	apt_closure_release(&c);

	/* nothing at all */
	assert_int_equal(apt_closure("", "i386", 0, roots + 1, 1, st, &c), -1);
	assert_int_equal(st[0], APT_UNKNOWN);
	assert_int_equal(c.n, 0);
	free(text);
}

static void test_closure_made_up(void **state)
{
	/* other relations and their provider lines are skipped; CRLF; a
	 * dependency nothing of the arch satisfies is left out */
	static const char text[] =
		"a:i386\r\n"
		"  Depends: b:i386\r\n"
		"  Recommends: <r:i386>\n"
		"    r:i386\n"
		" |Depends: <v:i386>\n"
		"    v1:amd64\n"
		"  Depends: w:i386\n"
		"  Depends: only:amd64\n"
		"b:i386\n"
		"  PreDepends: a:i386\n"
		"w:i386\n";
	char *roots[] = { "a:i386" };
	enum apt_root_status st[1];
	struct apt_closure c;
	(void)state;

	assert_int_equal(apt_closure(text, "i386", 0, roots, 1, st, &c), 0);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.v[0].name, "b:i386");
	assert_string_equal(c.v[1].name, "w:i386");
	assert_string_equal(c.v[2].name, "a:i386");
	assert_int_equal(c.v[2].ndeps, 2);
	assert_string_equal(c.v[2].deps[0], "b:i386");
	assert_string_equal(c.v[2].deps[1], "w:i386");
	assert_int_equal(c.v[0].ndeps, 1);
	apt_closure_release(&c);
}

static void test_names(void **state)
{
	char *s;
	(void)state;

	assert_string_equal(apt_debian_arch("x86_64"), "amd64");
	assert_string_equal(apt_debian_arch("i386"), "i386");
	assert_string_equal(apt_debian_arch("arm64"), "arm64");
	/* an arch by any of its names (target/arch.h) */
	assert_string_equal(apt_debian_arch("aarch64"), "arm64");
	assert_null(apt_debian_arch("sparc"));
	assert_string_equal(apt_triplet("i386"), "i386-linux-gnu");
	assert_string_equal(apt_triplet("x86_64"), "x86_64-linux-gnu");
	assert_string_equal(apt_triplet("arm64"), "aarch64-linux-gnu");
	assert_string_equal(apt_triplet("amd64"), "x86_64-linux-gnu");
	assert_null(apt_triplet("sparc"));
	s = apt_qualified("stress-ng", "i386", 0);
	assert_string_equal(s, "stress-ng:i386");
	free(s);
	s = apt_qualified("stress-ng", "amd64", 1);
	assert_string_equal(s, "stress-ng");
	free(s);
	s = apt_base_name("libc6:i386");
	assert_string_equal(s, "libc6");
	free(s);
	s = apt_base_name("libdrm-common");
	assert_string_equal(s, "libdrm-common");
	free(s);
}

static void expect_mapping(const char *host, const char *guest)
{
	char *got = apt_multiarch_name(host);
	assert_string_equal(got, guest);
	free(got);
}

static void test_multiarch_names(void **state)
{
	(void)state;
	expect_mapping("libc6-i386", "libc6");
	expect_mapping("libc6-amd64", "libc6");
	expect_mapping("libc6-x32", "libc6");
	expect_mapping("lib32gcc-s1", "libgcc-s1");
	expect_mapping("lib32stdc++6", "libstdc++6");
	expect_mapping("lib32z1", "zlib1g");
	expect_mapping("lib64z1", "zlib1g");
	expect_mapping("libx32stdc++6", "libstdc++6");
	expect_mapping("lib32tinfo6", "libtinfo6");
	expect_mapping("lib64ncurses6", "libncurses6");
	expect_mapping("libc6:i386", "libc6");
	expect_mapping("zlib1g:amd64", "zlib1g");
	expect_mapping("libstdc++6", "libstdc++6");
	/* "lib32" alone, and names that only start like it */
	expect_mapping("lib32", "lib32");
	expect_mapping("libc6", "libc6");
}

static void expect_owner(const char *file, const char *arch, const char *pkg)
{
	char *text = fixture(file);
	char *got = apt_soname_owner(text, arch);
	if (!pkg) {
		if (got)
			fail_msg("%s for %s: %s, expected none", file, arch, got);
	} else {
		if (!got)
			fail_msg("%s for %s: none, expected %s", file, arch, pkg);
		assert_string_equal(got, pkg);
	}
	free(got);
	free(text);
}

static void test_soname_owner(void **state)
{
	(void)state;
	/* libc6:amd64 in the multiarch dir; libc6-i386 in /lib32; libc6-x32 never */
	expect_owner("dpkg/S-libc.so.6.txt", "x86_64", "libc6");
	expect_owner("dpkg/S-libc.so.6.txt", "i386", "libc6");
	/* lib32stdc++6 in /usr/lib32 */
	expect_owner("dpkg/S-libstdc++.so.6.txt", "i386", "libstdc++6");
	expect_owner("dpkg/S-libgcc_s.so.1.txt", "i386", "libgcc-s1");
	expect_owner("dpkg/S-libgcc_s.so.1.txt", "x86_64", "libgcc-s1");
	/* only the amd64 build on the host: the same multiarch package for i386 */
	expect_owner("dpkg/S-libz.so.1.txt", "i386", "zlib1g");
	expect_owner("dpkg/S-libz.so.1.txt", "x86_64", "zlib1g");
	/* /lib/ld-linux.so.2 from libc6-i386; /lib64 for x86-64 */
	expect_owner("dpkg/S-ld-linux.so.2.txt", "i386", "libc6");
	expect_owner("dpkg/S-ld-linux-x86-64.so.2.txt", "x86_64", "libc6");
	expect_owner("dpkg/S-libnothere.so.7.txt", "i386", NULL);
	/* a man page is no library; the diversion lines are skipped */
	expect_owner("dpkg/S-diversion-sh.1.gz.txt", "x86_64", NULL);

	char *got = apt_soname_owner("libfoo1:i386, libfoo-dev:i386: /usr/lib/i386-linux-gnu/libfoo.so.1\n", "i386");
	assert_string_equal(got, "libfoo1");
	free(got);
	/* the target's own multiarch dir wins over another arch's, whatever the order */
	got = apt_soname_owner("libbar1:amd64: /usr/lib/x86_64-linux-gnu/libbar.so.1\n"
			       "libbar-i386-build:i386: /usr/lib/i386-linux-gnu/libbar.so.1", "i386");
	assert_string_equal(got, "libbar-i386-build");
	free(got);
	/* /usr/lib of another arch's package does not count */
	got = apt_soname_owner("oldlib:amd64: /usr/lib/liboldlib.so.1\n", "i386");
	assert_null(got);
	got = apt_soname_owner("oldlib: /usr/lib/liboldlib.so.1\n", "i386");
	assert_string_equal(got, "oldlib");
	free(got);
	/* deeper directories are not where ld.so looks */
	assert_null(apt_soname_owner("plug:i386: /usr/lib/i386-linux-gnu/plugins/libp.so.1\n", "i386"));
	assert_null(apt_soname_owner("libc6:i386: /lib/i386-linux-gnu/libc.so.6\n", "sparc"));
	/* arm64: its own multiarch dir, then another arch's; it has no multilib dirs */
	got = apt_soname_owner("libc6:i386: /lib/i386-linux-gnu/libc.so.6\n"
			       "libc6:arm64: /lib/aarch64-linux-gnu/libc.so.6\n", "arm64");
	assert_string_equal(got, "libc6");
	free(got);
	got = apt_soname_owner("lib64foo1:amd64: /usr/lib64/libfoo.so.1\n", "x86_64");
	assert_string_equal(got, "libfoo1");
	free(got);
	assert_null(apt_soname_owner("lib64foo1:amd64: /usr/lib64/libfoo.so.1\n", "arm64"));
}

static void test_glibc_package(void **state)
{
	(void)state;
	assert_string_equal(apt_glibc_package("ld-linux.so.2"), "libc6");
	assert_string_equal(apt_glibc_package("ld-linux-aarch64.so.1"), "libc6");
	assert_string_equal(apt_glibc_package("libc.so.6"), "libc6");
	assert_string_equal(apt_glibc_package("libpthread.so.0"), "libc6");
	assert_null(apt_glibc_package("libz.so.1"));
	assert_null(apt_glibc_package("libc.so"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_closure_foreign),
		cmocka_unit_test(test_closure_alternatives_and_providers),
		cmocka_unit_test(test_closure_native),
		cmocka_unit_test(test_closure_roots_not_found),
		cmocka_unit_test(test_closure_made_up),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_multiarch_names),
		cmocka_unit_test(test_soname_owner),
		cmocka_unit_test(test_glibc_package),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
