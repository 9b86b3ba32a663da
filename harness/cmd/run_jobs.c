/* run_jobs: from loaded cases and targets to verdicts and reports. */
#include "cmd/run_jobs.h"
#include "case/needs.h"
#include "cmd/common.h"
#include "lib/child.h"
#include "lib/fs.h"
#include "lib/hash.h"
#include "payload/disks.h"
#include "payload/payload.h"
#include "report/html.h"
#include "report/json.h"
#include "report/junit.h"
#include "report/progress.h"
#include "report/report.h"
#include "report/tap.h"
#include "run/runner.h"
#include "run/sched.h"
#include "target/modcheck.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct job_data {
	const struct oomcase *c;
	const struct target *t;
	const struct prepared *prep;
	struct strbuf dir;
	int skipped;		/* decided before any guest... */
	struct strbuf skip;	/* ...and why */
	struct manifest payload;	/* what the run brings into its guest */
	int payload_failed;	/* gathering it failed: the run's error... */
	struct strbuf payload_err;	/* ...is this */
};

/* What the workers and the reporter see (they get only the job). */
static const struct run_setup *setup;
static size_t reported_not_ok;
static struct report report;

/* Also the workers' handler (inherited): sched empties a new worker's
 * tables, so there it ends only the worker's own QEMU. */
static void on_signal(int sig)
{
	runner_interrupted = 1;
	child_kill_all();
	sched_signal_workers(sig);
}

/* "case" or "case[memory=64M,order=1]"; for a directory name, '/' is
 * replaced (values are case text). */
void run_name(struct strbuf *out, const struct oomcase *c, int for_path)
{
	strbuf_addstr(out, c->name);
	if (!c->variant)
		return;
	strbuf_addch(out, '[');
	for (const char *p = c->variant; *p; p++)
		strbuf_addch(out, for_path && (*p == '/' || *p == '\\') ? '_' : *p);
	strbuf_addch(out, ']');
}

/* Why this case does not run on this target (in why), or 0 when it does.
 * In the parent, before any guest: the verdict does not depend on what
 * else runs (-j). */
int run_skipped(const struct oomcase *oc, const struct target *t, unsigned long long host_memory,
		struct strbuf *why)
{
	if (!needs_target(oc, t)) {
		strbuf_addstr(why, "the case names other targets");
		return 1;
	}
	if (t->min_memory && oc->memory < t->min_memory) {
		strbuf_addf(why, "target %s needs at least %lluM of guest memory (its kernel takes most of %lluM)",
			    t->name, t->min_memory >> 20, oc->memory >> 20);
		return 1;
	}
	return !needs_met(oc, t, host_memory, why);
}

/* The run's payload disk and the list of its files, in the run directory.
 * A guest that boots reads only what the disk holds; one restored from a
 * saved guest needs the size the saved one probed. 0, or -1 with res set. */
/* Where the run's disk image `name` goes: its run directory, or the state
 * directory for a backend whose machine reads only that. */
static void disk_path(const struct job_data *d, const char *name, struct strbuf *out)
{
	if (setup->backend->reads_state_dir_only) {
		strbuf_addf(out, "%s/payloads", state_dir(setup->root));
		fs_mkdirs(out->buf);
		strbuf_addf(out, "/%016llx-%ld-%s.img",
			    (unsigned long long)hash_fnv1a(d->dir.buf, d->dir.len), (long)getpid(), name);
	} else {
		strbuf_addf(out, "%s/%s.img", d->dir.buf, name);
	}
}

/* The case's swap and data disks, when it asks for them. 0, or -1 with
 * res set. */
static int write_disks(const struct job_data *d, struct strbuf *swap, struct strbuf *data, struct run_result *res)
{
	struct strbuf err = STRBUF_INIT;
	int r = 0, line = 0;

	if (d->c->swap) {
		disk_path(d, "swap", swap);
		r = disks_make_swap(swap->buf, d->c->swap, &err);
		line = d->c->swap_line;
	}
	if (!r && d->c->disk) {
		disk_path(d, "disk", data);
		r = disks_make_data(data->buf, d->c->disk, NULL, &err);
		line = d->c->disk_line;
	}
	if (r) {
		res->verdict = V_ERROR;
		strbuf_addf(&res->reason, "%s:%d: %s", d->c->path, line, err.buf);
	}
	strbuf_release(&err);
	return r;
}

static void remove_disk(struct strbuf *path)
{
	if (path->len)
		unlink(path->buf);
	strbuf_release(path);
}

