/* Tests for payload/payload.c: what payload_gather puts in a run's guest
 * for case files loaded here, on x86_64 and i386 targets, with a state
 * directory made here (a stand-in busybox that lists its applets, a Debian
 * cache with one package and a stand-in libc), so nothing is fetched: the
 * programs, scripts, applets, [files] and .ko files a case names, arch and
 * kernel mismatches that skip a target, errors with the case line, the size
 * limit; and the payload disk's listing and compaction. */
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
#include <sys/stat.h>
#include <unistd.h>

#include "case/casefile.h"
#include "lib/fs.h"
#include "payload/payload.h"
#include "payload/pkgcache.h"
#include "proto/payload.h"

#define ELF(name) "fixtures/payload/elf/" name
#define GATHER(name) "fixtures/payload/gather/" name
#define EXPECT "[expect]\noom.count == 0\n"

static char dir[] = "/tmp/oomtest-payload.XXXXXX";
static struct strbuf state = STRBUF_INIT;

static struct target t_x86 = { .name = "x86_64", .arch = "x86_64", .release = "6.1.0-test",
			       .kernel = "/nonexistent/vmlinuz", .kdir = "/nonexistent/kdir" };
static struct target t_i386 = { .name = "i386", .arch = "i386", .release = "6.1.0-test",
				.kernel = "/nonexistent/vmlinuz-686", .kdir = "/nonexistent/kdir-686" };
/* a kernel of another release: the fake modules were not built for it */
static struct target t_other = { .name = "x86_64-6.12", .arch = "x86_64", .release = "6.12.0-other",
				 .kernel = "/nonexistent/vmlinuz-6.12", .kdir = "/nonexistent/kdir-6.12" };

/* The paths in_dir made, freed after each test (and after setup). */
static char **made;
static size_t nmade;

/* dir/REL */
static const char *in_dir(const char *rel)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/%s", dir, rel);
	made = xrealloc(made, (nmade + 1) * sizeof(char *));
	return made[nmade++] = strbuf_detach(&p);
}

static void free_made(void)
{
	while (nmade)
		free(made[--nmade]);
	free(made);
	made = NULL;
}

/* dir/rel with its parent directories made */
static const char *new_in_dir(const char *rel)
{
	const char *p = in_dir(rel);
	char *parent = xstrdup(p);

	*strrchr(parent, '/') = '\0';
	assert_int_equal(fs_mkdirs(parent), 0);
	free(parent);
	return p;
}

static void put_data(const char *rel, const char *data, size_t len, unsigned mode)
{
	const char *p = new_in_dir(rel);

	assert_int_equal(fs_write_atomic(p, data, len), 0);
	assert_int_equal(chmod(p, mode), 0);
}

static void put_text(const char *rel, const char *text, unsigned mode)
{
	put_data(rel, text, strlen(text), mode);
}

static void put_copy(const char *rel, const char *fixture, unsigned mode)
{
	struct strbuf data = STRBUF_INIT;

	assert_int_equal(strbuf_read_file(&data, fixture), 0);
	put_data(rel, data.buf, data.len, mode);
	strbuf_release(&data);
}

static void put_link(const char *rel, const char *target)
{
	assert_int_equal(symlink(target, new_in_dir(rel)), 0);
}

#define X86_CACHE "state/images/debian/x86_64/"

