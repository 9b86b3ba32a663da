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

#include "lib/child.h"
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

/* Waits for the child for up to timeout_s (0: no limit); then SIGTERM to
 * lava-run alone, which it turns into a canceled job (stopping QEMU itself
 * and logging it), and SIGKILL to its whole group if that hangs. */
static void wait_or_cancel(struct child *c, unsigned timeout_s)
{
	if (child_wait(c, timeout_s ? (int)(timeout_s * 1000u) : -1))
		return;
	kill(c->pid, SIGTERM);
	if (child_wait(c, 30 * 1000))
		return;
	child_stop(c);
}

int lava_run_job(struct lava_run *run, bool validate_only, unsigned timeout_s, struct strbuf *err)
{
	struct child c;
	char **argv;
	int fd, rc, clean;

	fd = open(run->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		strbuf_addf(err, "%s: %s", run->log, strerror(errno));
		return -1;
	}
	argv = lava_run_argv(run, validate_only);
	rc = child_start(&c, argv, fd);
	close(fd);
	lava_run_argv_free(argv);
	if (rc) {
		strbuf_addf(err, "%s: %s", run->program, child_strerror(-rc));
		lava_run_clean_scratch(run);
		return -1;
	}
	wait_or_cancel(&c, timeout_s);
	clean = lava_run_clean_scratch(run);
	if (c.wait_error) {
		strbuf_addf(err, "%s: %s", run->program, child_strerror(c.wait_error));
		return -1;
	}
	if (!WIFEXITED(c.status)) {
		strbuf_addf(err, "%s: killed by signal %d", run->program, WTERMSIG(c.status));
		return -1;
	}
	if (clean) {
		strbuf_addf(err, "%s: %s", run->scratch, strerror(-clean));
		return -1;
	}
	return WEXITSTATUS(c.status);
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
