/* tap: TAP 14 output. */
#include "report/tap.h"
#include "lib/json.h"

#include <string.h>
#include <sys/stat.h>

void tap_begin(FILE *out, int version, size_t planned)
{
	fprintf(out, "TAP version %d\n1..%zu\n", version, planned);
	fflush(out);
}

void tap_yaml_string(struct strbuf *out, const char *s)
{
	/* JSON strings are valid YAML double-quoted scalars. */
	json_quote(out, s, strlen(s));
}

/* A test point's description must not hold '#' (it would start a
 * directive), a newline or any other control byte (a file name can). */
static void description(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		strbuf_addch(out, (c == '#' || c < 0x20 || c == 0x7f) ? '_' : *s);
	}
}

int tap_color;

/* The page of the LAVA server's job the run was (run_dir/lava-job.url, its
 * first line), or nothing. */
static void job_page(const char *run_dir, struct strbuf *page)
{
	struct strbuf path = STRBUF_INIT;

	if (!run_dir)
		return;
	strbuf_addf(&path, "%s/lava-job.url", run_dir);
	if (!strbuf_read_file(page, path.buf)) {
		page->len = strcspn(page->buf, "\r\n");
		page->buf[page->len] = '\0';
	} else {
		strbuf_reset(page);
	}
	strbuf_release(&path);
}

void tap_result(FILE *out, size_t n, const char *case_name, const char *target,
		const struct run_result *r, const char *run_dir)
{
	struct strbuf sb = STRBUF_INIT, page = STRBUF_INIT;
	int ok = r->verdict == V_PASS || r->verdict == V_SKIP;

	if (tap_color)
		strbuf_addf(&sb, "%s%s\033[0m %zu - ", r->verdict == V_SKIP ? "\033[33m" : ok ? "\033[32m" : "\033[1;31m",
			    ok ? "ok" : "not ok", n);
	else
		strbuf_addf(&sb, "%s %zu - ", ok ? "ok" : "not ok", n);
	description(&sb, case_name);
	strbuf_addstr(&sb, " [");
	description(&sb, target);
	strbuf_addstr(&sb, "]");
	if (r->verdict == V_SKIP) {
		strbuf_addstr(&sb, " # SKIP ");
		description(&sb, r->reason.buf);
	}
	strbuf_addch(&sb, '\n');
	job_page(run_dir, &page);
	if (ok && page.len) {
		strbuf_addstr(&sb, "# LAVA job: ");
		description(&sb, page.buf);
		strbuf_addch(&sb, '\n');
	}
	if (!ok) {
		strbuf_addf(&sb, "  ---\n  verdict: %s\n", verdict_name(r->verdict));
		if (r->reason.len) {
			strbuf_addstr(&sb, "  message: ");
			tap_yaml_string(&sb, r->reason.buf);
			strbuf_addch(&sb, '\n');
		}
		if (page.len) {
			strbuf_addstr(&sb, "  lava_job: ");
			tap_yaml_string(&sb, page.buf);
			strbuf_addch(&sb, '\n');
		}
		if (r->nfailed) {
			strbuf_addstr(&sb, "  failed:\n");
			for (size_t i = 0; i < r->nfailed; i++) {
				strbuf_addstr(&sb, "    - expectation: ");
				tap_yaml_string(&sb, r->failed[i].text);
				strbuf_addf(&sb, "\n      line: %d\n      expected: ", r->failed[i].line);
				tap_yaml_string(&sb, r->failed[i].expected);
				strbuf_addstr(&sb, "\n      seen: ");
				tap_yaml_string(&sb, r->failed[i].seen);
				strbuf_addch(&sb, '\n');
			}
		}
		if (run_dir) {
			static const char *const files[] = { "console.log", "agent.log", "facts.json", "qemu.cmdline",
							     "qemu.log", "lava.log", "job.yaml", "lava-job.yaml" };
			int any = 0;
			for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
				struct strbuf p = STRBUF_INIT;
				struct stat st;
				strbuf_addf(&p, "%s/%s", run_dir, files[i]);
				/* only what is there; qemu.log only when QEMU said something */
				if (stat(p.buf, &st) || (!st.st_size && !strcmp(files[i], "qemu.log"))) {
					strbuf_release(&p);
					continue;
				}
				if (!any++)
					strbuf_addstr(&sb, "  logs:\n");
				strbuf_addf(&sb, "    %s: ", files[i]);
				tap_yaml_string(&sb, p.buf);
				strbuf_addch(&sb, '\n');
				strbuf_release(&p);
			}
		}
		strbuf_addf(&sb, "  seconds: %.2f\n  ...\n", r->seconds);
	}
	fputs(sb.buf, out);
	fflush(out);
	strbuf_release(&sb);
	strbuf_release(&page);
}

void tap_bail_out(FILE *out, const char *why)
{
	fprintf(out, "Bail out! %s\n", why);
	fflush(out);
}
