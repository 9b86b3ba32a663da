/* report: the result model shared by the report formats. */
#include "report/report.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case/expect.h"
#include "lib/fs.h"
#include "lib/json.h"

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void report_init(struct report *r, const char *run_dir, time_t started, size_t planned)
{
	memset(r, 0, sizeof(*r));
	r->run_dir = xstrdup(run_dir);
	const char *slash = strrchr(run_dir, '/');
	r->run_id = xstrdup(slash ? slash + 1 : run_dir);
	r->started = started;
	r->planned = planned;
}

static void entry_release(struct report_entry *e)
{
	free(e->name);
	free(e->case_name);
	free(e->variant);
	free(e->case_path);
	free(e->description);
	free(e->target);
	free(e->arch);
	free(e->release);
	free(e->host);
	free(e->reason);
	for (size_t i = 0; i < e->nexpects; i++) {
		free(e->expects[i].text);
		free(e->expects[i].expected);
		free(e->expects[i].seen);
	}
	free(e->expects);
	facts_release(&e->facts);
	free(e->dir);
	free(e->events_json);
	for (size_t i = 0; i < e->nsamples; i++)
		free(e->samples[i].step);
	free(e->samples);
	for (size_t i = 0; i < e->npoints; i++)
		free(e->points[i].series);
	free(e->points);
	for (size_t i = 0; i < e->nevents; i++) {
		free(e->events[i].kind);
		free(e->events[i].what);
	}
	free(e->events);
}

void report_release(struct report *r)
{
	for (size_t i = 0; i < r->n; i++)
		entry_release(&r->v[i]);
	free(r->v);
	free(r->run_id);
	free(r->run_dir);
	memset(r, 0, sizeof(*r));
}

static void add_expect(struct report_entry *e, const char *text, int line, const char *expected,
		       const char *seen, int ok)
{
	e->expects = xrealloc(e->expects, (e->nexpects + 1) * sizeof(*e->expects));
	e->expects[e->nexpects++] = (struct report_expect){
		.text = xstrdup(text), .line = line, .expected = xstrdup(expected),
		.seen = dup_or_null(seen), .ok = ok,
	};
}

static const struct judged_expect *find_judged(const struct judged_expect *v, size_t n,
					       const struct expectation *x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].line == x->line && !strcmp(v[i].text, x->text))
			return &v[i];
	return NULL;
}

/* "step\tms\trss_kb" lines; anything malformed is skipped. */
static void read_samples(struct report_entry *e, const char *text)
{
	const char *p = strchr(text, '\n');

	while (p && *++p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *line = xmalloc(len + 1), *save = NULL;
		memcpy(line, p, len);
		line[len] = '\0';
		char *step = strtok_r(line, "\t", &save), *ms = strtok_r(NULL, "\t", &save),
		     *kb = strtok_r(NULL, "\t", &save);
		if (step && ms && kb) {
			e->samples = xrealloc(e->samples, (e->nsamples + 1) * sizeof(*e->samples));
			e->samples[e->nsamples++] = (struct report_sample){
				.step = xstrdup(step), .ms = strtoull(ms, NULL, 10), .rss_kb = strtoull(kb, NULL, 10),
			};
		}
		free(line);
		p = end;
	}
}

static int is_number(const char *s)
{
	return *s && strlen(s) <= 19 && strspn(s, "0123456789") == strlen(s);
}

/* Splits a row in place at its tabs: 1 when it has exactly n fields, none
 * of them empty. */
