/* shell: an interactive guest on the user's terminal. */
#include "cmd/shell.h"
#include "lib/fs.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cmd/common.h"
#include "lib/units.h"
#include "run/record.h"
#include "run/snapshot.h"

#define CTRL_RIGHT_BRACKET 0x1d
#define BOOT_TIMEOUT_S 120
#define POWEROFF_TIMEOUT_S 10   /* after the agent's "done" */

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* Reads agent records; sets *ready and *done as they come. */
static void agent_input(struct strbuf *pending, int fd, int *ready, int *done, int *eof)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
		*eof = 1;
		return;
	}
	if (n < 0)
		return;
	strbuf_add(pending, buf, (size_t)n);
	char *nl;
	while ((nl = memchr(pending->buf, '\n', pending->len))) {
		size_t len = (size_t)(nl - pending->buf);
		char **f;
		size_t nf = record_split(pending->buf, len, &f);
		if (nf && !strcmp(f[0], "ready"))
			*ready = 1;
		if (nf && !strcmp(f[0], "done"))
			*done = 1;
		if (nf >= 2 && !strcmp(f[0], "err"))
			fprintf(stderr, "\r\noomtest shell: guest agent: %s\r\n", f[1]);
		record_fields_free(f, nf);
		size_t rest = pending->len - len - 1;
		memmove(pending->buf, nl + 1, rest);
		pending->len = rest;
		pending->buf[rest] = '\0';
	}
}

