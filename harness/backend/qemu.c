/* backend_qemu: runs the guest in a QEMU started directly. The console
 * (ttyS0) and agent channel (ttyS1) are Unix sockets QEMU listens on and
 * waits for before it starts the guest, so not one byte is lost. */
#include "backend/backend.h"
#include "lib/child.h"
#include "backend/qmp.h"
#include "run/results.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct vm {
	struct child qemu;
	char *sockdir;
	int con_fd, agent_fd;
	struct qmp qmp;
};

static char *sock_path(const struct vm *vm, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s/%s", vm->sockdir, name);
	return strbuf_detach(&sb);
}

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* QEMU creates the socket and waits in accept(): retry until it is there. */
static int connect_to(struct vm *vm, const char *name, struct strbuf *err)
{
	char *path = sock_path(vm, name);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timespec start;
	int fd = -1;

	clock_gettime(CLOCK_MONOTONIC, &start);
	if (strlen(path) >= sizeof(sa.sun_path)) {
		strbuf_addf(err, "socket path too long: %s", path);
		free(path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	for (;;) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			break;
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		close(fd);
		fd = -1;
		if (child_wait(&vm->qemu, 0)) {
			strbuf_addstr(err, "QEMU exited before the guest started");
			break;
		}
		if (elapsed_ms(&start) > 20000) {
			strbuf_addf(err, "QEMU did not open %s within 20 s", name);
			break;
		}
		poll(NULL, 0, 5);
	}
	free(path);
	if (fd >= 0)
		fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static void add(char ***argv, size_t *n, const char *s)
{
	*argv = xrealloc(*argv, (*n + 2) * sizeof(char *));
	(*argv)[(*n)++] = xstrdup(s);
	(*argv)[*n] = NULL;
}

/* -chardev socket ID in DIR, then OPT ARG that uses it */
static void add_socket(char ***argv, size_t *n, const char *dir, const char *id, const char *opt, const char *arg)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "socket,id=%s,path=%s/%s,server=on,wait=on", id, dir, id);
	add(argv, n, "-chardev");
	add(argv, n, sb.buf);
	add(argv, n, opt);
	add(argv, n, arg);
	strbuf_release(&sb);
}

static const char *chosen_accel;

static int qemu_start(const struct vm_config *cfg, struct vm **out, struct strbuf *err);
static void qemu_destroy(struct vm *vm);

/* Whether KVM really runs our guests here: a /dev/kvm that opens is no
 * proof (nested setups can run a firmware and hang in Linux). The probe
 * boots a real target under KVM; its agent must say ready within 15 s
 * (a KVM boot takes about one). The answer is kept per boot of the host,
 * in /tmp. */
static int kvm_works(const struct vm_config *probe)
{
	char cache[96], boot_id[64] = "";
	struct vm *vm = NULL;
	struct strbuf err = STRBUF_INIT, got = STRBUF_INIT;
	struct timespec start;
	int ok = 0;
	FILE *f;

	if (!probe || access("/dev/kvm", R_OK | W_OK))
		return 0;
	if ((f = fopen("/proc/sys/kernel/random/boot_id", "r"))) {
		if (!fgets(boot_id, sizeof(boot_id), f))
			boot_id[0] = '\0';
		boot_id[strcspn(boot_id, "\n")] = '\0';
		fclose(f);
	}
	snprintf(cache, sizeof(cache), "/tmp/oomtest-kvm-probe.%u", (unsigned)getuid());
	if (boot_id[0] && (f = fopen(cache, "r"))) {
		char line[80] = "";
		size_t n = strlen(boot_id);
		if (fgets(line, sizeof(line), f) && !strncmp(line, boot_id, n) && line[n] == ' ')
			ok = line[n + 1] == '1' ? 1 : -1;
		fclose(f);
		if (ok)
			return ok > 0;
	}
	chosen_accel = "kvm";
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (!qemu_start(probe, &vm, &err)) {
		while (!ok && elapsed_ms(&start) < 15000 && !child_wait(&vm->qemu, 0)) {
			struct pollfd p = { vm->agent_fd, POLLIN, 0 };
			char buf[256];
			ssize_t n;
			if (poll(&p, 1, 100) > 0 && (n = read(vm->agent_fd, buf, sizeof(buf))) > 0)
				strbuf_add(&got, buf, (size_t)n);
			ok = !strncmp(got.buf, "ready ", 6);
			/* the console is not read: keep it from filling */
			while (read(vm->con_fd, buf, sizeof(buf)) > 0)
				;
		}
		qemu_destroy(vm);
	}
	chosen_accel = NULL;
	strbuf_release(&err);
	strbuf_release(&got);
	if (boot_id[0] && (f = fopen(cache, "w"))) {
		fprintf(f, "%s %d\n", boot_id, ok);
		fclose(f);
	}
	return ok;
}

