/* sched: worker processes, memory-aware admission, ordered reporting. */
#include "run/sched.h"
#include "lib/child.h"
#include "run/record.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORKERS 64
/* QEMU's own memory beside the guest's RAM. */
#define QEMU_OVERHEAD (96ULL << 20)

static volatile pid_t workers[MAX_WORKERS];
void (*sched_progress_hook)(size_t running, size_t reported);

void sched_signal_workers(int sig)
{
	for (int i = 0; i < MAX_WORKERS; i++)
		if (workers[i] > 0)
			kill(workers[i], sig);
}

static void record_worker(pid_t pid)
{
	for (int w = 0; w < MAX_WORKERS; w++)
		if (!workers[w]) {
			workers[w] = pid;
			return;
		}
}

/* In a new worker: the other workers and the parent's children are not
 * its to signal (a pid in the fork-time copy may be reused by anything by
 * the time a signal comes); it ends only its own children (its QEMU). */
static void forget_parents_children(void)
{
	for (int w = 0; w < MAX_WORKERS; w++)
		workers[w] = 0;
	child_forget_all();
}

unsigned long long sched_memory_budget(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	unsigned long long kb = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	/* keep a quarter (at least 512 MiB) for everything else */
	unsigned long long b = kb << 10, keep = b / 4 > (512ULL << 20) ? b / 4 : 512ULL << 20;
	return b > keep ? b - keep : 0;
}

static void encode_judged(struct strbuf *out, const char *kind, const struct judged_expect *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		strbuf_addf(out, "%s %d", kind, v[i].line);
		record_add_field(out, v[i].text);
		record_add_field(out, v[i].expected);
		record_add_field(out, v[i].seen);
		strbuf_addch(out, '\n');
	}
}

static void decode_judged(char **v, struct judged_expect **list, size_t *n)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	struct judged_expect *f = &(*list)[(*n)++];
	f->line = atoi(v[1]);
	f->text = xstrdup(v[2]);
	f->expected = xstrdup(v[3]);
	f->seen = xstrdup(v[4]);
}

void sched_encode_result(const struct run_result *res, struct strbuf *out)
{
	strbuf_addf(out, "verdict %d\nseconds %.3f\ninterrupted %d\nhost_failed %d\nreason", (int)res->verdict,
		    res->seconds, res->interrupted, res->host_failed);
	record_add_field(out, res->reason.buf);
	strbuf_addch(out, '\n');
	encode_judged(out, "failed", res->failed, res->nfailed);
	encode_judged(out, "held", res->held, res->nheld);
	strbuf_addstr(out, "end\n");
}

int sched_decode_result(const char *text, size_t len, struct run_result *res)
{
	size_t pos = 0;
	int ended = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char **v;
		size_t n = record_split(text + pos, ll, &v);

		if (n == 2 && !strcmp(v[0], "verdict"))
			res->verdict = (enum verdict)atoi(v[1]);
		else if (n == 2 && !strcmp(v[0], "seconds"))
			res->seconds = atof(v[1]);
		else if (n == 2 && !strcmp(v[0], "interrupted"))
			res->interrupted = atoi(v[1]);
		else if (n == 2 && !strcmp(v[0], "host_failed"))
			res->host_failed = atoi(v[1]);
		else if (n == 2 && !strcmp(v[0], "reason"))
			strbuf_addstr(&res->reason, v[1]);
		else if (n == 5 && !strcmp(v[0], "failed"))
			decode_judged(v, &res->failed, &res->nfailed);
		else if (n == 5 && !strcmp(v[0], "held"))
			decode_judged(v, &res->held, &res->nheld);
		else if (n == 1 && !strcmp(v[0], "end"))
			ended = 1;
		record_fields_free(v, n);
		pos += ll + 1;
	}
	return ended ? 0 : -1;
}

struct slot {
	pid_t pid;
	int fd;
	size_t job;
	struct strbuf out;
};