int shell_run(const struct shell_request *rq)
{
	struct vm_config cfg = { .target = rq->target, .initrd = rq->initrd, .memory = rq->memory };
	struct strbuf err = STRBUF_INIT, pending = STRBUF_INIT, plan = STRBUF_INIT;
	struct snapshot snap = { 0 };
	struct vm *vm = NULL;
	char tmpl[] = "/tmp/oomtest-shell.XXXXXX";
	int ret = 2, ready = 0, done = 0, agent_eof = 0, con_eof = 0, raw = 0, sent = 0, killed = 0;
	struct termios saved;

	if (!mkdtemp(tmpl)) {
		fprintf(stderr, "oomtest shell: mkdtemp: %s\n", strerror(errno));
		return 2;
	}
	cfg.run_dir = tmpl;
	if (rq->snapshot_dir) {
		fprintf(stderr, "oomtest shell: starting %s with %lluM (a saved guest is made the first time)...\n",
			rq->target->name, rq->memory >> 20);
		if (snapshot_get(rq->backend, &cfg, rq->snapshot_dir, &snap, &err)) {
			fprintf(stderr, "oomtest shell: no saved guest (%s); booting\n", err.buf);
			strbuf_reset(&err);
		} else {
			cfg.restore = snap.state;
			ready = 1; /* it was saved right after "ready" */
		}
	} else {
		fprintf(stderr, "oomtest shell: booting %s with %lluM...\n", rq->target->name, rq->memory >> 20);
	}
	if (rq->backend->start(&cfg, &vm, &err)) {
		if (!cfg.restore) {
			fprintf(stderr, "oomtest shell: %s\n", err.buf);
			goto out;
		}
		strbuf_reset(&err);
		snapshot_drop(&snap);
		cfg.restore = NULL;
		ready = 0;
		vm = NULL;
		if (rq->backend->start(&cfg, &vm, &err)) {
			fprintf(stderr, "oomtest shell: %s\n", err.buf);
			goto out;
		}
	}
	int con = rq->backend->console_fd(vm), agent = rq->backend->agent_fd(vm);

	/* the plan: cgroup v2 mounted for experiments, then the shell */
	struct winsize ws = { 0 };
	if (ioctl(rq->out_fd, TIOCGWINSZ, &ws) || !ws.ws_row)
		ws.ws_row = 24, ws.ws_col = 80;
	char rows[16], cols[16];
	snprintf(rows, sizeof(rows), "%u", ws.ws_row);
	snprintf(cols, sizeof(cols), "%u", ws.ws_col);
	strbuf_addstr(&plan, "mount");
	record_add_field(&plan, "cgroup2");
	strbuf_addstr(&plan, "\nshell");
	record_add_field(&plan, rows);
	record_add_field(&plan, cols);
	strbuf_addstr(&plan, "\nend\n");

	/* a signal, or a reader of our output that went away, ends the guest
	 * through the loop below, which puts the terminal back */
	struct sigaction sa = { .sa_handler = on_stop }, ign = { .sa_handler = SIG_IGN }, old_int, old_term,
			 old_hup, old_pipe;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sigaction(SIGPIPE, &ign, &old_pipe);
	if (isatty(rq->in_fd) && !tcgetattr(rq->in_fd, &saved)) {
		struct termios t = saved;
		cfmakeraw(&t); /* the guest's tty does the echo and the line endings */
		raw = !tcsetattr(rq->in_fd, TCSANOW, &t);
	}
	fprintf(stderr, "oomtest shell: the module is /lib/modules/oom_trigger.ko (insmod it), the hog /bin/hog; "
			"exit powers the guest off, Ctrl-] kills it\r\n");

	time_t boot_deadline = time(NULL) + BOOT_TIMEOUT_S, done_at = 0;
	int in_open = 1;
	while (!con_eof || !agent_eof) {
		struct pollfd pfd[3];
		int n = 0, ic = -1, ia = -1, ii = -1;
		if (stop_signal) {
			fprintf(stderr, "\r\noomtest shell: signal %d: the guest is killed\r\n", (int)stop_signal);
			killed = 1;
			break;
		}
		if (ready && !sent) {
			if (fs_write_all(agent, plan.buf, plan.len)) {
				fprintf(stderr, "\r\noomtest shell: cannot send the plan to the guest agent\r\n");
				killed = 1;
				break;
			}
			sent = 1;
		}
		if (!ready && time(NULL) > boot_deadline) {
			fprintf(stderr, "\r\noomtest shell: the guest agent never said ready within %d s\r\n",
				BOOT_TIMEOUT_S);
			killed = 1;
			break;
		}
		if (!con_eof)
			pfd[ic = n++] = (struct pollfd){ con, POLLIN, 0 };
		if (!agent_eof)
			pfd[ia = n++] = (struct pollfd){ agent, POLLIN, 0 };
		if (in_open && sent)
			pfd[ii = n++] = (struct pollfd){ rq->in_fd, POLLIN, 0 };
		if (poll(pfd, (nfds_t)n, 200) < 0 && errno != EINTR)
			break;
		if (ic >= 0 && pfd[ic].revents) {
			char buf[4096];
			ssize_t r = read(con, buf, sizeof(buf));
			if (r > 0) {
				if (fs_write_all(rq->out_fd, buf, (size_t)r)) {
					killed = 1; /* nobody reads the console any more */
					break;
				}
			} else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
				con_eof = 1;
			}
		}
		if (ia >= 0 && pfd[ia].revents)
			agent_input(&pending, agent, &ready, &done, &agent_eof);
		if (ii >= 0 && pfd[ii].revents) {
			char buf[4096];
			ssize_t r = read(rq->in_fd, buf, sizeof(buf));
			if (r <= 0) {
				/* end of input (a pipe): the shell reads EOF as exit */
				in_open = 0;
				if (r == 0)
					fs_write_all(con, "\x04", 1);
				continue;
			}
			char *quit = memchr(buf, CTRL_RIGHT_BRACKET, (size_t)r);
			if (quit)
				r = quit - buf;
			if (r > 0 && fs_write_all(con, buf, (size_t)r))
				con_eof = 1;
			if (quit) {
				fprintf(stderr, "\r\noomtest shell: Ctrl-]: the guest is killed\r\n");
				killed = 1;
				break;
			}
		}
		if (done && !done_at)
			done_at = time(NULL);
		if (done && (rq->backend->wait(vm, 0) || time(NULL) > done_at + POWEROFF_TIMEOUT_S))
			break;
	}
	if (killed)
		rq->backend->kill(vm);
	rq->backend->wait(vm, 5000);
	rq->backend->kill(vm);
	strbuf_reset(&err);
	rq->backend->describe_exit(vm, &err);
	if (raw)
		tcsetattr(rq->in_fd, TCSANOW, &saved);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	ret = done && !killed ? 0 : 1;
	fprintf(stderr, "\noomtest shell: the guest %s (QEMU %s)\n",
		ret ? "was ended" : "powered off", err.len ? err.buf : "gone");
