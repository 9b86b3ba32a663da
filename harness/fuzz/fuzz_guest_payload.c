/* libFuzzer target for the agent's archive walker (guest/payload.c): the
 * input, a newc archive, is unpacked into an empty directory whole and in
 * small pieces; every way must end alike (the same outcome, message and
 * number of entries made), and nothing may appear beside that directory. */
#include <dirent.h>
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest/payload.h"

static char base[64], root[80];
static long entries;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	if (ftw->level == 0)
		return 0;
	entries++;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Empties root; returns how many entries it held. */
static long empty_root(void)
{
	entries = 0;
	if (nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS))
		abort();
	return entries;
}

static void remove_base(void)
{
	empty_root();
	rmdir(root);
	rmdir(base);
}

/* base holds root and nothing else */
static void check_base(void)
{
	DIR *d = opendir(base);
	struct dirent *e;

	if (!d)
		abort();
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "root"))
			abort();
	closedir(d);
}

static void setup(void)
{
	/* tmpfs when there is one: every input writes files */
	const char *tmp = access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";

	snprintf(base, sizeof(base), "%s/oomtest-fuzz-payload.XXXXXX", tmp);
	if (!mkdtemp(base))
		abort();
	snprintf(root, sizeof(root), "%s/root", base);
	if (mkdir(root, 0755))
		abort();
	atexit(remove_base);
}

static int unpack(const uint8_t *data, size_t size, size_t piece, char **msg, long *made)
{
	struct payload_memory m = { data, size, 0, piece };
	struct payload_source src = { payload_memory_next, &m };
	int r = payload_unpack(&src, root, msg);

	if ((r == 0) != (*msg == NULL))
		abort();
	*made = empty_root();
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t pieces[] = { 0, 7, 1 };
	char *first_msg = NULL;
	long first_made = 0;
	int first = 0;

	if (!*base)
		setup();
	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
		char *msg = NULL;
		long made;
		int r;

		/* byte by byte is slow on big inputs; small ones cover it */
		if (pieces[i] == 1 && size > 4096)
			continue;
		r = unpack(data, size, pieces[i], &msg, &made);
		check_base();
		if (!i) {
			first = r;
			first_msg = msg;
			first_made = made;
			continue;
		}
		if (r != first || made != first_made || (msg && strcmp(msg, first_msg)))
			abort();
		free(msg);
	}
	free(first_msg);
	return 0;
}
