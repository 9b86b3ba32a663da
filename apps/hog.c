/* hog: allocates and writes memory in chunks until told to stop or killed.
 *   hog [--chunk SIZE] [--interval MS] [--max SIZE] [--hold] [--name COMM]
 * SIZE takes K, M, G suffixes and an optional iB, as case files do; the
 * options are apps/hog_args's, which the harness checks too. Prints one
 * progress line per chunk; exits 0 when --max is reached (then waits for a
 * signal if --hold), 2 on a bad argument, 3 when malloc fails (ENOMEM). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "apps/hog_args.h"

static void usage(FILE *f)
{
	fputs("usage: " HOG_USAGE "\n"
	      "  allocate and memset SIZE blocks (default 128K) until --max or death;\n"
	      "  --hold: then wait for a signal; --name: the process name the kernel reports\n", f);
}

int main(int argc, char **argv)
{
	struct hog_args a;
	unsigned long long total = 0;
	size_t bad;
	enum hog_args_error e = hog_args_parse(&a, (size_t)argc, argv, SIZE_MAX, &bad);

	if (e) {
		fprintf(stderr, "hog: '%s': %s\n", argv[bad], hog_args_strerror(e));
		usage(stderr);
		return 2;
	}
	if (a.help) {
		usage(stdout);
		return 0;
	}
	if (a.name)	/* the comm the OOM killer prints (15 bytes at most) */
		prctl(PR_SET_NAME, a.name, 0, 0, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("hog: pid %d chunk %llu max %llu\n", (int)getpid(), a.chunk, a.max);
	/* a.chunk <= SIZE_MAX: hog_args refused more */
	for (unsigned long n = 1; !a.max || total < a.max; n++) {
		char *p = malloc((size_t)a.chunk);
		if (!p) {
			printf("hog: malloc failed after %llu bytes: %s\n", total, strerror(errno));
			return 3;
		}
		memset(p, 0xa5, (size_t)a.chunk);
		total = total > ULLONG_MAX - a.chunk ? ULLONG_MAX : total + a.chunk;
		printf("hog: chunk %lu total %llu\n", n, total);
		if (a.interval_ms) {
			struct timespec ts = { a.interval_ms / 1000, (a.interval_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	printf("hog: reached max %llu\n", total);
	if (a.hold)
		for (;;)
			pause();
	return 0;
}