static int write_payload(const struct job_data *d, struct strbuf *disk, struct run_result *res)
{
	struct strbuf list = STRBUF_INIT, path = STRBUF_INIT, err = STRBUF_INIT;
	int r = 0;

	disk_path(d, "payload", disk);
	strbuf_addf(&path, "%s/payload.txt", d->dir.buf);
	payload_describe(&d->payload, &list);
	fs_write_atomic(path.buf, list.buf, list.len);
	if (manifest_write_disk(&d->payload, disk->buf, &err) ||
	    (!setup->snapshot_dir && payload_disk_compact(disk->buf))) {
		res->verdict = V_ERROR;
		strbuf_addf(&res->reason, "the payload disk %s: %s", disk->buf, err.len ? err.buf : "cannot be written");
		unlink(disk->buf);
		strbuf_release(disk);
		r = -1;
	}
	strbuf_release(&list);
	strbuf_release(&path);
	strbuf_release(&err);
	return r;
}

int run_module_check(const char *root, const struct oomcase *oc, const struct target *t, struct strbuf *err)
{
	struct strbuf ko = STRBUF_INIT;
	int ok = 1;

	strbuf_addf(&ko, "%s/targets/%s/oom_trigger.ko", state_dir(root), t->name);
	for (size_t s = 0; s < oc->nsteps && ok; s++)
		if (oc->steps[s].kind == STEP_MODULE && !oc->steps[s].host_path)
			ok = !modcheck(ko.buf, t->release, oc->steps[s].argv + 1, oc->steps[s].argc - 1, err);
	strbuf_release(&ko);
	return ok ? 0 : -1;
}

/* In a worker process: one case on one target. */
static void run_job(const struct job *job, struct run_result *res)
{
	const struct job_data *d = job->data;
	const struct oomcase *oc = d->c;
	const struct target *t = d->t;

	if (job->host >= 0)
		backend_libvirt_set_uri(setup->host_uris[job->host]);
	if (d->skipped) {
		res->verdict = V_SKIP;
		strbuf_addbuf(&res->reason, &d->skip);
		return;
	}
	int r = fs_mkdirs(d->dir.buf);
	if (r) {
		res->verdict = V_ERROR;
		strbuf_addf(&res->reason, "cannot create %s: %s", d->dir.buf, strerror(-r));
		return;
	}
	if (!d->prep->ok) {
		res->verdict = V_ERROR;
		strbuf_addbuf(&res->reason, &d->prep->err);
		return;
	}
	if (d->payload_failed) {
		res->verdict = V_ERROR;
		strbuf_addbuf(&res->reason, &d->payload_err);
		return;
	}
	struct strbuf disk = STRBUF_INIT, swap = STRBUF_INIT, data = STRBUF_INIT;
	if ((d->payload.n && write_payload(d, &disk, res)) || write_disks(d, &swap, &data, res)) {
		remove_disk(&disk);
		remove_disk(&swap);
		remove_disk(&data);
		return;
	}
	struct strbuf merr = STRBUF_INIT;
	if (run_module_check(setup->root, oc, t, &merr)) {
		res->verdict = V_ERROR;
		strbuf_addbuf(&res->reason, &merr);
	} else {
		/* the PVH vmlinux, or the bzImage where that does not fit */
		struct target booted = target_for_memory(t, oc->memory);
		struct run_request rq = {
			.c = oc, .t = &booted, .backend = setup->backend,
			.initrd = d->prep->initrd.buf, .run_dir = d->dir.buf,
			.timeout_ms = setup->timeout_ms ? setup->timeout_ms : oc->timeout_ms,
			.silence_ms = setup->silence_ms,
			.log_limit = setup->log_limit,
			.snapshot_dir = setup->snapshot_dir,
			.payload = disk.len ? disk.buf : NULL,
			.swap_disk = swap.len ? swap.buf : NULL,
			.data_disk = data.len ? data.buf : NULL,
			.single_console = setup->single_console,
		};
		if (disk.len) {
			facts_setf(&res->facts, "payload.files", "%zu", d->payload.n);
			facts_setf(&res->facts, "payload.bytes", "%llu", manifest_bytes(&d->payload));
		}
		run_one(&rq, res);
	}
	/* the list of what was in it stays (payload.txt); the disks go */
	remove_disk(&disk);
	remove_disk(&swap);
	remove_disk(&data);
	strbuf_release(&merr);
}