static int tsv_row(char *line, char **fields, size_t n)
{
	size_t k = 0;
	char *p = line;

	for (;;) {
		char *tab = strchr(p, '\t');
		if (k == n || !*p || tab == p)
			return 0;
		fields[k++] = p;
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	return k == n;
}

/* Calls take for each row of a tab-separated text with three non-empty
 * fields, the header line skipped; other rows are skipped too. */
static void read_rows(struct report_entry *e, const char *text, void (*take)(struct report_entry *, char **))
{
	const char *p = strchr(text, '\n');

	while (p && *++p) {
		const char *end = strchr(p, '\n');
		char *line = xstrndup(p, end ? (size_t)(end - p) : strlen(p)), *fields[3];
		if (tsv_row(line, fields, 3))
			take(e, fields);
		free(line);
		p = end;
	}
}

/* timeline.tsv: "ms\tseries\tkb" */
static void take_point(struct report_entry *e, char **f)
{
	if (!is_number(f[0]) || !is_number(f[2]))
		return;
	e->points = xrealloc(e->points, (e->npoints + 1) * sizeof(*e->points));
	e->points[e->npoints++] = (struct report_point){
		.series = xstrdup(f[1]), .ms = strtoull(f[0], NULL, 10), .kb = strtoull(f[2], NULL, 10),
	};
}

/* timeline-events.tsv: "ms\tkind\twhat" */
static void take_event(struct report_entry *e, char **f)
{
	if (!is_number(f[0]))
		return;
	e->events = xrealloc(e->events, (e->nevents + 1) * sizeof(*e->events));
	e->events[e->nevents++] = (struct report_event){
		.ms = strtoull(f[0], NULL, 10), .kind = xstrdup(f[1]), .what = xstrdup(f[2]),
	};
}

static void read_file_in(const char *dir, const char *name, struct strbuf *out)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", dir, name);
	if (strbuf_read_file(out, path.buf) < 0)
		strbuf_reset(out);
	strbuf_release(&path);
}

static void read_facts(struct report_entry *e, const char *dir)
{
	struct strbuf text = STRBUF_INIT;
	read_file_in(dir, "facts.json", &text);
	struct strbuf err = STRBUF_INIT;
	json_object *o = text.len ? json_parse(text.buf, strlen(text.buf), &err) : NULL;
	if (o && json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, name, value)
			if (json_object_is_type(value, json_type_string))
				facts_set(&e->facts, name, json_object_get_string(value));
	}
	json_object_put(o);
	strbuf_release(&err);
	strbuf_release(&text);
}

void report_add(struct report *r, const struct oomcase *c, const struct target *t, const char *host,
		const struct run_result *res, const char *dir)
{
	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	struct report_entry *e = &r->v[r->n++];
	struct strbuf sb = STRBUF_INIT;

	memset(e, 0, sizeof(*e));
	strbuf_addstr(&sb, c->name);
	if (c->variant)
		strbuf_addf(&sb, "[%s]", c->variant);
	e->name = strbuf_detach(&sb);
	e->case_name = xstrdup(c->name);
	e->variant = dup_or_null(c->variant);
	e->case_path = xstrdup(c->path);
	e->description = dup_or_null(c->description);
	e->target = xstrdup(t->name);
	e->arch = xstrdup(t->arch);
	e->release = xstrdup(t->release ? t->release : "");
	e->host = dup_or_null(host);
	e->verdict = res->verdict;
	e->reason = xstrdup(res->reason.buf ? res->reason.buf : "");
	e->seconds = res->seconds;
	for (size_t i = 0; i < res->facts.n; i++)
		facts_set(&e->facts, res->facts.v[i].name, res->facts.v[i].value);
	if (res->verdict == V_SKIP || !dir)
		return;
	e->dir = xstrdup(dir);
	/* a worker sends back its verdict; the facts are in facts.json */
	if (!res->facts.n)
		read_facts(e, dir);

	/* Every expectation as the worker judged it (what it saw, whether it
	 * held): the report does not judge again, since the worker judged
	 * "console" on the text it kept in memory and the facts it had, which
	 * the files on disk need not match (--log-limit). An expectation the
	 * worker did not judge (the run did not finish) has no seen. */
	struct strbuf want = STRBUF_INIT;
	for (size_t i = 0; i < c->nexpects; i++) {
		const struct expectation *x = &c->expects[i];
		if (!expect_selects(x->selector, t->name, t->arch, t->release))
			continue;
		const struct judged_expect *f = find_judged(res->failed, res->nfailed, x);
		const struct judged_expect *h = f ? NULL : find_judged(res->held, res->nheld, x);
		const struct judged_expect *j = f ? f : h;
		strbuf_reset(&want);
		if (!j)
			expect_describe(x, &want);
		add_expect(e, x->text, x->line, j ? j->expected : want.buf, j ? j->seen : NULL, h != NULL);
	}
	/* the harness's own checks (no unexpected panic, oops, BUG) */
	for (size_t i = 0; i < res->nfailed; i++)
		if (!res->failed[i].line)
			add_expect(e, res->failed[i].text, 0, res->failed[i].expected, res->failed[i].seen, 0);
	strbuf_release(&want);

	strbuf_init(&sb);
	read_file_in(dir, "events.json", &sb);
	if (sb.len)
		e->events_json = strbuf_detach(&sb);
	strbuf_release(&sb);
	read_file_in(dir, "memory.tsv", &sb);
	if (sb.len)
		read_samples(e, sb.buf);
	strbuf_reset(&sb);
	read_file_in(dir, "timeline.tsv", &sb);
	read_rows(e, sb.buf, take_point);
	strbuf_reset(&sb);
	read_file_in(dir, "timeline-events.tsv", &sb);
	read_rows(e, sb.buf, take_event);
	strbuf_release(&sb);
}

