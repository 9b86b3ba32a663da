/* hog_args: the hog's command line, one table of options for the hog that
 * runs them and for the case parser that checks a `run = hog ...` step
 * before any guest boots (a bad argument is a file:line error there). */
#ifndef OOMTEST_HOG_ARGS_H
#define OOMTEST_HOG_ARGS_H

#include <stddef.h>

#define HOG_USAGE "hog [--kind anon|shmem|file|mlock|thp] [--chunk SIZE] [--interval MS] [--max SIZE|N%] [--dir DIR] [--hold] [--name COMM]"
/* Where --kind file writes its file unless --dir says: the case's disk. */
#define HOG_FILE_DIR "/mnt/disk"
/* The largest block every guest's malloc can take: i386's size_t. */
#define HOG_GUEST_SIZE_MAX 0xffffffffULL
/* A transparent huge page on x86: thp chunks are whole ones, each mapped
 * with this much to spare so that it can be aligned. */
#define HOG_THP_SIZE (2ULL << 20)

/* What kind of memory each chunk is. */
enum hog_kind {
	HOG_KIND_ANON,	/* malloc + memset */
	HOG_KIND_SHMEM,	/* a MAP_SHARED part of one memfd, written */
	HOG_KIND_MLOCK,	/* anonymous, written, then mlock()ed */
	HOG_KIND_THP,	/* anonymous, 2M-aligned, MADV_HUGEPAGE, written */
	HOG_KIND_FILE,	/* written to one file in --dir (page cache), read back at --max */
};

struct hog_args {
	enum hog_kind kind;		/* default HOG_KIND_ANON */
	unsigned long long chunk;	/* bytes per block, never 0 (default 128K);
					 * thp: rounded up to HOG_THP_SIZE */
	unsigned long long max;		/* stop at this many bytes; 0: never */
	unsigned max_percent;		/* --max N%: N percent of the guest's MemTotal,
					 * which the hog reads; max is then 0 */
	long interval_ms;		/* between blocks */
	int hold;			/* at max, wait for a signal */
	const char *name;		/* the process name to take; NULL: keep */
	const char *dir;		/* file: where its file is; default HOG_FILE_DIR */
	int help;			/* --help or -h: the rest is not read */
};

enum hog_args_error {
	HOG_ARGS_OK,
	HOG_ARGS_UNKNOWN,
	HOG_ARGS_MISSING,
	HOG_ARGS_BAD_SIZE,
	HOG_ARGS_ZERO_CHUNK,
	HOG_ARGS_CHUNK_TOO_BIG,
	HOG_ARGS_BAD_INTERVAL,
	HOG_ARGS_BAD_KIND,
	HOG_ARGS_THP_CHUNK_TOO_BIG,
	HOG_ARGS_BAD_PERCENT,
};

/* The largest --max N%: ten times the guest's RAM, past any swap it has. */
#define HOG_MAX_PERCENT 1000

/* Parses argv[1] to argv[argc - 1] into a (defaults first). size_max is
 * the largest block malloc takes: SIZE_MAX in the hog, HOG_GUEST_SIZE_MAX
 * in the harness. With --kind thp the chunk is rounded up to HOG_THP_SIZE
 * once all options are read, and it and HOG_THP_SIZE more must fit in
 * size_max (one mapping). Returns HOG_ARGS_OK, or what is wrong with *bad
 * the index of the argument at fault (the option, when its value is
 * missing; for a thp chunk too big, --chunk's value, else --kind's). */
enum hog_args_error hog_args_parse(struct hog_args *a, size_t argc, char *const *argv,
				   unsigned long long size_max, size_t *bad);
/* "unknown option", "needs a value", ...: for "'ARG': %s". */
const char *hog_args_strerror(enum hog_args_error e);
/* "anon", "shmem", "mlock", "thp", "file": as --kind takes it. */
const char *hog_kind_name(enum hog_kind k);

#endif