/* Where a run ran, when there are several hosts; else NULL. */
static const char *host_of(const struct job *job)
{
	return setup->nhosts > 1 && job->host >= 0 ? setup->host_uris[job->host] : NULL;
}

static void report_job(const struct job *job, const struct run_result *res)
{
	const struct job_data *d = job->data;

	if (res->verdict != V_PASS && res->verdict != V_SKIP)
		reported_not_ok++;
	struct strbuf name = STRBUF_INIT;
	run_name(&name, d->c, 0);
	struct strbuf tgt = STRBUF_INIT;
	strbuf_addstr(&tgt, d->t->name);
	/* with several hosts, the TAP says where each run ran */
	if (host_of(job) && res->verdict != V_SKIP) {
		strbuf_addf(&tgt, " on %s", host_of(job));
		if (job->moved_from >= 0)
			strbuf_addf(&tgt, ", moved from %s", setup->host_uris[job->moved_from]);
	}
	progress_clear();
	tap_result(stdout, job->index + 1, name.buf, tgt.buf, res,
		   res->verdict == V_SKIP ? NULL : d->dir.buf);
	progress_finished(res->verdict);
	report_add(&report, d->c, d->t, host_of(job), res, res->verdict == V_SKIP ? NULL : d->dir.buf);
	strbuf_release(&name);
	strbuf_release(&tgt);
}

/* index.html and report.json in the run directory, and the files asked
 * for. A report that cannot be written is named on stderr and the others
 * are still written; one asked for (--junit, --json) missing makes the
 * exit status 1, as a CI job would otherwise miss it. */
static int write_reports(const struct report *rep, const char *run_dir, const char *junit, const char *json)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	int bad = 0;

	for (int i = 0; i < 4; i++) {
		int r;
		strbuf_reset(&path);
		strbuf_reset(&err);
		if (i == 0) {
			strbuf_addf(&path, "%s/report.json", run_dir);
			r = report_json_write(rep, path.buf, &err);
		} else if (i == 1) {
			strbuf_addf(&path, "%s/index.html", run_dir);
			r = report_html_write(rep, path.buf, &err);
		} else if (i == 2) {
			r = json ? report_json_write(rep, json, &err) : 0;
		} else {
			r = junit ? report_junit_write(rep, junit, &err) : 0;
		}
		if (r) {
			fprintf(stderr, "oomtest: %s\n", err.buf);
			bad |= i >= 2;
		}
	}
	strbuf_release(&path);
	strbuf_release(&err);
	return bad;
}

static void gather_payload(const struct run_setup *s, struct job_data *d)
{
	struct strbuf why = STRBUF_INIT;

	switch (payload_gather(s->root, state_dir(s->root), d->c, d->t, &d->payload, &why)) {
	case PAYLOAD_READY:
		break;
	case PAYLOAD_SKIP:
		d->skipped = 1;
		strbuf_addbuf(&d->skip, &why);
		break;
	case PAYLOAD_ERROR:
		d->payload_failed = 1;
		strbuf_addbuf(&d->payload_err, &why);
		break;
	}
	if (d->skipped || d->payload_failed) {
		manifest_release(&d->payload);
		d->payload = (struct manifest)MANIFEST_INIT;
	}
	strbuf_release(&why);
}

int run_target_chosen(char *const *want, size_t nwant, const struct target *t)
{
	int chosen = !nwant;
	for (size_t k = 0; k < nwant; k++)
		chosen |= target_name_matches(want[k], t->name);
	return chosen;
}

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The scheduler, over the libvirt hosts when there are some. */
static size_t schedule(const struct run_setup *s, struct job *jobs, size_t njobs, unsigned long long budget)
{
	int parallel = s->parallel;

	if (!s->nhosts || s->backend != &backend_libvirt)
		return sched_run(jobs, njobs, parallel, budget, run_job, report_job, &runner_interrupted);
	/* hosts without *SLOTS: one alone takes -j; several take one each */
	int total = 0;
	for (int h = 0; h < s->nhosts; h++) {
		if (!s->hosts[h].slots)
			s->hosts[h].slots = s->nhosts == 1 ? parallel : 1;
		total += s->hosts[h].slots;
	}
	if (!s->jobs_given || parallel > total)
		parallel = total;
	backend_libvirt_set_uri(s->host_uris[0]);
	return sched_run_hosts(jobs, njobs, parallel, budget, s->hosts, s->nhosts, run_job, report_job,
			       &runner_interrupted);
}

