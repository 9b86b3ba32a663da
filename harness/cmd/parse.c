/* cmd_parse: `oomtest parse [--json|--facts] FILE...` */
#include "cmd/parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/facts.h"
#include "klog/klog.h"
#include "lib/strbuf.h"

/* Small enough to stay in the L2 cache between read() and the parser. */
#define CHUNK (128 * 1024)

enum mode { MODE_TEXT, MODE_JSON, MODE_FACTS };

static void usage(FILE *out)
{
	fputs("usage: oomtest parse [--json | --facts] FILE...\n"
	      "\n"
	      "Reads kernel logs (serial console, dmesg, dmesg -T, journalctl -k, syslog,\n"
	      "/dev/kmsg; \"-\" is stdin) and reports the OOM-killer events in them: who\n"
	      "asked for what memory, what was killed and how much it held, the memory\n"
	      "picture (Mem-Info, zones, free blocks per order) and the task table; also\n"
	      "panics, \"no killable processes\", page allocation failures, oops/BUG/WARNING.\n"
	      "Each FILE is a log of its own.\n"
	      "\n"
	      "  --json    the full event structure as JSON (an array of\n"
	      "            {\"file\", \"log\"} objects when several FILEs are given)\n"
	      "  --facts   the facts a case file can test, as \"name = value\" lines\n"
	      "  --help    this text\n"
	      "\n"
	      "Exit status: 0 when a log holds OOM events, 1 when none does, 2 on error.\n",
	      out);
}

static void write_all(const char *buf, size_t len)
{
	if (len && fwrite(buf, 1, len, stdout) != len) {
		fprintf(stderr, "oomtest parse: stdout: %s\n", strerror(errno));
		exit(2);
	}
}

/* Streams one file through a parser; returns 0 or an errno. */
static int feed_file(struct klog *k, const char *path, char *buf)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	int err = 0;

	if (fd < 0)
		return errno;
	for (;;) {
		ssize_t n = read(fd, buf, CHUNK);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		if (n == 0)
			break;
		klog_feed(k, buf, (size_t)n);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	klog_end(k);
	return err;
}

static void print_facts(const struct klog *k, struct strbuf *out)
{
	struct facts f = FACTS_INIT;

	klog_add_facts(k, &f);
	for (size_t i = 0; i < f.n; i++)
		strbuf_addf(out, "%s = %s\n", f.v[i].name, f.v[i].value);
	facts_release(&f);
}

int cmd_parse(int argc, char **argv)
{
	enum mode mode = MODE_TEXT;
	const char **files = xcalloc((size_t)argc + 1, sizeof(*files));
	size_t nfiles = 0, printed = 0;
	bool options = true, any_oom = false, error = false;
	struct strbuf out = STRBUF_INIT;
	char *buf;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (options && !strcmp(a, "--")) {
			options = false;
		} else if (options && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
			usage(stdout);
			free(files);
			return 0;
		} else if (options && !strcmp(a, "--json")) {
			mode = MODE_JSON;
		} else if (options && !strcmp(a, "--facts")) {
			mode = MODE_FACTS;
		} else if (options && a[0] == '-' && a[1]) {
			fprintf(stderr, "oomtest parse: unknown option %s\n", a);
			usage(stderr);
			free(files);
			return 2;
		} else {
			files[nfiles++] = a;
		}
	}
	if (!nfiles) {
		fputs("oomtest parse: no log given (use - for stdin)\n", stderr);
		usage(stderr);
		free(files);
		return 2;
	}

	buf = xmalloc(CHUNK);
	if (mode == MODE_JSON && nfiles > 1)
		write_all("[\n", 2);
	for (size_t i = 0; i < nfiles; i++) {
		struct klog *k = klog_new();
		int err = feed_file(k, files[i], buf);

		if (err) {
			fprintf(stderr, "oomtest parse: %s: %s\n", files[i], strerror(err));
			error = true;
			klog_free(k);
			continue;
		}
		if (klog_oom_count(k))
			any_oom = true;
		strbuf_reset(&out);
		if (mode == MODE_JSON && nfiles > 1) {
			strbuf_addstr(&out, printed ? ",{\"file\":" : "{\"file\":");
			json_add_string(&out, files[i], strlen(files[i]));
			strbuf_addstr(&out, ",\"log\":");
			klog_to_json(k, &out);
			strbuf_rtrim(&out);
			strbuf_addstr(&out, "}\n");
		} else if (mode == MODE_JSON) {
			klog_to_json(k, &out);
		} else {
			if (nfiles > 1)
				strbuf_addf(&out, "%s==> %s <==\n", printed ? "\n" : "", files[i]);
			if (mode == MODE_FACTS)
				print_facts(k, &out);
			else
				klog_to_text(k, &out);
		}
		write_all(out.buf, out.len);
		printed++;
		klog_free(k);
	}
	if (mode == MODE_JSON && nfiles > 1)
		write_all("]\n", 2);
	if (fflush(stdout)) {
		fprintf(stderr, "oomtest parse: stdout: %s\n", strerror(errno));
		error = true;
	}
	strbuf_release(&out);
	free(buf);
	free(files);
	if (error)
		return 2;
	return any_oom ? 0 : 1;
}
