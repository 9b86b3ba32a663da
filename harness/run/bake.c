/* bake: a run's own initrd with its plan inside. */
#include "run/bake.h"
#include "lib/fs.h"
#include "payload/cpio.h"
#include "proto/frame.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define COPY_CHUNK (64u << 10)

int bake_new_key(unsigned char key[SIPHASH_KEY_BYTES], struct strbuf *err)
{
	size_t got = 0;

	while (got < SIPHASH_KEY_BYTES) {
		ssize_t n = getrandom(key + got, SIPHASH_KEY_BYTES - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			strbuf_addf(err, "getrandom: %s", strerror(errno));
			return -1;
		}
		got += (size_t)n;
	}
	return 0;
}

void bake_key_line(struct strbuf *out, const unsigned char key[SIPHASH_KEY_BYTES])
{
	strbuf_addstr(out, "key ");
	for (size_t i = 0; i < SIPHASH_KEY_BYTES; i++)
		strbuf_addf(out, "%02x", key[i]);
	strbuf_addch(out, '\n');
}

/* base's bytes to fd, then zeros to a 4-byte boundary: where the kernel
 * looks for the next archive's magic. */
static int copy_base(int fd, const char *base, struct strbuf *err)
{
	static const char zeros[4];
	char *chunk = xmalloc(COPY_CHUNK);
	unsigned long long total = 0;
	int in = open(base, O_RDONLY | O_CLOEXEC), r = 0;
	ssize_t n;

	if (in < 0) {
		strbuf_addf(err, "%s: %s", base, strerror(errno));
		free(chunk);
		return -1;
	}
	while (!r && ((n = read(in, chunk, COPY_CHUNK)) > 0 || (n < 0 && errno == EINTR))) {
		if (n < 0)
			continue;
		total += (unsigned long long)n;
		if ((r = fs_write_all(fd, chunk, (size_t)n)))
			strbuf_addf(err, "writing the run's initrd: %s", strerror(-r));
	}
	if (!r && n < 0) {
		strbuf_addf(err, "%s: %s", base, strerror(errno));
		r = -1;
	}
	if (!r && (r = fs_write_all(fd, zeros, (size_t)((4 - total % 4) % 4))))
		strbuf_addf(err, "writing the run's initrd: %s", strerror(-r));
	close(in);
	free(chunk);
	return r ? -1 : 0;
}

int bake_initrd(const char *base, const char *plan_path, const char *out, struct strbuf *err)
{
	char dir[] = FRAME_PLAN_MEMBER;
	struct cpio_writer w;
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), r;

	if (fd < 0) {
		strbuf_addf(err, "%s: %s", out, strerror(errno));
		return -1;
	}
	*strrchr(dir, '/') = '\0';
	r = copy_base(fd, base, err);
	if (!r) {
		cpio_init(&w, fd, 0);
		if ((r = cpio_add_dir(&w, dir, 0700)) || (r = cpio_add_file(&w, FRAME_PLAN_MEMBER, plan_path, 0600)) ||
		    (r = cpio_finish(&w)))
			strbuf_addf(err, "writing the plan into %s: %s", out, strerror(-r));
	}
	if (close(fd) && !r) {
		strbuf_addf(err, "%s: %s", out, strerror(errno));
		r = -1;
	}
	if (r)
		unlink(out);
	return r ? -1 : 0;
}