int run_jobs(const struct run_setup *s, const struct oomcase *cases, size_t ncases,
	     const struct target_list *tl, const char *run_dir)
{
	int ret;
	/* what memory:SIZE needs and the scheduler are judged against, once
	 * for every job */
	unsigned long long host_memory = sched_memory_budget();

	setup = s;
	catch_signals();
	/* Which (case, target) pairs, in order: case by case. */
	struct prepared *prep = xcalloc(tl->n, sizeof(*prep));
	for (size_t j = 0; j < tl->n; j++) {
		strbuf_init(&prep[j].initrd);
		strbuf_init(&prep[j].err);
		prep[j].ok = -1; /* not yet */
	}
	struct job *jobs = xcalloc(ncases * tl->n + 1, sizeof(*jobs));
	struct job_data *jd = xcalloc(ncases * tl->n + 1, sizeof(*jd));
	size_t njobs = 0;
	for (size_t i = 0; i < ncases; i++)
		for (size_t j = 0; j < tl->n; j++) {
			if (!run_target_chosen(s->want_targets, s->nwant, &tl->v[j]))
				continue;
			jd[njobs] = (struct job_data){ .c = &cases[i], .t = &tl->v[j], .prep = &prep[j] };
			strbuf_init(&jd[njobs].dir);
			strbuf_addf(&jd[njobs].dir, "%s/", run_dir);
			run_name(&jd[njobs].dir, &cases[i], 1);
			strbuf_addf(&jd[njobs].dir, "/%s", tl->v[j].name);
			/* Modules and images are built here, once per target, before any guest. */
			if (needs_target(&cases[i], &tl->v[j]) && prep[j].ok < 0)
				prep[j].ok = !prepare_target(s->root, &tl->v[j], &prep[j].initrd, &prep[j].err);
			/* then whether it runs (the kernel config is there now); a
			 * skipped job boots no guest, so it waits for no memory */
			strbuf_init(&jd[njobs].skip);
			jd[njobs].skipped = run_skipped(&cases[i], &tl->v[j], host_memory, &jd[njobs].skip);
			/* what it brings: fetched and built here, once, before any guest */
			jd[njobs].payload = (struct manifest)MANIFEST_INIT;
			strbuf_init(&jd[njobs].payload_err);
			if (!jd[njobs].skipped && prep[j].ok > 0)
				gather_payload(s, &jd[njobs]);
			jobs[njobs] = (struct job){ .index = njobs, .data = &jd[njobs],
						    .memory = jd[njobs].skipped ? 0 : cases[i].memory };
			njobs++;
		}

	time_t started = time(NULL);
	report_init(&report, run_dir, started, njobs);
	tap_begin(stdout, s->tap_version, njobs);
	progress_begin(stdout, njobs, s->progress);
	sched_progress_hook = progress_update;
	/* KVM or TCG is decided once, here, not in every worker, by booting
	 * the first target that was built (see backend/qemu.c) */
	{
		size_t j = probe_choice(prep, tl->n);
		decide_accel(s->backend, s->root, j < tl->n ? &tl->v[j] : NULL, j < tl->n ? prep[j].initrd.buf : NULL);
	}
	size_t n = schedule(s, jobs, njobs, host_memory);
	size_t not_ok = reported_not_ok;
	progress_clear();
	if (runner_interrupted || n < njobs) {
		tap_bail_out(stdout, "interrupted");
		ret = 1;
	} else {
		ret = not_ok ? 1 : 0;
	}
	fflush(stdout);
	report.seconds = progress_elapsed();
	report.interrupted = runner_interrupted || n < njobs;
	if (write_reports(&report, run_dir, s->junit_path, s->json_path))
		ret = ret ? ret : 1;
	if (s->bisect)
		ret = report_bisect_status(&report);
	report_release(&report);
	for (size_t i = 0; i < njobs; i++) {
		strbuf_release(&jd[i].dir);
		strbuf_release(&jd[i].skip);
		strbuf_release(&jd[i].payload_err);
		manifest_release(&jd[i].payload);
	}
	free(jd);
	free(jobs);
	fprintf(stderr, "oomtest: %zu run, %zu not ok; results in %s\n", n, not_ok, run_dir);
	for (size_t j = 0; j < tl->n; j++) {
		strbuf_release(&prep[j].initrd);
		strbuf_release(&prep[j].err);
	}
	free(prep);
	return ret;
}
