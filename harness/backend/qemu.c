/* backend_qemu: runs the guest in a QEMU started directly, its machine
 * as the target's arch says (target/arch.h). The console and the agent
 * channel are Unix sockets QEMU listens on and waits for before it starts
 * the guest, so not one byte is lost; a single-console guest has the
 * console only. */
#include "backend/qemu.h"
#include "backend/kvm_cache.h"
#include "backend/qmp.h"
#include "lib/child.h"
#include "lib/clock.h"
#include "lib/fs.h"
#include "proto/disks.h"
#include "proto/payload.h"
#include "proto/proto.h"
#include "run/results.h"
#include "target/arch.h"

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

/* QEMU creates the socket and waits in accept(): retry until it is there. */
static int connect_to(struct vm *vm, const char *name, struct strbuf *err)
{
	char *path = sock_path(vm, name);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	uint64_t start = clock_now_ms();
	int fd = -1;

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
		if (clock_now_ms() - start > 20000) {
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

/* A raw image as a virtio disk the guest finds by its serial, id. */
static void add_disk(char ***argv, size_t *n, const char *id, const char *path, int readonly)
{
	struct strbuf drive = STRBUF_INIT, dev = STRBUF_INIT;

	/* QEMU's option syntax: a comma in a value is written twice */
	strbuf_addf(&drive, "if=none,id=%s,format=raw,%sfile=", id, readonly ? "readonly=on," : "");
	for (const char *p = path; *p; p++) {
		if (*p == ',')
			strbuf_addch(&drive, ',');
		strbuf_addch(&drive, *p);
	}
	strbuf_addf(&dev, "virtio-blk-pci,drive=%s,serial=%s", id, id);
	add(argv, n, "-drive");
	add(argv, n, drive.buf);
	add(argv, n, "-device");
	add(argv, n, dev.buf);
	strbuf_release(&drive);
	strbuf_release(&dev);
}

/* The agent channel: a second serial port, or a virtio console port on
 * its own virtio-serial bus. */
static void add_agent_channel(char ***argv, size_t *n, const char *dir, const struct arch_ops *a)
{
	if (a->chan == ARCH_CHAN_SERIAL) {
		add_socket(argv, n, dir, "agent", "-serial", "chardev:agent");
		return;
	}
	add(argv, n, "-device");
	add(argv, n, "virtio-serial-pci");
	add_socket(argv, n, dir, "agent", "-device", "virtconsole,chardev=agent");
}

char **qemu_argv(const struct vm_config *cfg, const char *accel, const char *sockdir)
{
	/* OOMTEST_QEMU_NAIVE=1 (for bench/): QEMU as one would first write it,
	 * default devices and firmware, no boot-time savings */
	int naive = getenv("OOMTEST_QEMU_NAIVE") && !strcmp(getenv("OOMTEST_QEMU_NAIVE"), "1");
	const struct arch_ops *a = arch_of(cfg->target->arch);
	struct strbuf append = STRBUF_INIT, mib = STRBUF_INIT;
	char **argv = NULL;
	size_t argc = 0;

	if (naive)
		strbuf_addf(&append, "console=%s loglevel=7 panic=-1 " OOMTEST_CHAN_ARG "%s", a->console_dev,
			    a->agent_dev);
	else
		arch_guest_cmdline(a, &append);
	/* the agent loads the virtio disk's driver for any of the disks */
	if (cfg->payload || cfg->swap_disk || cfg->data_disk)
		strbuf_addstr(&append, " " PAYLOAD_CMDLINE);
	if (cfg->extra_cmdline && *cfg->extra_cmdline)
		strbuf_addf(&append, " %s", cfg->extra_cmdline);
	if (cfg->single_console)
		strbuf_addstr(&append, " " BACKEND_SINGLE_CONSOLE_CMDLINE);
	strbuf_addf(&mib, "%llu", cfg->memory >> 20);
	add(&argv, &argc, arch_qemu_binary(a));
	if (!naive || !a->machine_is_default) {
		add(&argv, &argc, "-M");
		add(&argv, &argc, a->machine);
	}
	/* naive: the -cpu one first writes */
	const char *cpu = !naive && !strcmp(accel, "tcg") && a->cpu_tcg ? a->cpu_tcg : a->cpu;
	if (cpu) {
		add(&argv, &argc, "-cpu");
		add(&argv, &argc, cpu);
	}
	add(&argv, &argc, "-accel");
	add(&argv, &argc, accel);
	add(&argv, &argc, "-m");
	add(&argv, &argc, mib.buf);
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
	add(&argv, &argc, cfg->target->kernel);
	add(&argv, &argc, "-initrd");
	add(&argv, &argc, cfg->initrd);
	add(&argv, &argc, "-append");
	add(&argv, &argc, append.buf);
	/* each a socket QEMU waits on, in this order, before the guest starts */
	add_socket(&argv, &argc, sockdir, "con", "-serial", "chardev:con");
	if (!cfg->single_console)
		add_agent_channel(&argv, &argc, sockdir, a);
	add_socket(&argv, &argc, sockdir, "qmp", "-mon", "chardev=qmp,mode=control");
	/* A guest with the pvpanic driver tells QEMU when it panics; QEMU then
	 * says GUEST_PANICKED on QMP and shuts down. */
	add(&argv, &argc, "-device");
	add(&argv, &argc, a->panic_device);
	if (cfg->payload)
		add_disk(&argv, &argc, "payload", cfg->payload, 1);
	if (cfg->swap_disk)
		add_disk(&argv, &argc, DISK_SWAP_SERIAL, cfg->swap_disk, 0);
	if (cfg->data_disk)
		add_disk(&argv, &argc, DISK_DATA_SERIAL, cfg->data_disk, 0);
	if (cfg->restore) {
		/* the state comes over QMP once the sockets are connected */
		add(&argv, &argc, "-incoming");
		add(&argv, &argc, "defer");
	}
	strbuf_release(&append);
	strbuf_release(&mib);
	return argv;
}

void qemu_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static const char *chosen_accel;

static int qemu_start(const struct vm_config *cfg, struct vm **out, struct strbuf *err);
static void qemu_destroy(struct vm *vm);

/* Boots probe under KVM; its agent must say ready within 15 s (a KVM
 * boot takes about one). */
static enum kvm_probe kvm_boot(const struct vm_config *probe)
{
	struct strbuf err = STRBUF_INIT, got = STRBUF_INIT;
	enum kvm_probe r = KVM_PROBE_TIMED_OUT;
	struct vm *vm = NULL;
	uint64_t start = clock_now_ms();

	chosen_accel = "kvm";
	/* a QEMU that does not start says nothing of KVM either */
	if (!qemu_start(probe, &vm, &err)) {
		while (clock_now_ms() - start < 15000) {
			struct pollfd p = { vm->agent_fd, POLLIN, 0 };
			char buf[256];
			ssize_t n;
			if (child_wait(&vm->qemu, 0)) {
				r = KVM_PROBE_FAILS;
				break;
			}
			if (poll(&p, 1, 100) > 0 && (n = read(vm->agent_fd, buf, sizeof(buf))) > 0)
				strbuf_add(&got, buf, (size_t)n);
			if (!strncmp(got.buf, "ready ", 6)) {
				r = KVM_PROBE_WORKS;
				break;
			}
			/* the console is not read: keep it from filling */
			while (read(vm->con_fd, buf, sizeof(buf)) > 0)
				;
		}
		qemu_destroy(vm);
	}
	chosen_accel = NULL;
	strbuf_release(&err);
	strbuf_release(&got);
	return r;
}

/* Whether KVM really runs our guests here: a /dev/kvm that opens is no
 * proof (nested setups can run a firmware and hang in Linux). The probe
 * boots a prepared target under KVM; a clear answer is kept in the state
 * directory (see kvm_cache.h). */
static int kvm_works(const struct vm_config *probe, const char *state_dir)
{
	struct strbuf key = STRBUF_INIT;
	char *cache;
	int ok;

	if (!probe || !state_dir || access("/dev/kvm", R_OK | W_OK) ||
	    !arch_is_native(arch_of(probe->target->arch), arch_host_machine()))
		return 0;
	kvm_cache_key(&key, qemu_binary(probe->target->arch), probe->target->kernel);
	cache = kvm_cache_path(state_dir, key.buf);
	ok = kvm_cache_read(cache, key.buf, time(NULL), getuid());
	if (ok < 0) {
		enum kvm_probe r = kvm_boot(probe);
		kvm_cache_write(cache, key.buf, r, time(NULL));
		ok = r == KVM_PROBE_WORKS;
	}
	free(cache);
	strbuf_release(&key);
	return ok;
}

static void qemu_setup(const struct vm_config *probe, const char *state_dir)
{
	const char *a = getenv("OOMTEST_ACCEL");

	if (a && (!strcmp(a, "kvm") || !strcmp(a, "tcg")))
		chosen_accel = a;
	else
		chosen_accel = kvm_works(probe, state_dir) ? "kvm" : "tcg";
}

static const char *accel(void)
{
	return chosen_accel ? chosen_accel : "tcg";
}

static int is_one_of(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

/* Polls a QMP query until the "status" it returns is one of want (1) or
 * of failed (-1, the answer in err). */
static int poll_status(struct vm *vm, const char *query, const char *const *want, const char *const *failed,
		       int timeout_ms, struct strbuf *err)
{
	struct strbuf reply = STRBUF_INIT;
	uint64_t start = clock_now_ms();
	int r = 0;

	while (!r) {
		json_object *ret = NULL, *status = NULL;
		if (qmp_execute(&vm->qmp, query, NULL, 5000, &reply, &ret, err)) {
			r = -1;
			break;
		}
		json_object_object_get_ex(ret, "status", &status);
		const char *now = json_object_is_type(status, json_type_string) ? json_object_get_string(status) : "";
		if (is_one_of(now, want)) {
			r = 1;
		} else if (is_one_of(now, failed)) {
			strbuf_addf(err, "QEMU: %s", reply.buf);
			r = -1;
		} else if (clock_now_ms() - start > (uint64_t)timeout_ms) {
			strbuf_addf(err, "QEMU: still %s after %d s", reply.buf, timeout_ms / 1000);
			r = -1;
		} else {
			poll(NULL, 0, 10);
		}
		json_object_put(ret);
	}
	strbuf_release(&reply);
	return r;
}

/* Opens path with flags and hands it to QEMU as fd "snap": 0, -1 when
 * QEMU did not take it, -2 when it does not open. */
static int hand_over(struct vm *vm, const char *path, int flags, struct strbuf *err)
{
	int fd = open(path, flags | O_CLOEXEC, 0644), r;

	if (fd < 0) {
		strbuf_addf(err, "%s%s: %s", flags & O_CREAT ? "" : "snapshot ", path, strerror(errno));
		return -2;
	}
	r = qmp_send_fd(&vm->qmp, fd, "snap", 5000, err);
	close(fd);
	return r;
}

/* {"uri": "fd:snap"}: the migration stream is the fd handed over */
static json_object *snap_uri(void)
{
	json_object *args = json_object_new_object();

	json_put(args, "uri", json_str("fd:snap"));
	return args;
}

/* Loads a state saved by qemu_save into a QEMU started with -incoming
 * defer; the guest runs on from where it was saved. */
static int restore(struct vm *vm, const char *path, struct strbuf *err)
{
	/* saved stopped, it loads as "paused": then it is continued */
	static const char *const loaded[] = { "running", "paused", NULL };
	static const char *const failed[] = { NULL };	/* a failed load ends QEMU */
	int r = hand_over(vm, path, O_RDONLY, err);

	if (r == -2)
		return -1;
	if (!r)
		r = qmp_execute(&vm->qmp, "migrate-incoming", snap_uri(), 5000, NULL, NULL, err);
	if (!r && poll_status(vm, "query-status", loaded, failed, 30000, err) < 0)
		r = -1;
	if (!r)
		r = qmp_execute(&vm->qmp, "cont", NULL, 5000, NULL, NULL, err);
	if (r)
		strbuf_addf(err, " (restoring %s)", path);
	return r;
}

static int qemu_save(struct vm *vm, const char *path, struct strbuf *err)
{
	static const char *const done[] = { "completed", NULL };
	static const char *const failed[] = { "failed", "cancelled", NULL };
	json_object *unlimited;
	int r;

	if (qmp_execute(&vm->qmp, "stop", NULL, 5000, NULL, NULL, err))
		return -1;
	r = hand_over(vm, path, O_WRONLY | O_CREAT | O_TRUNC, err) ? -1 : 0;
	/* no bandwidth cap: the file is local */
	if (!r) {
		unlimited = json_object_new_object();
		json_put(unlimited, "max-bandwidth", json_object_new_int64(1099511627776LL));
		r = qmp_execute(&vm->qmp, "migrate-set-parameters", unlimited, 5000, NULL, NULL, err);
	}
	if (!r)
		r = qmp_execute(&vm->qmp, "migrate", snap_uri(), 5000, NULL, NULL, err);
	if (!r && poll_status(vm, "query-migrate", done, failed, 120000, err) < 0)
		r = -1;
	return r;
}

/* A directory for the sockets: their paths are short, so it is kept out
 * of the results tree. */
static char *make_sockdir(struct strbuf *err)
{
	const char *tmpdir = getenv("TMPDIR");
	struct strbuf dir = STRBUF_INIT;

	strbuf_addf(&dir, "%s/oomtest-qemu.XXXXXX", tmpdir && *tmpdir && strlen(tmpdir) < 60 ? tmpdir : "/tmp");
	if (!mkdtemp(dir.buf)) {
		strbuf_addf(err, "mkdtemp %s: %s", dir.buf, strerror(errno));
		strbuf_release(&dir);
		return NULL;
	}
	return strbuf_detach(&dir);
}

/* The command line, one argument a line, for the user to rerun; QEMU's
 * output goes to qemu.log (its fd is returned). */
static int run_dir_files(const struct vm_config *cfg, char **argv)
{
	struct strbuf lines = STRBUF_INIT, path = STRBUF_INIT;
	int logfd;

	for (size_t i = 0; argv[i]; i++)
		strbuf_addf(&lines, "%s\n", argv[i]);
	strbuf_addf(&path, "%s/qemu.cmdline", cfg->run_dir);
	fs_write_atomic(path.buf, lines.buf, lines.len);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/qemu.log", cfg->run_dir);
	logfd = open(path.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	strbuf_release(&path);
	strbuf_release(&lines);
	return logfd;
}

static int qemu_start(const struct vm_config *cfg, struct vm **out, struct strbuf *err)
{
	const struct target *t = cfg->target;
	struct vm *vm = xcalloc(1, sizeof(*vm));
	char **argv;
	int logfd;

	vm->con_fd = vm->agent_fd = vm->qmp.fd = -1;
	vm->sockdir = make_sockdir(err);
	if (!vm->sockdir) {
		free(vm);
		return -1;
	}
	/* KVM runs only the host's own arches: another one is emulated */
	argv = qemu_argv(cfg, arch_is_native(arch_of(t->arch), arch_host_machine()) ? accel() : "tcg",
			 vm->sockdir);
	logfd = run_dir_files(cfg, argv);
	int r = child_start(&vm->qemu, argv, logfd);
	if (logfd >= 0)
		close(logfd);
	qemu_argv_free(argv);
	if (r) {
		strbuf_addf(err, "cannot start %s: %s (install %s, or name a QEMU in OOMTEST_QEMU)",
			    qemu_binary(t->arch), strerror(-r), arch_of(t->arch)->qemu_package);
		backend_qemu.destroy(vm);
		return -1;
	}
	vm->con_fd = connect_to(vm, "con", err);
	if (vm->con_fd < 0)
		goto fail;
	if (!cfg->single_console && (vm->agent_fd = connect_to(vm, "agent", err)) < 0)
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
	else if (vm->qemu.wait_error)
		strbuf_addstr(out, child_strerror(vm->qemu.wait_error));
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
