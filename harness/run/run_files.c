/* run_files: a run's files (see run_files.h). */
#include "run/run_files.h"
#include "lib/fs.h"
#include "lib/json.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int run_files_open_log(const char *dir, const char *name)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", dir, name);
	int fd = open(p.buf, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	strbuf_release(&p);
	if (fd < 0)
		run_files_write_failed(dir, name, -errno);
	return fd;
}

void run_files_write_failed(const char *dir, const char *name, int err)
{
	fprintf(stderr, "oomtest: cannot write %s/%s: %s (the verdict still goes to stdout)\n", dir, name,
		strerror(-err));
}

static void write_file(const char *dir, const char *name, const struct strbuf *data)
{
	struct strbuf path = STRBUF_INIT;
	int r;

	strbuf_addf(&path, "%s/%s", dir, name);
	if ((r = fs_write_atomic(path.buf, data->buf, data->len)))
		run_files_write_failed(dir, name, r);
	strbuf_release(&path);
}

void run_files_write_plan(const char *dir, const struct strbuf *plan)
{
	write_file(dir, "plan.txt", plan);
}

void run_files_write_details(const char *dir, const struct klog *k, const struct record_state *rec)
{
	struct strbuf data = STRBUF_INIT;

	klog_to_json(k, &data);
	strbuf_addch(&data, '\n');
	write_file(dir, "events.json", &data);
	strbuf_reset(&data);
	strbuf_addstr(&data, "step\tms\trss_kb\n");
	strbuf_addbuf(&data, &rec->samples);
	write_file(dir, "memory.tsv", &data);
	strbuf_reset(&data);
	strbuf_addstr(&data, "ms\tseries\tkb\n");
	strbuf_addbuf(&data, &rec->timeline.rows);
	write_file(dir, "timeline.tsv", &data);
	strbuf_reset(&data);
	strbuf_addstr(&data, "ms\tkind\twhat\n");
	strbuf_addbuf(&data, &rec->timeline.events);
	write_file(dir, "timeline-events.tsv", &data);
	strbuf_release(&data);
}

void run_result_to_json(const char *case_name, const char *target_name, const struct run_result *res,
			struct strbuf *out)
{
	json_object *o = json_object_new_object(), *failed = json_object_new_array();
	char seconds[64];

	json_put(o, "case", json_str(case_name));
	json_put(o, "target", json_str(target_name));
	json_put(o, "verdict", json_str(verdict_name(res->verdict)));
	json_put(o, "reason", json_str_len(res->reason.buf, res->reason.len));
	/* two decimals, as the facts say it */
	snprintf(seconds, sizeof(seconds), "%.2f", res->seconds);
	json_put(o, "seconds", json_object_new_double_s(res->seconds, seconds));
	for (size_t i = 0; i < res->nfailed; i++) {
		const struct judged_expect *f = &res->failed[i];
		json_object *e = json_object_new_object();
		json_put(e, "expectation", json_str(f->text));
		json_put(e, "line", json_object_new_int(f->line));
		json_put(e, "expected", json_str(f->expected));
		json_put(e, "seen", json_str(f->seen));
		json_object_array_add(failed, e);
	}
	json_put(o, "failed", failed);
	json_dump(o, 1, out);
	json_object_put(o);
}

void run_files_write_result(const char *dir, const char *case_name, const char *target_name,
			    const struct run_result *res)
{
	struct strbuf json = STRBUF_INIT;

	facts_to_json(&res->facts, &json);
	write_file(dir, "facts.json", &json);
	strbuf_reset(&json);
	run_result_to_json(case_name, target_name, res, &json);
	write_file(dir, "result.json", &json);
	strbuf_release(&json);
}
