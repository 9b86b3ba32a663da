/* lava_run: one job through lava-run (see lava_run.h). */
#include "lava/lava_run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/fs.h"

static char *path_join(const char *dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", dir, name);
	return strbuf_detach(&sb);
}

/* Digits only (LAVA puts the id in process titles, paths and container
 * names): seconds, pid and a counter, unique on this host. */
static char *new_job_id(void)
{
	static unsigned counter;
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%lld%07d%03u", (long long)time(NULL), (int)getpid() % 10000000,
		    counter++ % 1000);
	return strbuf_detach(&sb);
}

static int write_file(const char *path, const struct strbuf *sb, struct strbuf *err)
{
	int rc = fs_write_atomic(path, sb->buf, sb->len);

	if (rc)
		strbuf_addf(err, "%s: %s", path, strerror(-rc));
	return rc ? -1 : 0;
}

int lava_run_prepare(struct lava_run *run, const char *dir, const struct lava_job_spec *spec,
		     const char *scratch_base, struct strbuf *err)
{
	struct strbuf job = STRBUF_INIT, device = STRBUF_INIT, dispatcher = STRBUF_INIT;
	struct strbuf scratch = STRBUF_INIT;
	int rc = -1, mk;

	memset(run, 0, sizeof(*run));
	run->program = "lava-run";
	run->job_id = new_job_id();
	run->dir = xstrdup(dir);
	run->job = path_join(dir, "job.yaml");
	run->device = path_join(dir, "device.yaml");
	run->dispatcher = path_join(dir, "dispatcher.yaml");
	run->log = path_join(dir, "lava.log");
	run->output_dir = path_join(dir, "output");
	run->result = path_join(run->output_dir, "result.yaml");
	strbuf_addf(&scratch, "%s/%s%s", scratch_base ? scratch_base : LAVA_DISPATCHER_TMP,
		    LAVA_RUN_PREFIX, run->job_id);
	run->scratch = strbuf_detach(&scratch);

	if ((mk = fs_mkdirs(dir))) {
		strbuf_addf(err, "%s: %s", dir, strerror(-mk));
		goto out;
	}
	if (lava_job_write(spec, &job, err) || lava_job_write_device(spec, &device, err) ||
	    lava_job_write_dispatcher(LAVA_RUN_PREFIX, &dispatcher, err))
		goto out;
	if (write_file(run->job, &job, err) || write_file(run->device, &device, err) ||
	    write_file(run->dispatcher, &dispatcher, err))
		goto out;
	rc = 0;
out:
	strbuf_release(&job);
	strbuf_release(&device);
	strbuf_release(&dispatcher);
	return rc;
}

char **lava_run_argv(const struct lava_run *run, bool validate_only)
{
	const char *words[] = {
		run->program, "--job-id", run->job_id, "--output-dir", run->output_dir,
		"--device", run->device, "--dispatcher", run->dispatcher,
		validate_only ? "--validate" : NULL, run->job,
	};
	size_t n = sizeof(words) / sizeof(words[0]), k = 0;
	char **argv = xcalloc(n + 1, sizeof(*argv));

	for (size_t i = 0; i < n; i++)
		if (words[i])
			argv[k++] = xstrdup(words[i]);
	return argv;
}

void lava_run_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

int lava_run_clean_scratch(const struct lava_run *run)
{
	return run->scratch ? fs_remove_tree(run->scratch) : 0;
}

int lava_run_start(struct lava_run *run, bool validate_only, int out_fd, struct strbuf *err)
{
	char **argv = lava_run_argv(run, validate_only);
	int rc = child_start(&run->child, argv, out_fd);

	lava_run_argv_free(argv);
	if (rc) {
		memset(&run->child, 0, sizeof(run->child));
		strbuf_addf(err, "%s: %s", run->program, child_strerror(-rc));
		lava_run_clean_scratch(run);
		return -1;
	}
	return 0;
}

void lava_run_cancel(struct lava_run *run, int grace_ms)
{
	if (!run->child.pid)
		return;
	kill(run->child.pid, SIGTERM);
	if (!child_wait(&run->child, grace_ms))
		child_stop(&run->child);
}

int lava_run_finish(struct lava_run *run, struct strbuf *err)
{
	const struct child *c = &run->child;
	int clean = lava_run_clean_scratch(run);

	if (c->wait_error) {
		strbuf_addf(err, "%s: %s", run->program, child_strerror(c->wait_error));
		return -1;
	}
	if (!WIFEXITED(c->status)) {
		strbuf_addf(err, "%s: killed by signal %d", run->program, WTERMSIG(c->status));
		return -1;
	}
	if (clean) {
		strbuf_addf(err, "%s: %s", run->scratch, strerror(-clean));
		return -1;
	}
	return WEXITSTATUS(c->status);
}

int lava_run_job(struct lava_run *run, bool validate_only, unsigned timeout_s, struct strbuf *err)
{
	int fd, rc;

	fd = open(run->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		strbuf_addf(err, "%s: %s", run->log, strerror(errno));
		return -1;
	}
	rc = lava_run_start(run, validate_only, fd, err);
	close(fd);
	if (rc)
		return -1;
	/* lava-run's SIGTERM turns into a canceled job, stopping QEMU itself */
	if (!child_wait(&run->child, timeout_s ? (int)(timeout_s * 1000u) : -1))
		lava_run_cancel(run, LAVA_RUN_CANCEL_GRACE_MS);
	return lava_run_finish(run, err);
}

void lava_run_release(struct lava_run *run)
{
	free(run->job_id);
	free(run->dir);
	free(run->job);
	free(run->device);
	free(run->dispatcher);
	free(run->log);
	free(run->output_dir);
	free(run->result);
	free(run->scratch);
	memset(run, 0, sizeof(*run));
}
