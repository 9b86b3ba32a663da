/* hog: allocates and writes memory in chunks until told to stop or killed.
 *   hog [--chunk SIZE] [--interval MS] [--max SIZE] [--hold] [--name COMM]
 * SIZE takes K, M, G suffixes and an optional iB, as case files do (lib/units).
 * Prints one progress line per chunk; exits 0 when --max is reached (then
 * waits for a signal if --hold), 3 when malloc fails (ENOMEM). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "lib/units.h"

static void usage(FILE *f)
{
	fputs("usage: hog [--chunk SIZE] [--interval MS] [--max SIZE] [--hold] [--name COMM]\n"
	      "  allocate and memset SIZE blocks (default 128K) until --max or death;\n"
	      "  --hold: then wait for a signal; --name: the process name the kernel reports\n", f);
}

int main(int argc, char **argv)
{
	unsigned long long chunk = 128 << 10, max = 0, total = 0;
	long interval_ms = 0;
	int hold = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--hold")) {
			hold = 1;
		} else if (!strcmp(a, "--name") && v) {
			/* the comm the OOM killer prints (15 bytes at most) */
			prctl(PR_SET_NAME, v, 0, 0, 0);
			i++;
		} else if (!strcmp(a, "--chunk") && v && !units_parse_size(v, &chunk) && chunk) {
			i++;
		} else if (!strcmp(a, "--max") && v && !units_parse_size(v, &max)) {
			i++;
		} else if (!strcmp(a, "--interval") && v) {
			char *end;
			interval_ms = strtol(v, &end, 10);
			if (*end || interval_ms < 0) {
				fprintf(stderr, "hog: bad --interval '%s'\n", v);
				return 2;
			}
			i++;
		} else {
			fprintf(stderr, "hog: bad argument '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("hog: pid %d chunk %llu max %llu\n", (int)getpid(), chunk, max);
	for (unsigned long n = 1; !max || total < max; n++) {
		char *p = malloc(chunk);
		if (!p) {
			printf("hog: malloc failed after %llu bytes: %s\n", total, strerror(errno));
			return 3;
		}
		memset(p, 0xa5, chunk);
		total += chunk;
		printf("hog: chunk %lu total %llu\n", n, total);
		if (interval_ms) {
			struct timespec ts = { interval_ms / 1000, (interval_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	printf("hog: reached max %llu\n", total);
	if (hold)
		for (;;)
			pause();
	return 0;
}