out:
	if (vm)
		rq->backend->destroy(vm);
	snapshot_release(&snap);
	strbuf_release(&err);
	strbuf_release(&pending);
	strbuf_release(&plan);
	/* QEMU's files in the temporary directory */
	static const char *const files[] = { "qemu.log", "qemu.cmdline", "con", "agent", "qmp" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "%s/%s", tmpl, files[i]);
		unlink(p.buf);
		strbuf_release(&p);
	}
	rmdir(tmpl);
	return ret;
}

int cmd_shell(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "memory", required_argument, NULL, 'm' },
		{ "cold-boot", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage[] =
		"usage: oomtest shell [--target T] [--memory SIZE] [--cold-boot]\n"
		"An interactive guest of target T (default: the first target) with SIZE of RAM\n"
		"(default 256M): the OOM-trigger module (/lib/modules/oom_trigger.ko), the hog\n"
		"(/bin/hog), busybox and cgroup v2 on /sys/fs/cgroup. Its serial console is your\n"
		"terminal: exit (or Ctrl-D) powers the guest off, Ctrl-] kills it at once.\n"
		"Without --cold-boot it starts from a guest booted once and saved.\n";
	const char *want = NULL;
	unsigned long long memory = 256ull << 20;
	int c, cold = 0, ret = 2;
	char *root = project_root();
	struct target_list tl = { 0 };
	struct strbuf err = STRBUF_INIT, initrd = STRBUF_INIT, shell_initrd = STRBUF_INIT,
		      snapdir = STRBUF_INIT;

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:m:h", opts, NULL)) != -1) {
		switch (c) {
		case 't': want = optarg; break;
		case 'm':
			if (units_parse_size(optarg, &memory) || memory < (16ull << 20)) {
				fprintf(stderr, "oomtest shell: --memory %s: expected a size of 16M or more (e.g. 256M)\n",
					optarg);
				goto out;
			}
			break;
		case 'C': cold = 1; break;
		case 'h': fputs(usage, stdout); ret = 0; goto out;
		default: fputs(usage, stderr); goto out;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "oomtest shell: unexpected argument '%s'\n%s", argv[optind], usage);
		goto out;
	}
	ensure_targets(root);
	if (load_targets(&tl, root, &err)) {
		fprintf(stderr, "oomtest: %s\n", err.buf);
		goto out;
	}
	const struct target *t = want ? targets_find(&tl, want) : tl.n ? &tl.v[0] : NULL;
	if (!t) {
		print_no_target("shell", want ? want : "", &tl);
		goto out;
	}
	if (t->min_memory && memory < t->min_memory) {
		fprintf(stderr, "oomtest shell: target %s needs at least %lluM\n", t->name, t->min_memory >> 20);
		goto out;
	}
	if (prepare_target(root, t, &initrd, &err)) {
		fprintf(stderr, "oomtest shell: %s\n", err.buf);
		goto out;
	}
	strbuf_addf(&shell_initrd, "%s/targets/%s/initramfs-shell.cpio", state_dir(root), t->name);
	if (access(shell_initrd.buf, R_OK)) {
		fprintf(stderr, "oomtest shell: %s missing: busybox was not fetched (run %s/images/fetch-targets.sh)\n",
			shell_initrd.buf, root);
		goto out;
	}
	strbuf_addf(&snapdir, "%s/snapshots", state_dir(root));
	decide_accel(&backend_qemu, root, t, initrd.buf);
	struct target booted = target_for_memory(t, memory);
	struct shell_request rq = {
		.backend = &backend_qemu, .target = &booted, .initrd = shell_initrd.buf, .memory = memory,
		.snapshot_dir = cold ? NULL : snapdir.buf, .in_fd = 0, .out_fd = 1,
	};
	ret = shell_run(&rq);
out:
	targets_release(&tl);
	strbuf_release(&err);
	strbuf_release(&initrd);
	strbuf_release(&shell_initrd);
	strbuf_release(&snapdir);
	free(root);
	return ret;
}
