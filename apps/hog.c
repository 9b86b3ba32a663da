/* hog: allocates and writes memory in chunks until told to stop or killed.
 *   hog [--kind anon|shmem|file|mlock|thp] [--chunk SIZE] [--interval MS]
 *       [--max SIZE|N%] [--dir DIR] [--hold] [--name COMM]
 * SIZE takes K, M, G suffixes and an optional iB, as case files do; the
 * options are apps/hog_args's, which the harness checks too. The kind says
 * what memory each chunk is: anon (malloc), shmem (a shared mapping of one
 * memfd), file (written to a file in --dir, the case's disk by default, and
 * read back at --max: page cache), mlock (anonymous and locked), thp
 * (anonymous, huge-page-aligned, with MADV_HUGEPAGE). Prints one progress line per chunk; exits 0 when --max
 * is reached (then waits for a signal if --hold), 2 on a bad argument, 3
 * when memory cannot be had (malloc, mmap, mlock fail; file: the disk is
 * full), 4 when the kernel lacks the kind (no MADV_HUGEPAGE; no memfd and no
 * tmpfs; file: no such directory, or one O_TMPFILE cannot be made in). */
#define _FILE_OFFSET_BITS 64	/* i386: a memfd past 2G */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "apps/hog_args.h"

enum { EXIT_BAD_ARG = 2, EXIT_NO_MEMORY = 3, EXIT_KIND_UNSUPPORTED = 4 };

struct hog {
	const struct hog_args *a;
	unsigned long long total;	/* bytes taken so far, for the messages */
	int shm_fd;			/* shmem: every chunk is a part of this file */
	unsigned long long shm_size;	/* shmem: its length */
	unsigned long long shm_mapped;	/* shmem: its pages below this are mapped */
	char *shm_next;			/* shmem: where byte shm_size is, if mapped */
	size_t page;
	size_t thp;			/* thp: the kernel's huge page (2M; 4M on i386 without PAE) */
	unsigned long long chunk;	/* bytes per chunk (thp: whole huge pages) */
	int file_fd;			/* file: the file written */
	char *file_buf;			/* file: what is written, FILE_BUF_SIZE bytes */
};

/* file: what one write(2) takes at most */
#define FILE_BUF_SIZE (1u << 20)

static void usage(FILE *f)
{
	fputs("usage: " HOG_USAGE "\n"
	      "  allocate and write SIZE blocks (default 128K) until --max or death;\n"
	      "  --max N%: N percent of the guest's RAM (MemTotal), 1 to 1000;\n"
	      "  --kind: anon (malloc, the default), shmem (one memfd, each block a shared\n"
	      "    mapping of it), file (blocks written to one file in --dir, default\n"
	      "    " HOG_FILE_DIR ", read back at --max: page cache), mlock (anonymous\n"
	      "    blocks, mlock()ed), thp (anonymous blocks\n"
	      "    with MADV_HUGEPAGE, SIZE rounded up to whole huge pages: 2M, 4M on i386\n"
	      "    without PAE);\n"
	      "  --hold: then wait for a signal; --name: the process name the kernel reports;\n"
	      "  exits 0 at --max, 2 on a bad argument, 3 when memory (file: disk) cannot be had,\n"
	      "  4 when the kernel lacks the kind\n", f);
}

static int no_memory(const struct hog *h, const char *what)
{
	printf("hog: %s failed after %llu bytes: %s\n", what, h->total, strerror(errno));
	return EXIT_NO_MEMORY;
}

/* A file of tmpfs, unlinked at once, for a kernel without memfd_create. */
static int open_tmpfs_file(const char **where)
{
	static const char *const dirs[] = { "/dev/shm", "/tmp" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		struct statfs st;
		char path[32];	/* the longest dir and "/hog.XXXXXX" */
		int fd;

		if (statfs(dirs[i], &st) || st.f_type != TMPFS_MAGIC)
			continue;
		snprintf(path, sizeof(path), "%s/hog.XXXXXX", dirs[i]);
		fd = mkostemp(path, O_CLOEXEC);
		if (fd < 0)
			continue;
		unlink(path);
		*where = dirs[i];
		return fd;
	}
	return -1;
}

static int open_shmem(struct hog *h)
{
	const char *where;

	h->shm_fd = memfd_create("hog", MFD_CLOEXEC);
	if (h->shm_fd >= 0) {
		printf("hog: shmem: a memfd\n");
		return 0;
	}
	if (errno != ENOSYS)
		return no_memory(h, "memfd_create");
	h->shm_fd = open_tmpfs_file(&where);
	if (h->shm_fd < 0) {
		printf("hog: shmem: no memfd_create, and neither /dev/shm nor /tmp is a tmpfs\n");
		return EXIT_KIND_UNSUPPORTED;
	}
	printf("hog: shmem: no memfd_create, an unlinked file in %s (tmpfs) instead\n", where);
	return 0;
}

