/* fragment: leaves the guest's free memory in single pages, so that no
 * free block is large enough for a huge page until compaction makes one.
 *   fragment [--leave SIZE]
 * Maps all of MemFree but SIZE (default 16M) as anonymous memory, writes
 * every page, then gives every other page back (MADV_DONTNEED) and holds
 * the rest until killed. What is free afterwards is half the region, in
 * holes of one page between pages that are in use (and movable: compaction
 * can still move them). Prints what it did; exits 2 on a bad argument, 3
 * when the region cannot be mapped. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/units.h"

static long long meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[256];
	size_t klen = strlen(key);
	long long v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':')
			v = atoll(line + klen + 1);
	if (f)
		fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	unsigned long long leave = 16ULL << 20;
	long page = sysconf(_SC_PAGESIZE);

	if (argc == 3 && !strcmp(argv[1], "--leave")) {
		if (units_parse_size(argv[2], &leave)) {
			fprintf(stderr, "fragment: '%s': not a size\n", argv[2]);
			return 2;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: fragment [--leave SIZE]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	long long free_kb = meminfo_kb("MemFree");
	if (free_kb < 0 || (unsigned long long)free_kb * 1024 <= leave) {
		printf("fragment: MemFree %lld kB, nothing to fragment past %llu bytes\n", free_kb, leave);
		return 3;
	}
	unsigned long long size = ((unsigned long long)free_kb * 1024 - leave) / (unsigned long long)page *
				  (unsigned long long)page;
	if (size > (unsigned long long)(size_t)-1 / 2)
		size = (unsigned long long)(size_t)-1 / 2 / (unsigned long long)page * (unsigned long long)page;
	char *p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		printf("fragment: mmap %llu: %s\n", size, strerror(errno));
		return 3;
	}
	/* small pages only: a huge page here would leave nothing to fragment */
	madvise(p, (size_t)size, MADV_NOHUGEPAGE);
	for (unsigned long long off = 0; off < size; off += (unsigned long long)page)
		p[off] = 1;
	unsigned long long given = 0;
	for (unsigned long long off = 0; off < size; off += 2 * (unsigned long long)page)
		if (!madvise(p + off, (size_t)page, MADV_DONTNEED))
			given += (unsigned long long)page;
	printf("fragment: wrote %llu, gave back every other page: %llu; MemFree %lld kB\n", size, given,
	       meminfo_kb("MemFree"));
	for (;;)
		pause();
}