static int setup(void **unused)
{
	struct strbuf dirs = STRBUF_INIT;
	(void)unused;
	if (!mkdtemp(dir))
		return -1;
	strbuf_addf(&state, "%s/state", dir);
	/* busybox as `make images` fetches it, per arch; "hog" is no applet of
	 * the real one, listed here to see that the image's hog is kept */
	static const char busybox[] = "#!/bin/sh\n[ \"$1\" = --list ] || exit 1\nprintf '%s\\n' awk cat hog ls sh\n";
	put_text("state/images/busybox/x86_64/busybox", busybox, 0755);
	put_text("state/images/busybox/i386/busybox", busybox, 0755);
	/* the x86_64 Debian cache: ld.so and a libc that names it, and the
	 * package faketool (a program and a script interpreter) */
	put_copy(X86_CACHE "root/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", ELF("stub-x86_64.so"), 0755);
	put_link(X86_CACHE "root/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
	put_copy(X86_CACHE "root/lib/x86_64-linux-gnu/libc.so.6", ELF("libc-stub-x86_64.so"), 0644);
	put_text(X86_CACHE "root/usr/bin/faketool", "#!/bin/sh\necho fake\n", 0755);
	put_text(X86_CACHE "root/usr/libexec/faketool/interp", "#!/bin/sh\nexec \"$@\"\n", 0755);
	put_link(X86_CACHE "root/usr/bin/faketool-interp", "../libexec/faketool/interp");
	put_text(X86_CACHE "lists/faketool",
		 "Package: faketool\nVersion: 1.0-1\nArchitecture: amd64\nDepends:\n\n/usr/bin/faketool\n"
		 "/usr/bin/faketool-interp\n/usr/libexec/faketool/interp\n/usr/share/doc/faketool/copyright\n", 0644);
	/* no package tool may run: the ones on PATH fail */
	static const char refuse[] = "#!/bin/sh\necho \"$0 must not run\" >&2\nexit 1\n";
	static const char *const tools[] = { "bin/dpkg", "bin/apt-get", "bin/apt-cache" };
	for (size_t i = 0; i < 3; i++)
		put_text(tools[i], refuse, 0755);
	strbuf_addf(&dirs, "%s/bin:%s", dir, getenv("PATH"));
	setenv("PATH", dirs.buf, 1);
	strbuf_release(&dirs);
	free_made();
	return 0;
}

static int teardown(void **unused)
{
	(void)unused;
	strbuf_release(&state);
	return fs_remove_tree(dir);
}

/* Each test's: the case loaded last, its path, the manifest and why of
 * the last gather; released by reset after each test. */
static struct oomcase *c;
static const char *path;
static struct manifest m = MANIFEST_INIT;
static struct strbuf why = STRBUF_INIT, scratch = STRBUF_INIT;

static void unload(void)
{
	if (c)
		case_release(c);
	free(c);
	c = NULL;
}

static int reset(void **unused)
{
	(void)unused;
	unload();
	manifest_release(&m);
	m = (struct manifest)MANIFEST_INIT;
	strbuf_release(&why);
	strbuf_release(&scratch);
	free_made();
	return 0;
}

/* The case dir/cases/NAME.case with text, loaded as c. */
static void load(const char *name, const char *text)
{
	struct oomcase *cases = NULL;
	struct strbuf rel = STRBUF_INIT, err = STRBUF_INIT;
	size_t n = 0;

	unload();
	strbuf_addf(&rel, "cases/%s.case", name);
	put_text(rel.buf, text, 0644);
	path = in_dir(rel.buf);
	if (case_load_all(path, &cases, &n, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(n, 1);
	c = cases;
	strbuf_release(&rel);
	strbuf_release(&err);
}

/* payload_gather of c for t into a fresh m; why says why not READY. */
static enum payload_verdict gather_in(const struct target *t, const char *state_dir)
{
	manifest_release(&m);
	m = (struct manifest)MANIFEST_INIT;
	strbuf_reset(&why);
	enum payload_verdict v = payload_gather(dir, state_dir, c, t, &m, &why);
	if (v == PAYLOAD_READY)
		assert_int_equal(why.len, 0);
	return v;
}

static enum payload_verdict gather(const struct target *t)
{
	return gather_in(t, state.buf);
}

/* The file at guest, from dir/host_rel. */
static void expect_file(const char *guest, const char *host_rel, unsigned mode, const char *origin)
{
	const struct manifest_entry *e = manifest_find(&m, guest);
	const char *host = in_dir(host_rel);

	if (!e)
		fail_msg("no %s in the manifest", guest);
	assert_null(e->symlink);
	assert_string_equal(e->host, host);
	assert_int_equal(e->mode, mode);
	assert_string_equal(e->origin, origin);
}

static void expect_link(const char *guest, const char *target)
{
	const struct manifest_entry *e = manifest_find(&m, guest);

	if (!e)
		fail_msg("no %s in the manifest", guest);
	assert_null(e->host);
	assert_string_equal(e->symlink, target);
}

/* "CASE:LINE (DIR/HOST_REL)" or, with no host, "CASE:LINE"; valid until
 * the next call. */
static const char *origin(int line, const char *host_rel)
{
	strbuf_reset(&scratch);
	strbuf_addf(&scratch, "%s:%d", path, line);
	if (host_rel)
		strbuf_addf(&scratch, " (%s/%s)", dir, host_rel);
	return scratch.buf;
}

/* why is "CASE:LINE: " then fmt with dir/rel for its %s. */
static void expect_why(int line, const char *fmt, const char *rel)
{
	struct strbuf want = STRBUF_INIT;
	const char *host = rel ? in_dir(rel) : "";

	strbuf_addf(&want, "%s:%d: ", path, line);
	strbuf_addf(&want, fmt, host);
	assert_string_equal(why.buf, want.buf);
	strbuf_release(&want);
}

static void test_static_programs(void **unused)
{
	(void)unused;
	put_copy("cases/bin/static-i386", ELF("static-i386"), 0755);
	put_copy("cases/bin/static-x86_64", GATHER("static-x86_64"), 0755);
	load("static", "[step a]\nrun = ./bin/static-i386 1 2\n\n[step b]\nrun = bin/static-x86_64\n" EXPECT);

	/* a step's messages and origins name its run or module line. i386: its program
	 * is taken; the x86-64 one of [step b] skips the target */
	assert_int_equal(gather(&t_i386), PAYLOAD_SKIP);
	expect_why(5, "%s: ELF is x86-64, the target is i386", "cases/bin/static-x86_64");
	/* x86_64: the i386 one of [step a] skips it first */
	assert_int_equal(gather(&t_x86), PAYLOAD_SKIP);
	expect_why(2, "%s: ELF is i386, the target is x86_64", "cases/bin/static-i386");

	load("static-one", "[step a]\nrun = ./bin/static-i386 1 2\n" EXPECT);
	assert_int_equal(gather(&t_i386), PAYLOAD_READY);
	/* static: nothing else, not even busybox */
	assert_int_equal(m.n, 1);
	expect_file(CASE_USER_BIN "/static-i386", "cases/bin/static-i386", 0755,
		    origin(2, "cases/bin/static-i386"));
}

static void test_arch_paths(void **unused)
{
	(void)unused;
	put_copy("cases/arch/i386/prog", ELF("static-i386"), 0755);
	put_copy("cases/arch/x86_64/prog", GATHER("static-x86_64"), 0755);
	put_text("cases/arch/x86_64.conf", "x86_64=1\n", 0600);
	put_text("cases/arch/i386.conf", "i386=1\n", 0640);
	load("arch", "[files]\n/etc/prog.conf = arch/${arch}.conf\n\n[step a]\nrun = ./arch/${arch}/prog\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_READY);
	assert_int_equal(m.n, 2);
	expect_file(CASE_USER_BIN "/prog", "cases/arch/x86_64/prog", 0755, origin(5, "cases/arch/x86_64/prog"));
	expect_file("/etc/prog.conf", "cases/arch/x86_64.conf", 0600, origin(2, "cases/arch/x86_64.conf"));
	assert_int_equal(gather(&t_i386), PAYLOAD_READY);
	assert_int_equal(m.n, 2);
	expect_file(CASE_USER_BIN "/prog", "cases/arch/i386/prog", 0755, origin(5, "cases/arch/i386/prog"));
	expect_file("/etc/prog.conf", "cases/arch/i386.conf", 0640, origin(2, "cases/arch/i386.conf"));

	/* a file only one arch has: the other target is the case's error */
	put_copy("cases/only-x86_64", GATHER("static-x86_64"), 0755);
	load("arch-missing", "[step a]\nrun = ./only-${arch}\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_READY);
	assert_int_equal(gather(&t_i386), PAYLOAD_ERROR);
	expect_why(2, "run '%s': No such file or directory", "cases/only-i386");
	load("files-missing", "[files]\n/etc/a = ./a-${arch}\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_ERROR);
	expect_why(2, "'%s': No such file or directory", "cases/a-x86_64");
}

static void test_scripts(void **unused)
{
	(void)unused;
	put_copy("cases/script-sh", ELF("script-sh"), 0755);
	load("script", "[step a]\nrun = ./script-sh\n" EXPECT);
	assert_int_equal(gather(&t_i386), PAYLOAD_READY);
	expect_file(CASE_USER_BIN "/script-sh", "cases/script-sh", 0755, origin(2, "cases/script-sh"));
	expect_file("/bin/busybox", "state/images/busybox/i386/busybox", 0755, "Debian busybox-static");
	/* a link per applet, /bin/sh among them; the image's hog is left alone */
	static const char *const applets[] = { "/bin/awk", "/bin/cat", "/bin/ls", "/bin/sh" };
	for (size_t i = 0; i < 4; i++)
		expect_link(applets[i], "busybox");
	assert_null(manifest_find(&m, "/bin/hog"));
	assert_int_equal(m.n, 6);

	/* an applet elsewhere than /bin: a link to busybox there */
	put_text("cases/awk-script", "#!/usr/bin/awk -f\nBEGIN { print 1 }\n", 0755);
	load("awk", "[step a]\nrun = ./awk-script\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_READY);
	expect_link("/usr/bin/awk", "/bin/busybox");
	expect_link("/bin/awk", "busybox");

	/* what busybox does not have; the path is the arch's own file */
	put_text("cases/py/x86_64/tool", "#!/usr/bin/python3\nprint(1)\n", 0755);
	load("python", "# a comment\n[step a]\nrun = ./py/${arch}/tool\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_ERROR);
	expect_why(3, "%s: the #! interpreter /usr/bin/python3 is neither in the guest nor a "
		   "busybox applet (add its package to packages =)", "cases/py/x86_64/tool");

	put_text("cases/relative", "#!sh\necho\n", 0755);
	load("relative", "[step a]\nrun = ./relative\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_ERROR);
	expect_why(2, "%s: the #! interpreter 'sh' is not an absolute path", "cases/relative");

	/* neither ELF nor script */
	put_copy("cases/garbage", ELF("garbage"), 0755);
	load("garbage", "[step a]\nrun = ./garbage\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_ERROR);
	expect_why(2, "run '%s': neither an ELF program nor a #! script", "cases/garbage");
}

static void test_bare_names(void **unused)
{
	(void)unused;
	/* the image's hog: nothing to add */
	load("hog", "[step a]\nrun = hog --chunk 128K\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_READY);
	assert_int_equal(m.n, 0);

	load("applet", "[step a]\nrun = ls /\n\n[step b]\nrun = cat /proc/meminfo\n" EXPECT);
	assert_int_equal(gather(&t_i386), PAYLOAD_READY);
	expect_file("/bin/busybox", "state/images/busybox/i386/busybox", 0755, "Debian busybox-static");
	expect_link("/bin/ls", "busybox");
	assert_int_equal(m.n, 5);
	/* a state directory without busybox */
	assert_int_equal(gather_in(&t_i386, in_dir("empty-state")), PAYLOAD_ERROR);
	expect_why(2, "busybox for i386 is not fetched (run make images): scripts and applets need it", NULL);

	load("unknown", "[step a]\nrun = ls\n\n[step b]\nrun = nosuch --flag\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_ERROR);
	expect_why(5, "unknown program 'nosuch': not hog, a program of the case's packages, nor a "
		   "busybox applet (a file of the case is run as ./nosuch)", NULL);
}

/* A dynamic program's ld.so and libc come from the Debian cache; a
 * package's files are there too, and its program is a bare name. */
static void test_cache(void **unused)
{
	(void)unused;
	put_copy("cases/hello-x86_64", ELF("hello-x86_64"), 0755);
	load("dynamic", "[step a]\nrun = ./hello-x86_64\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_READY);
	assert_int_equal(m.n, 3);
	expect_file("/lib64/ld-linux-x86-64.so.2", X86_CACHE "root/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
		    0755, "library of " CASE_USER_BIN "/hello-x86_64");
	expect_file("/lib/x86_64-linux-gnu/libc.so.6", X86_CACHE "root/lib/x86_64-linux-gnu/libc.so.6", 0644,
		    "library of " CASE_USER_BIN "/hello-x86_64");

	put_text("cases/uses-interp", "#!/usr/bin/faketool-interp\nx\n", 0755);
	load("package", "[case]\npackages = faketool\n\n[step a]\nrun = faketool\n\n[step b]\nrun = ./uses-interp\n"
	     EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_READY);
	static const char pkg[] = "package faketool 1.0-1 (x86_64)";
	expect_file("/usr/bin/faketool", X86_CACHE "root/usr/bin/faketool", 0755, pkg);
	expect_file("/usr/libexec/faketool/interp", X86_CACHE "root/usr/libexec/faketool/interp", 0755, pkg);
	expect_link("/usr/bin/faketool-interp", "../libexec/faketool/interp");
	/* the package's program is a #!/bin/sh script, and Debian lists no
	 * shell among its dependencies: busybox's sh runs it */
	expect_file("/bin/busybox", "state/images/busybox/x86_64/busybox", 0755, "Debian busybox-static");
	expect_link("/bin/sh", "busybox");
	assert_null(manifest_find(&m, "/usr/share/doc/faketool/copyright"));

	/* its script's interpreter is the package's own: no busybox then */
	load("package-interp", "[case]\npackages = faketool\n\n[step b]\nrun = ./uses-interp\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_READY);
	assert_null(manifest_find(&m, "/bin/busybox"));
	assert_int_equal(m.n, 4);
}

static void test_files(void **unused)
{
	(void)unused;
	put_text("cases/data/input.txt", "1 2 3\n", 0604);
	put_copy("cases/data/tool", ELF("static-i386"), 0750);
	load("files", "[files]\n/srv/input.txt = data/input.txt\n/opt/tool = ./data/tool\n" EXPECT);
	assert_int_equal(gather(&t_i386), PAYLOAD_READY);
	assert_int_equal(m.n, 2);
	expect_file("/srv/input.txt", "cases/data/input.txt", 0604, origin(2, "cases/data/input.txt"));
	expect_file("/opt/tool", "cases/data/tool", 0750, origin(3, "cases/data/tool"));
	/* a file is not checked for its arch */
	assert_int_equal(gather(&t_x86), PAYLOAD_READY);
}

static void test_modules(void **unused)
{
	(void)unused;
	put_copy("cases/mod/x86_64/fakemod.ko", GATHER("fakemod-x86_64.rel"), 0644);
	put_copy("cases/mod/i386/fakemod.ko", GATHER("fakemod-i386.rel"), 0644);
	load("module", "[step a]\nmodule = ./mod/${arch}/fakemod.ko size=4\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_READY);
	assert_int_equal(m.n, 1);
	expect_file("/lib/modules/fakemod.ko", "cases/mod/x86_64/fakemod.ko", 0644, origin(2, NULL));
	assert_int_equal(gather(&t_i386), PAYLOAD_READY);
	expect_file("/lib/modules/fakemod.ko", "cases/mod/i386/fakemod.ko", 0644, origin(2, NULL));
	/* built for another kernel: that target cannot load it */
	assert_int_equal(gather(&t_other), PAYLOAD_SKIP);
	expect_why(2, "%s was built for '6.1.0-test', the target kernel is '6.12.0-other': rebuild it "
		   "against the target's kdir", "cases/mod/x86_64/fakemod.ko");

	load("module-param", "[step a]\nmodule = ./mod/${arch}/fakemod.ko count=4\n" EXPECT);
	assert_int_equal(gather(&t_i386), PAYLOAD_ERROR);
	/* modcheck's words (it ends the list of parameters with a blank) */
	struct strbuf want = STRBUF_INIT;
	strbuf_addf(&want, "%s:2: %s has no parameter 'count' (it has: size", path,
		    in_dir("cases/mod/i386/fakemod.ko"));
	assert_int_equal(strncmp(why.buf, want.buf, want.len), 0);
	strbuf_release(&want);

	/* an x86-64 object on i386 */
	put_copy("cases/mod64/fakemod.ko", GATHER("fakemod-x86_64.rel"), 0644);
	load("module-arch", "[step a]\nmodule = ./mod64/fakemod.ko\n" EXPECT);
	assert_int_equal(gather(&t_i386), PAYLOAD_SKIP);
	expect_why(2, "%s: ELF is x86-64, the target is i386", "cases/mod64/fakemod.ko");

	/* no .modinfo: not a kernel module on any target, the case's error */
	put_copy("cases/plain.ko", GATHER("plain-x86_64.rel"), 0644);
	load("module-plain", "[step a]\nmodule = ./plain.ko\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_ERROR);
	expect_why(2, "module '%s' is not a kernel module: it has no vermagic (build it against a "
		   "kernel's kdir, or name its Kbuild directory)", "cases/plain.ko");
	assert_int_equal(gather(&t_other), PAYLOAD_ERROR);
	assert_int_equal(gather(&t_i386), PAYLOAD_SKIP);

	load("module-missing", "[step a]\nmodule = ./nomod/${arch}/fakemod.ko\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_ERROR);
	expect_why(2, "module '%s': No such file or directory", "cases/nomod/x86_64/fakemod.ko");
}

/* A sparse file of size bytes at dir/rel. */
static void put_sparse(const char *rel, off_t size)
{
	int fd = open(in_dir(rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, size), 0);
	close(fd);
}

static void test_size_limit(void **unused)
{
	struct strbuf want = STRBUF_INIT;
	(void)unused;
	/* a quarter of 64M is allowed, a byte more is not */
	put_sparse("cases/quarter", 16 << 20);
	put_sparse("cases/big", (17 << 20) + 1);
	load("quarter", "[case]\nmemory = 64M\n\n[files]\n/quarter = ./quarter\n" EXPECT);
	assert_int_equal(gather(&t_x86), PAYLOAD_READY);
	assert_int_equal(manifest_bytes(&m), 16 << 20);
	load("big", "[case]\nmemory = 64M\n\n[files]\n/big = ./big\n" EXPECT);
	assert_int_equal(gather(&t_i386), PAYLOAD_ERROR);
	strbuf_addf(&want, "%s: the payload for i386 is 17408 KiB: more than a guest of 64 MiB can unpack (at most a "
		    "quarter of its memory)", path);
	assert_string_equal(why.buf, want.buf);
	strbuf_release(&want);
}

static void test_arch_path(void **unused)
{
	static const char *const cases[][3] = {
		{ "/c/${arch}/prog-${arch}", "i386", "/c/i386/prog-i386" },
		{ "/c/prog", "x86_64", "/c/prog" },
		{ "${arch}", "x86_64", "x86_64" },
		{ "/c/$arch/{arch}/${arch", "i386", "/c/$arch/{arch}/${arch" },
		{ "", "i386", "" },
	};
	(void)unused;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *p = payload_arch_path(cases[i][0], cases[i][1]);
		assert_string_equal(p, cases[i][2]);
		free(p);
	}
}

static void test_describe(void **unused)
{
	struct strbuf out = STRBUF_INIT;
	const char *tool = in_dir("describe-tool");
	(void)unused;
	put_text("describe-tool", "12345", 0755);
	assert_int_equal(manifest_add_file(&m, "/usr/local/bin/tool", tool, 0755, "cases/t.case:4 (/c/tool)"), 0);
	assert_int_equal(manifest_add_symlink(&m, "/bin/sh", "busybox", "busybox applet"), 0);
	assert_int_equal(manifest_add_symlink(&m, "/bin/ls", "busybox", NULL), 0);
	payload_describe(&m, &out);
	assert_string_equal(out.buf, "/usr/local/bin/tool\t5\tcases/t.case:4 (/c/tool)\n"
				     "/bin/sh -> busybox\t-\tbusybox applet\n"
				     "/bin/ls -> busybox\t-\t\n");
	strbuf_release(&out);
}

static off_t size_of(const char *file)
{
	struct stat st;
	assert_int_equal(stat(file, &st), 0);
	return st.st_size;
}

static void test_disk_compact(void **unused)
{
	struct strbuf err = STRBUF_INIT, disk = STRBUF_INIT;
	const char *disk_path = in_dir("payload.img"), *tool = in_dir("disk-tool");
	(void)unused;
	put_copy("disk-tool", ELF("static-i386"), 0755);
	assert_int_equal(manifest_add_file(&m, "/usr/local/bin/tool", tool, 0755, "t"), 0);
	if (manifest_write_disk(&m, disk_path, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(size_of(disk_path), PAYLOAD_DISK_SIZE);
	assert_int_equal(payload_disk_compact(disk_path), 0);
	assert_int_equal(strbuf_read_file(&disk, disk_path), 0);
	/* the header, then the archive up to its trailer, in whole sectors */
	const char *magic = PAYLOAD_MAGIC;
	assert_memory_equal(disk.buf, magic, strlen(magic));
	char *end;
	unsigned long long len = strtoull(disk.buf + strlen(magic), &end, 10);
	assert_int_equal(*end, '\n');
	assert_true(len > 448 && len % 4 == 0);
	assert_int_equal(disk.len, (PAYLOAD_HEADER_SIZE + len + 511) / 512 * 512);
	assert_memory_equal(disk.buf + PAYLOAD_HEADER_SIZE, "070701", 6);
	assert_non_null(memmem(disk.buf + PAYLOAD_HEADER_SIZE, len, "TRAILER!!!", 10));
	/* again: the same */
	assert_int_equal(payload_disk_compact(disk_path), 0);
	assert_int_equal(size_of(disk_path), disk.len);

	/* not a payload disk (another header, or none): left as it is */
	static char other_header[2 * PAYLOAD_HEADER_SIZE] = "OOMTEST-PAYLOAD 2\n12\n";
	put_data("not-a-disk", other_header, sizeof(other_header), 0644);
	put_text("short", PAYLOAD_MAGIC "12\n", 0644);
	const char *other = in_dir("not-a-disk"), *shorter = in_dir("short");
	assert_int_equal(payload_disk_compact(other), -EINVAL);
	assert_int_equal(size_of(other), sizeof(other_header));
	assert_int_equal(payload_disk_compact(shorter), -EINVAL);
	assert_int_equal(size_of(shorter), strlen(PAYLOAD_MAGIC "12\n"));
	assert_int_equal(payload_disk_compact(in_dir("no-disk")), -ENOENT);
	strbuf_release(&err);
	strbuf_release(&disk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_static_programs, reset),
		cmocka_unit_test_teardown(test_arch_paths, reset),
		cmocka_unit_test_teardown(test_scripts, reset),
		cmocka_unit_test_teardown(test_bare_names, reset),
		cmocka_unit_test_teardown(test_cache, reset),
		cmocka_unit_test_teardown(test_files, reset),
		cmocka_unit_test_teardown(test_modules, reset),
		cmocka_unit_test_teardown(test_size_limit, reset),
		cmocka_unit_test_teardown(test_arch_path, reset),
		cmocka_unit_test_teardown(test_describe, reset),
		cmocka_unit_test_teardown(test_disk_compact, reset),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
