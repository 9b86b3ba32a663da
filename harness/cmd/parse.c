/* cmd_parse: `oomtest parse [--json|--facts] FILE...` */
#include "cmd/parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "klog/klog.h"
#include "lib/facts.h"
#include "lib/fs.h"
#include "lib/json.h"
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

/* Writes out to stdout; false (with a message) when stdout fails. */
static bool emit(const struct strbuf *out)
{
	int err = fs_write_all(STDOUT_FILENO, out->buf, out->len);

	if (err)
		fprintf(stderr, "oomtest parse: stdout: %s\n", strerror(-err));
	return !err;
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
	bool options = true, any_oom = false, error = false, write_failed = false;
	json_object *docs = NULL;
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
	/* several logs as --json: one array of {"file", "log"} documents */
	if (mode == MODE_JSON && nfiles > 1)
		docs = json_object_new_array();
	for (size_t i = 0; i < nfiles && !write_failed; i++) {
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
		if (docs) {
			json_object *doc = json_object_new_object();

			json_put(doc, "file", json_str(files[i]));
			json_put(doc, "log", klog_json(k));
			json_object_array_add(docs, doc);
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
		write_failed = !emit(&out);
		printed++;
		klog_free(k);
	}
	if (docs && !write_failed) {
		strbuf_reset(&out);
		json_dump(docs, 0, &out);
		write_failed = !emit(&out);
	}
	json_object_put(docs);
	strbuf_release(&out);
	free(buf);
	free(files);
	if (error || write_failed)
		return 2;
	return any_oom ? 0 : 1;
}
