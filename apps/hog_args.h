/* hog_args: the hog's command line, one table of options for the hog that
 * runs them and for the case parser that checks a `run = hog ...` step
 * before any guest boots (a bad argument is a file:line error there). */
#ifndef OOMTEST_HOG_ARGS_H
#define OOMTEST_HOG_ARGS_H

#include <stddef.h>

#define HOG_USAGE "hog [--chunk SIZE] [--interval MS] [--max SIZE] [--hold] [--name COMM]"
/* The largest block every guest's malloc can take: i386's size_t. */
#define HOG_GUEST_SIZE_MAX 0xffffffffULL

struct hog_args {
	unsigned long long chunk;	/* bytes per block, never 0 (default 128K) */
	unsigned long long max;		/* stop at this many bytes; 0: never */
	long interval_ms;		/* between blocks */
	int hold;			/* at max, wait for a signal */
	const char *name;		/* the process name to take; NULL: keep */
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
};

/* Parses argv[1] to argv[argc - 1] into a (defaults first). size_max is
 * the largest block malloc takes: SIZE_MAX in the hog, HOG_GUEST_SIZE_MAX
 * in the harness. Returns HOG_ARGS_OK, or what is wrong with *bad the index
 * of the argument at fault (the option, when its value is missing). */
enum hog_args_error hog_args_parse(struct hog_args *a, size_t argc, char *const *argv,
				   unsigned long long size_max, size_t *bad);
/* "unknown option", "needs a value", ...: for "'ARG': %s". */
const char *hog_args_strerror(enum hog_args_error e);

#endif