int report_write_doc(const char *what, const char *path, const struct strbuf *doc, struct strbuf *err)
{
	int ret = fs_write_atomic(path, doc->buf, doc->len);

	if (ret)
		strbuf_addf(err, "writing the %s report %s: %s", what, path, strerror(-ret));
	return ret;
}

int report_build_and_write(const struct report *r, report_builder *build, const char *what, const char *path,
			   struct strbuf *err)
{
	struct strbuf doc = STRBUF_INIT;
	int ret = build(r, &doc, err);

	if (!ret && report_write_doc(what, path, &doc, err))
		ret = -1;
	strbuf_release(&doc);
	return ret;
}

size_t report_count(const struct report *r, enum verdict v)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->v[i].verdict == v;
	return n;
}

int report_bisect_status(const struct report *r)
{
	if (r->interrupted || !r->n || r->n < r->planned)
		return REPORT_BISECT_SKIP;
	if (report_count(r, V_ERROR) || report_count(r, V_TIMEOUT) || report_count(r, V_SKIP))
		return REPORT_BISECT_SKIP;
	return report_count(r, V_FAIL) ? 1 : 0;
}

int report_read_log(const struct report_entry *e, const char *name, size_t limit, struct strbuf *out)
{
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	int cut = 0;

	if (!e->dir)
		return 0;
	strbuf_addf(&path, "%s/%s", e->dir, name);
	int fd = open(path.buf, O_RDONLY | O_CLOEXEC);
	strbuf_release(&path);
	if (fd < 0)
		return 0;
	if (!fstat(fd, &st) && (size_t)st.st_size > limit) {
		lseek(fd, st.st_size - (off_t)limit, SEEK_SET);
		cut = 1;
	}
	char buf[65536];
	ssize_t n;
	size_t got = 0;
	int cr = 0;                /* a \r held back: is a \n next (maybe in the next read)? */
	while (got < limit && (n = read(fd, buf, sizeof(buf))) > 0) {
		size_t take = (size_t)n < limit - got ? (size_t)n : limit - got;
		got += take;
		/* a serial console ends its lines with \r\n: shown as \n; a lone \r stays */
		for (size_t i = 0; i < take; i++) {
			if (cr && buf[i] != '\n')
				strbuf_addch(out, '\r');
			cr = buf[i] == '\r';
			if (!cr)
				strbuf_addch(out, buf[i]);
		}
	}
	if (cr)
		strbuf_addch(out, '\r');
	close(fd);
	return cut;
}
