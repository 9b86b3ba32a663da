/* results: run directories. */
#include "run/results.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int results_new_run(const char *root, struct strbuf *run_dir, struct strbuf *err)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int r = fs_mkdirs(root);

	if (r) {
		strbuf_addf(err, "cannot create results directory %s: %s", root, strerror(-r));
		return -1;
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (int i = 0;; i++) {
		strbuf_reset(run_dir);
		strbuf_addf(run_dir, "%s/%s", root, stamp);
		if (i)
			strbuf_addf(run_dir, "-%d", i);
		if (!mkdir(run_dir->buf, 0755))
			break;
		if (errno != EEXIST || i > 1000) {
			strbuf_addf(err, "cannot create %s: %s", run_dir->buf, strerror(errno));
			return -1;
		}
	}
	/* latest -> <run-id>, replaced atomically */
	struct strbuf link = STRBUF_INIT, tmp = STRBUF_INIT;
	const char *base = strrchr(run_dir->buf, '/') + 1;
	strbuf_addf(&link, "%s/latest", root);
	strbuf_addf(&tmp, "%s/.latest.%d", root, (int)getpid());
	unlink(tmp.buf);
	if (!symlink(base, tmp.buf) && rename(tmp.buf, link.buf))
		unlink(tmp.buf);
	strbuf_release(&link);
	strbuf_release(&tmp);
	return 0;
}