static void qemu_setup(const struct vm_config *probe)
{
	const char *a = getenv("OOMTEST_ACCEL");

	if (a && (!strcmp(a, "kvm") || !strcmp(a, "tcg")))
		chosen_accel = a;
	else
		chosen_accel = kvm_works(probe) ? "kvm" : "tcg";
}

static const char *accel(void)
{
	return chosen_accel ? chosen_accel : "tcg";
}

/* Polls a QMP query until its answer holds one of the wanted strings
 * (1) or one of the failed ones (-1, answer in err). */
static int poll_until(struct vm *vm, const char *query, const char *const *want, const char *const *failed,
		      int timeout_ms, struct strbuf *err)
{
	struct strbuf reply = STRBUF_INIT;
	struct timespec start;
	int r = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!r) {
		if (qmp_command(&vm->qmp, query, 5000, &reply, err)) {
			r = -1;
			break;
		}
		for (size_t i = 0; want[i] && !r; i++)
			if (strstr(reply.buf, want[i]))
				r = 1;
		for (size_t i = 0; failed[i] && !r; i++)
			if (strstr(reply.buf, failed[i])) {
				strbuf_addf(err, "QEMU: %s", reply.buf);
				r = -1;
			}
		if (!r && elapsed_ms(&start) > timeout_ms) {
			strbuf_addf(err, "QEMU: still %s after %d s", reply.buf, timeout_ms / 1000);
			r = -1;
		}
		if (!r)
			poll(NULL, 0, 10);
	}
	strbuf_release(&reply);
	return r;
}

/* Loads a state saved by qemu_save into a QEMU started with -incoming
 * defer; the guest runs on from where it was saved. */
static int restore(struct vm *vm, const char *path, struct strbuf *err)
{
	/* saved stopped, it loads as "paused": then it is continued */
	static const char *const loaded[] = { "\"status\": \"running\"", "\"status\": \"paused\"", NULL };
	static const char *const failed[] = { NULL };	/* a failed load ends QEMU */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0) {
		strbuf_addf(err, "snapshot %s: %s", path, strerror(errno));
		return -1;
	}
	r = qmp_send_fd(&vm->qmp, fd, "snap", 5000, err);
	close(fd);
	if (!r)
		r = qmp_command(&vm->qmp, "{\"execute\": \"migrate-incoming\", \"arguments\": {\"uri\": \"fd:snap\"}}",
				5000, NULL, err);
	if (!r && poll_until(vm, "{\"execute\": \"query-status\"}", loaded, failed, 30000, err) < 0)
		r = -1;
	if (!r)
		r = qmp_command(&vm->qmp, "{\"execute\": \"cont\"}", 5000, NULL, err);
	if (r)
		strbuf_addf(err, " (restoring %s)", path);
	return r;
}