/* The compiler may drop a malloc whose block nobody reads, and its memset
 * with it: the block is kept where it cannot tell. */
static void *volatile last_block;

static int take_anon(struct hog *h)
{
	char *p = malloc((size_t)h->a->chunk);

	if (!p)
		return no_memory(h, "malloc");
	memset(p, 0xa5, (size_t)h->a->chunk);
	last_block = p;
	return 0;
}

/* The file grows by a chunk (fallocate) and only its pages not mapped yet
 * get a mapping: a chunk that is not whole pages writes its first bytes
 * through the last page mapped, so no page is mapped twice and RssShmem
 * (the OOM report's shmem-rss) is what was written. */
static int take_shmem(struct hog *h)
{
	const unsigned long long off_max = (unsigned long long)INT64_MAX - h->page;
	size_t chunk = (size_t)h->a->chunk, in_last, len;
	unsigned long long end, map_end;
	char *fresh = NULL;

	if (chunk > off_max || h->shm_size > off_max - chunk) {
		errno = EFBIG;
		return no_memory(h, "shmem");
	}
	end = h->shm_size + chunk;
	map_end = (end + h->page - 1) & ~(unsigned long long)(h->page - 1);
	if (map_end - h->shm_mapped > SIZE_MAX) {	/* i386: a chunk near 4G */
		errno = ENOMEM;
		return no_memory(h, "mmap");
	}
	len = (size_t)(map_end - h->shm_mapped);
	in_last = (size_t)(h->shm_mapped - h->shm_size);
	if (in_last > chunk)
		in_last = chunk;
	if (len) {	/* first: a chunk no mapping can take allocates nothing */
		fresh = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, h->shm_fd,
			     (off_t)h->shm_mapped);
		if (fresh == MAP_FAILED)
			return no_memory(h, "mmap");
	}
	/* rather than ftruncate: a full tmpfs is ENOSPC here, not SIGBUS on a write */
	if (fallocate(h->shm_fd, 0, (off_t)h->shm_size, (off_t)chunk))
		return no_memory(h, "fallocate");
	if (in_last) {
		memset(h->shm_next, 0xa5, in_last);
		h->shm_next += in_last;
	}
	if (fresh) {
		memset(fresh, 0xa5, chunk - in_last);
		h->shm_next = fresh + (chunk - in_last);
		h->shm_mapped = map_end;
	}
	h->shm_size = end;
	return 0;
}

static void raise_memlock_limit(void)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };

	if (setrlimit(RLIMIT_MEMLOCK, &unlimited))
		printf("hog: mlock: RLIMIT_MEMLOCK not raised: %s\n", strerror(errno));
}

static int take_mlock(struct hog *h)
{
	size_t chunk = (size_t)h->a->chunk;
	char *p = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return no_memory(h, "mmap");
	memset(p, 0xa5, chunk);
	if (mlock(p, chunk))
		return no_memory(h, "mlock");
	return 0;
}

/* What the kernel does with MADV_HUGEPAGE, for a run whose chunks get no
 * huge pages (enabled = never); nothing when there is no THP at all. */
static void print_thp_mode(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return;
	n = getline(&line, &cap, f);
	if (n > 0) {
		line[strcspn(line, "\n")] = '\0';
		printf("hog: thp: enabled %s\n", line);
	}
	free(line);
	fclose(f);
}

/* The kernel's PMD-sized huge page: 2M, but 4M on an i386 kernel without
 * PAE, where 2M-aligned regions would never get one. */
static size_t thp_size(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", "re");
	unsigned long long v = 0;

	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	/* a power of two the size of a few pages at least, or the usual */
	return v >= 65536 && v <= (1ull << 30) && !(v & (v - 1)) ? (size_t)v : (size_t)HOG_THP_SIZE;
}

/* Chunks of whole huge pages, with room for one more that the alignment
 * takes. */
static int take_thp(struct hog *h)
{
	size_t chunk = (size_t)h->chunk, len = chunk + h->thp;
	char *raw = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t at;
	size_t head;
	char *p;

	if (raw == MAP_FAILED)
		return no_memory(h, "mmap");
	if (len < chunk)
		return no_memory(h, "mmap");
	at = ((uintptr_t)raw + (uintptr_t)(h->thp - 1)) & ~(uintptr_t)(h->thp - 1);
	p = (char *)at;
	head = (size_t)(p - raw);
	if (head)
		munmap(raw, head);
	if (len - head - chunk)
		munmap(p + chunk, len - head - chunk);
	if (madvise(p, chunk, MADV_HUGEPAGE)) {
		if (errno == EINVAL) {
			printf("hog: thp: MADV_HUGEPAGE not supported\n");
			return EXIT_KIND_UNSUPPORTED;
		}
		return no_memory(h, "madvise");
	}
	memset(p, 0xa5, chunk);
	return 0;
}