static void worker(const struct job *job, job_run_fn run, int fd, pid_t parent)
{
	struct run_result res;
	struct strbuf out = STRBUF_INIT;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(1);
	run_result_init(&res);
	run(job, &res);
	sched_encode_result(&res, &out);
	for (size_t off = 0; off < out.len;) {
		ssize_t w = write(fd, out.buf + off, out.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(1);
		off += (size_t)w;
	}
	_exit(0);
}

size_t sched_run(struct job *jobs, size_t njobs, int parallel, unsigned long long budget, job_run_fn run,
		 job_report_fn report, volatile sig_atomic_t *stop)
{
	return sched_run_hosts(jobs, njobs, parallel, budget, NULL, 0, run, report, stop);
}

/* The live host with a free slot and the fewest runs; -1: none now. */
static int pick_host(struct sched_host *hosts, int nhosts, int avoid)
{
	int best = -1;

	for (int h = 0; h < nhosts; h++)
		if (!hosts[h].dead && hosts[h].running < hosts[h].slots && h != avoid &&
		    (best < 0 || hosts[h].running * hosts[best].slots < hosts[best].running * hosts[h].slots))
			best = h;
	return best;
}

static int any_live(struct sched_host *hosts, int nhosts, int avoid)
{
	for (int h = 0; h < nhosts; h++)
		if (!hosts[h].dead && h != avoid)
			return 1;
	return 0;
}

size_t sched_run_hosts(struct job *jobs, size_t njobs, int parallel, unsigned long long budget,
		       struct sched_host *hosts, int nhosts, job_run_fn run, job_report_fn report,
		       volatile sig_atomic_t *stop)
{
	/* runs to do again on another host, before the rest */
	size_t *retry = xcalloc(njobs ? njobs : 1, sizeof(*retry));
	size_t nretry = 0;
	struct slot slots[MAX_WORKERS];
	struct run_result *done = xcalloc(njobs ? njobs : 1, sizeof(*done));
	char *finished = xcalloc(njobs ? njobs : 1, 1);
	size_t next = 0, reported = 0, running = 0;
	unsigned long long mem_used = 0;

	if (parallel < 1)
		parallel = 1;
	if (parallel > MAX_WORKERS)
		parallel = MAX_WORKERS;
	for (int i = 0; i < parallel; i++)
		slots[i].pid = 0;

	for (size_t j = 0; j < njobs; j++) {
		jobs[j].host = -1;
		jobs[j].moved_from = -1;
	}
	while (reported < njobs) {
		/* Start what fits: a slot, and memory (one guest always may run). */
		while (!*stop && (nretry || next < njobs) && (int)running < parallel) {
			size_t j = nretry ? retry[0] : next;
			int p[2], s = 0, h = -1;
			if (running && mem_used + jobs[j].memory + QEMU_OVERHEAD > budget)
				break;
			if (hosts) {
				h = pick_host(hosts, nhosts, jobs[j].moved_from);
				if (h < 0 && !any_live(hosts, nhosts, jobs[j].moved_from)) {
					/* nowhere left to run it */
					run_result_init(&done[j]);
					done[j].verdict = V_ERROR;
					strbuf_addstr(&done[j].reason, "every host failed");
					finished[j] = 1;
					if (nretry)
						memmove(retry, retry + 1, --nretry * sizeof(*retry));
					else
						next++;
					continue;
				}
				if (h < 0)
					break;
			}
			jobs[j].host = h;
			while (slots[s].pid)
				s++;
			if (pipe2(p, O_CLOEXEC))
				break;
			fflush(NULL);
			pid_t parent = getpid();
			/* a signal that comes while the worker is not yet in
			 * workers[] waits until it is, so it reaches the worker */
			sigset_t all, old;
			sigfillset(&all);
			sigprocmask(SIG_BLOCK, &all, &old);
			pid_t pid = fork();
			if (pid == 0) {
				forget_parents_children();
				sigprocmask(SIG_SETMASK, &old, NULL);
				close(p[0]);
				worker(&jobs[j], run, p[1], parent);
			}
			close(p[1]);
			if (pid > 0)
				record_worker(pid);
			sigprocmask(SIG_SETMASK, &old, NULL);
			if (pid < 0) {
				close(p[0]);
				break;
			}
			slots[s].pid = pid;
			slots[s].fd = p[0];
			slots[s].job = j;
			strbuf_init(&slots[s].out);
			mem_used += jobs[j].memory + QEMU_OVERHEAD;
			running++;
			if (h >= 0)
				hosts[h].running++;
			if (nretry)
				memmove(retry, retry + 1, --nretry * sizeof(*retry));
			else
				next++;
		}
		if (!running) {
			/* what could not start anywhere is reported here */
			while (reported < njobs && finished[reported] == 1) {
				report(&jobs[reported], &done[reported]);
				run_result_release(&done[reported]);
				finished[reported] = 2;
				reported++;
			}
			if (*stop || (next >= njobs && !nretry) || reported >= njobs)
				break;
			continue;
		}

		struct pollfd pfd[MAX_WORKERS];
		int idx[MAX_WORKERS], n = 0;
		for (int s = 0; s < parallel; s++)
			if (slots[s].pid) {
				pfd[n] = (struct pollfd){ slots[s].fd, POLLIN, 0 };
				idx[n++] = s;
			}
		if (sched_progress_hook)
			sched_progress_hook(running, reported);
		if (poll(pfd, (nfds_t)n, 200) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < n; i++) {
			struct slot *sl = &slots[idx[i]];
			char buf[4096];
			ssize_t r;
			if (!pfd[i].revents)
				continue;
			r = read(sl->fd, buf, sizeof(buf));
			if (r > 0) {
				strbuf_add(&sl->out, buf, (size_t)r);
				continue;
			}
			if (r < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			/* EOF: the worker is done (or died). */
			int st = 0;
			close(sl->fd);
			waitpid(sl->pid, &st, 0);
			for (int w = 0; w < MAX_WORKERS; w++)
				if (workers[w] == sl->pid)
					workers[w] = 0;
			struct run_result *res = &done[sl->job];
			run_result_init(res);
			if (sched_decode_result(sl->out.buf, sl->out.len, res)) {
				run_result_release(res);
				run_result_init(res);
				res->verdict = V_ERROR;
				if (WIFSIGNALED(st))
					strbuf_addf(&res->reason, "the harness worker died of signal %d", WTERMSIG(st));
				else
					strbuf_addf(&res->reason, "the harness worker ended without a result (exit %d)",
						    WEXITSTATUS(st));
				res->interrupted = *stop != 0;
			}
			struct job *jb = &jobs[sl->job];
			if (jb->host >= 0)
				hosts[jb->host].running--;
			if (hosts && res->host_failed && jb->host >= 0) {
				hosts[jb->host].dead = 1;
				if (jb->moved_from < 0 && !*stop && any_live(hosts, nhosts, jb->host)) {
					/* once more, elsewhere */
					jb->moved_from = jb->host;
					run_result_release(res);
					retry[nretry++] = sl->job;
					finished[sl->job] = 0;
					mem_used -= jb->memory + QEMU_OVERHEAD;
					strbuf_release(&sl->out);
					sl->pid = 0;
					running--;
					continue;
				}
			}
			finished[sl->job] = 1;
			mem_used -= jobs[sl->job].memory + QEMU_OVERHEAD;
			strbuf_release(&sl->out);
			sl->pid = 0;
			running--;
		}
		while (reported < njobs && finished[reported]) {
			report(&jobs[reported], &done[reported]);
			run_result_release(&done[reported]);
			finished[reported] = 2;
			reported++;
		}
	}
	free(done);
	free(finished);
	free(retry);
	return reported;
}
