/* tap_meminfo: what a guest's memory looks like, as TAP version 13 in the
 * form kselftest prints it: a version line, the plan, test points with
 * descriptions, "# " diagnostics before the point they are about, a SKIP
 * directive for what is absent, and one block of subtests ("# Subtest:",
 * indented four spaces, then its parent point).
 *   tap_meminfo
 * Every point passes (or skips) in a plain guest. Exits 0 when no point
 * failed, 1 otherwise (kselftest's KSFT_FAIL). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void point(const char *indent, int n, int ok, const char *description, const char *skip_reason)
{
	printf("%s%s %d - %s", indent, ok ? "ok" : "not ok", n, description);
	if (skip_reason)
		printf(" # SKIP %s", skip_reason);
	putchar('\n');
	if (!ok && !*indent)
		failures++;
}

static void diag(const char *indent, const char *fmt, ...)
{
	va_list ap;

	printf("%s# ", indent);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* A /proc/meminfo field in kB, or -1 when the file or the field is absent. */
static long long meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	size_t keylen = strlen(key);
	char *line = NULL;
	size_t cap = 0;
	long long v = -1;

	while (f && getline(&line, &cap, f) > 0)
		if (!strncmp(line, key, keylen) && line[keylen] == ':') {
			v = strtoll(line + keylen + 1, NULL, 10);
			break;
		}
	free(line);
	if (f)
		fclose(f);
	return v;
}

/* The first line of a file without its newline (free() it), or NULL. */
static char *first_line(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = f ? getline(&line, &cap, f) : -1;

	if (f)
		fclose(f);
	if (n < 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\n")] = '\0';
	return line;
}

/* This process's cgroup v2 path ("/hog"), or NULL when it is in none but
 * the root (or there is no cgroup v2 hierarchy). free() it. */
static char *own_cgroup2(void)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	char *line = NULL, *path = NULL;
	size_t cap = 0;

	while (f && getline(&line, &cap, f) > 0)
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			if (strcmp(line + 3, "/"))
				path = strdup(line + 3);
			break;
		}
	free(line);
	if (f)
		fclose(f);
	return path;
}

static int malloc_works(size_t size)
{
	unsigned char *p = malloc(size);
	int ok;

	if (!p)
		return 0;
	memset(p, 0x5a, size);
	ok = p[0] == 0x5a && p[size - 1] == 0x5a;
	free(p);
	return ok;
}

static void malloc_subtests(int n)
{
	static const struct { size_t size; const char *name; } sizes[] = {
		{ 4 << 10, "4 KiB" }, { 64 << 10, "64 KiB" }, { 1 << 20, "1 MiB" },
	};
	const size_t count = sizeof(sizes) / sizeof(sizes[0]);
	int all = 1;

	printf("    # Subtest: malloc\n    1..%zu\n", count);
	for (size_t i = 0; i < count; i++) {
		int ok = malloc_works(sizes[i].size);
		char what[64];

		snprintf(what, sizeof(what), "malloc and memset of %s", sizes[i].name);
		point("    ", (int)i + 1, ok, what, NULL);
		all &= ok;
	}
	point("", n, all, "malloc", NULL);
}

int main(void)
{
	long long total = meminfo_kb("MemTotal"), avail = meminfo_kb("MemAvailable");
	long long free_kb = meminfo_kb("MemFree"), swap = meminfo_kb("SwapTotal");
	char *overcommit, *cg;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..6\n");
	diag("", "MemTotal %lld kB, MemFree %lld kB, MemAvailable %lld kB", total, free_kb, avail);
	point("", 1, total > 0, "MemTotal is above 0", NULL);
	point("", 2, avail >= 0 && avail <= total, "MemAvailable is at most MemTotal", NULL);

	overcommit = first_line("/proc/sys/vm/overcommit_memory");
	if (overcommit)
		diag("", "vm.overcommit_memory = %s", overcommit);
	point("", 3, overcommit && strspn(overcommit, "012") == 1 && !overcommit[1],
	      "overcommit_memory is readable", NULL);
	free(overcommit);

	malloc_subtests(4);

	if (swap > 0) {
		char why[64];
		snprintf(why, sizeof(why), "swap is configured (SwapTotal %lld kB)", swap);
		point("", 5, 1, "no swap", why);
	} else {
		point("", 5, swap == 0, "no swap", NULL);
	}

	cg = own_cgroup2();
	if (!cg) {
		point("", 6, 1, "memory.max of its cgroup is readable", "not in a cgroup v2 group");
	} else {
		char *path = NULL, *max = NULL;

		if (asprintf(&path, "/sys/fs/cgroup%s/memory.max", cg) > 0)
			max = first_line(path);
		if (max)
			diag("", "%s memory.max = %s", cg, max);
		point("", 6, max != NULL, "memory.max of its cgroup is readable", NULL);
		free(max);
		free(path);
		free(cg);
	}
	return failures ? 1 : 0;
}