/* file: one file in --dir, unnamed (O_TMPFILE) so that it goes with the
 * hog; its pages are page cache, reclaimable once written back. */
static int open_file(struct hog *h)
{
	h->file_fd = open(h->a->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (h->file_fd < 0) {
		printf("hog: file: %s: %s\n", h->a->dir, strerror(errno));
		return EXIT_KIND_UNSUPPORTED;
	}
	h->file_buf = malloc(FILE_BUF_SIZE);
	if (!h->file_buf)
		return no_memory(h, "malloc");
	memset(h->file_buf, 0xa5, FILE_BUF_SIZE);
	return 0;
}

static int take_file(struct hog *h)
{
	for (unsigned long long left = h->a->chunk; left;) {
		size_t n = left < FILE_BUF_SIZE ? (size_t)left : FILE_BUF_SIZE;
		ssize_t w = write(h->file_fd, h->file_buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return no_memory(h, "write");
		left -= (unsigned long long)w;
	}
	return 0;
}

/* file: at --max, all of it read back from its start. */
static int reread_file(struct hog *h)
{
	unsigned long long got = 0;
	ssize_t n;

	while ((n = pread(h->file_fd, h->file_buf, FILE_BUF_SIZE, (off_t)got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return no_memory(h, "read");
		got += (unsigned long long)n;
	}
	printf("hog: file: read back %llu\n", got);
	return 0;
}

static int take_chunk(struct hog *h)
{
	switch (h->a->kind) {
	case HOG_KIND_FILE: return take_file(h);
	case HOG_KIND_SHMEM: return take_shmem(h);
	case HOG_KIND_MLOCK: return take_mlock(h);
	case HOG_KIND_THP: return take_thp(h);
	case HOG_KIND_ANON: break;
	}
	return take_anon(h);
}

/* --max N%: N percent of MemTotal, which is sysinfo's totalram. */
static int resolve_max_percent(struct hog_args *a)
{
	struct sysinfo si;

	if (sysinfo(&si)) {
		printf("hog: sysinfo failed: %s\n", strerror(errno));
		return EXIT_BAD_ARG;
	}
	a->max = (unsigned long long)si.totalram * si.mem_unit / 100 * a->max_percent;
	printf("hog: max %u%% of MemTotal %llu kB\n", a->max_percent,
	       (unsigned long long)si.totalram * si.mem_unit >> 10);
	return 0;
}

int main(int argc, char **argv)
{
	struct hog_args a;
	struct hog h = { .a = &a, .shm_fd = -1, .file_fd = -1 };
	size_t bad;
	int rc;
	enum hog_args_error e = hog_args_parse(&a, (size_t)argc, argv, SIZE_MAX, &bad);

	if (e) {
		fprintf(stderr, "hog: '%s': %s\n", argv[bad], hog_args_strerror(e));
		usage(stderr);
		return EXIT_BAD_ARG;
	}
	if (a.help) {
		usage(stdout);
		return 0;
	}
	if (a.name)	/* the comm the OOM killer prints (15 bytes at most) */
		prctl(PR_SET_NAME, a.name, 0, 0, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	h.page = (size_t)sysconf(_SC_PAGESIZE);
	if (a.max_percent && (rc = resolve_max_percent(&a)))
		return rc;
	printf("hog: pid %d chunk %llu max %llu kind %s\n", (int)getpid(), a.chunk, a.max,
	       hog_kind_name(a.kind));
	if (a.kind == HOG_KIND_SHMEM && (rc = open_shmem(&h)))
		return rc;
	if (a.kind == HOG_KIND_MLOCK)
		raise_memlock_limit();
	if (a.kind == HOG_KIND_FILE && (rc = open_file(&h)))
		return rc;
	h.chunk = a.chunk;
	if (a.kind == HOG_KIND_THP) {
		h.thp = thp_size();
		/* hog_args rounded to 2M; the kernel's may be larger */
		h.chunk = (a.chunk + h.thp - 1) / h.thp * h.thp;
		printf("hog: thp: huge page %zu bytes, chunk %llu\n", h.thp, h.chunk);
		print_thp_mode();
	}
	/* a.chunk <= SIZE_MAX: hog_args refused more */
	for (unsigned long n = 1; !a.max || h.total < a.max; n++) {
		if ((rc = take_chunk(&h)))
			return rc;
		h.total = h.total > ULLONG_MAX - h.chunk ? ULLONG_MAX : h.total + h.chunk;
		printf("hog: chunk %lu total %llu kind %s\n", n, h.total, hog_kind_name(a.kind));
		if (a.interval_ms) {
			struct timespec ts = { a.interval_ms / 1000, (a.interval_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	if (a.kind == HOG_KIND_FILE && (rc = reread_file(&h)))
		return rc;
	printf("hog: reached max %llu\n", h.total);
	if (a.hold)
		for (;;)
			pause();
	return 0;
}