static int qemu_save(struct vm *vm, const char *path, struct strbuf *err)
{
	static const char *const done[] = { "\"status\": \"completed\"", NULL };
	static const char *const failed[] = { "\"status\": \"failed\"", "\"status\": \"cancelled\"", NULL };
	int fd, r;

	if (qmp_command(&vm->qmp, "{\"execute\": \"stop\"}", 5000, NULL, err))
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = qmp_send_fd(&vm->qmp, fd, "snap", 5000, err);
	close(fd);
	/* no bandwidth cap: the file is local */
	if (!r)
		r = qmp_command(&vm->qmp, "{\"execute\": \"migrate-set-parameters\", "
				"\"arguments\": {\"max-bandwidth\": 1099511627776}}", 5000, NULL, err);
	if (!r)
		r = qmp_command(&vm->qmp, "{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"fd:snap\"}}",
				5000, NULL, err);
	if (!r && poll_until(vm, "{\"execute\": \"query-migrate\"}", done, failed, 120000, err) < 0)
		r = -1;
	return r;
}

static int qemu_start(const struct vm_config *cfg, struct vm **out, struct strbuf *err)
{
	const struct target *t = cfg->target;
	struct vm *vm = xcalloc(1, sizeof(*vm));
	struct strbuf sb = STRBUF_INIT, append = STRBUF_INIT;
	char **argv = NULL;
	size_t argc = 0;
	char tmpl[] = "/tmp/oomtest-qemu.XXXXXX";
	const char *tmpdir = getenv("TMPDIR");
	int logfd;

	vm->con_fd = vm->agent_fd = vm->qmp.fd = -1;
	/* Unix socket paths are short: keep them out of the results tree. */
	if (tmpdir && *tmpdir && strlen(tmpdir) < 60) {
		strbuf_addf(&sb, "%s/oomtest-qemu.XXXXXX", tmpdir);
		vm->sockdir = strbuf_detach(&sb);
	} else {
		vm->sockdir = xstrdup(tmpl);
	}
	if (!mkdtemp(vm->sockdir)) {
		strbuf_addf(err, "mkdtemp %s: %s", vm->sockdir, strerror(errno));
		free(vm->sockdir);
		free(vm);
		return -1;
	}

	/* OOMTEST_QEMU_NAIVE=1 (for bench/): QEMU as one would first write it,
	 * default devices and firmware, no boot-time savings */
	int naive = getenv("OOMTEST_QEMU_NAIVE") && !strcmp(getenv("OOMTEST_QEMU_NAIVE"), "1");
	strbuf_addstr(&append, naive ? "console=ttyS0 loglevel=7 panic=-1"
				     : GUEST_CMDLINE);
	if (cfg->extra_cmdline && *cfg->extra_cmdline)
		strbuf_addf(&append, " %s", cfg->extra_cmdline);

	add(&argv, &argc, qemu_binary(t->arch));
	if (!naive) {
		add(&argv, &argc, "-M");
		add(&argv, &argc, "pc");
	}
	add(&argv, &argc, "-accel");
	add(&argv, &argc, accel());
	add(&argv, &argc, "-m");
	strbuf_addf(&sb, "%llu", cfg->memory >> 20);
	add(&argv, &argc, sb.buf);
	strbuf_reset(&sb);
	add(&argv, &argc, "-smp");
	add(&argv, &argc, "1");
	if (!naive) {
		add(&argv, &argc, "-nodefaults");
		add(&argv, &argc, "-no-user-config");
	}
	add(&argv, &argc, "-display");
	add(&argv, &argc, "none");
	add(&argv, &argc, "-no-reboot");
	add(&argv, &argc, "-kernel");
	add(&argv, &argc, t->kernel);
	add(&argv, &argc, "-initrd");
	add(&argv, &argc, cfg->initrd);
	add(&argv, &argc, "-append");
	add(&argv, &argc, append.buf);
	/* each a socket QEMU waits on, in this order, before the guest starts */
	add_socket(&argv, &argc, vm->sockdir, "con", "-serial", "chardev:con");
	add_socket(&argv, &argc, vm->sockdir, "agent", "-serial", "chardev:agent");
	add_socket(&argv, &argc, vm->sockdir, "qmp", "-mon", "chardev=qmp,mode=control");
	/* A guest with the pvpanic driver tells QEMU when it panics; QEMU then
	 * says GUEST_PANICKED on QMP and shuts down. */
	add(&argv, &argc, "-device");
	add(&argv, &argc, "pvpanic");
	if (cfg->restore) {
		/* the state comes over QMP once the sockets are connected */
		add(&argv, &argc, "-incoming");
		add(&argv, &argc, "defer");
	}

	/* The command line, one argument a line, for the user to rerun. */
	for (size_t i = 0; i < argc; i++)
		strbuf_addf(&sb, "%s\n", argv[i]);
	{
		struct strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "%s/qemu.cmdline", cfg->run_dir);
		fs_write_atomic(p.buf, sb.buf, sb.len);
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/qemu.log", cfg->run_dir);
		logfd = open(p.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		strbuf_release(&p);
	}
	strbuf_release(&sb);
	strbuf_release(&append);

	int r = child_start(&vm->qemu, argv, logfd);
	if (logfd >= 0)
		close(logfd);
	for (size_t i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	if (r) {
		strbuf_addf(err, "cannot start %s: %s (install qemu-system-x86, or name a QEMU in OOMTEST_QEMU)",
			    qemu_binary(t->arch), strerror(-r));
		backend_qemu.destroy(vm);
		return -1;
	}
	vm->con_fd = connect_to(vm, "con", err);
	if (vm->con_fd < 0)
		goto fail;
	vm->agent_fd = connect_to(vm, "agent", err);
	if (vm->agent_fd < 0)
		goto fail;
	{
		int fd = connect_to(vm, "qmp", err);
		if (fd < 0 || qmp_open(&vm->qmp, fd, 20000, err)) {
			if (fd >= 0 && vm->qmp.fd < 0)
				close(fd);
			goto fail;
		}
	}
	if (cfg->restore && restore(vm, cfg->restore, err))
		goto fail;
	*out = vm;
	return 0;
fail:
	strbuf_addf(err, " (see %s/qemu.log)", cfg->run_dir);
	backend_qemu.destroy(vm);
	return -1;
}

static int qemu_console_fd(struct vm *vm) { return vm->con_fd; }
static int qemu_agent_fd(struct vm *vm) { return vm->agent_fd; }

static int qemu_wait(struct vm *vm, int timeout_ms)
{
	return child_wait(&vm->qemu, timeout_ms);
}

static void qemu_kill(struct vm *vm)
{
	child_stop(&vm->qemu);
}

static double qemu_cpu_seconds(struct vm *vm)
{
	return vm->qemu.cpu_seconds;
}

static int qemu_guest_panicked(struct vm *vm)
{
	qmp_drain(&vm->qmp);
	return qmp_saw_event(&vm->qmp, "GUEST_PANICKED");
}

static void qemu_describe_exit(struct vm *vm, struct strbuf *out)
{
	int st = vm->qemu.status;

	if (qemu_guest_panicked(vm))
		strbuf_addstr(out, "guest panicked (pvpanic)");
	else if (vm->qemu.pid)
		strbuf_addstr(out, "running");
	else if (WIFEXITED(st))
		strbuf_addf(out, "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		strbuf_addf(out, "signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
}

static void qemu_destroy(struct vm *vm)
{
	if (!vm)
		return;
	child_stop(&vm->qemu);
	if (vm->con_fd >= 0)
		close(vm->con_fd);
	if (vm->agent_fd >= 0)
		close(vm->agent_fd);
	qmp_close(&vm->qmp);
	if (vm->sockdir) {
		char *p = sock_path(vm, "con");
		unlink(p);
		free(p);
		p = sock_path(vm, "agent");
		unlink(p);
		free(p);
		p = sock_path(vm, "qmp");
		unlink(p);
		free(p);
		rmdir(vm->sockdir);
		free(vm->sockdir);
	}
	free(vm);
}

const struct backend_ops backend_qemu = {
	.name = "qemu",
	.setup = qemu_setup,
	.accel = accel,
	.start = qemu_start,
	.console_fd = qemu_console_fd,
	.agent_fd = qemu_agent_fd,
	.wait = qemu_wait,
	.kill = qemu_kill,
	.describe_exit = qemu_describe_exit,
	.guest_panicked = qemu_guest_panicked,
	.save = qemu_save,
	.cpu_seconds = qemu_cpu_seconds,
	.destroy = qemu_destroy,
};
