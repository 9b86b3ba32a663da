/* backend_libvirt: runs the guest as a transient domain of a libvirt
 * daemon (--connect URI), local or remote. The domain is started paused
 * with VIR_DOMAIN_START_AUTODESTROY (it dies with our connection), the
 * console and the agent channel are opened as virDomainOpenConsole
 * streams before it runs, so not a byte is lost, and each stream is
 * bridged to a socket the runner polls like the QEMU backend's. How the guest ended comes from lifecycle
 * events; a <panic> device reports a pvpanic panic. */
#include "backend/backend.h"
#include "backend/bridge.h"
#include "backend/libvirt_xml.h"
#include "lib/fs.h"
#include "lib/hash.h"
#include "run/results.h"
#include "target/arch.h"

#include <errno.h>
#include <fcntl.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *conn_uri = "qemu:///system";

void backend_libvirt_set_uri(const char *uri)
{
	conn_uri = uri;
}

/* A console stream on one side, a socket the runner reads on the other. */
struct bridge {
	virStreamPtr st;
	int fds[2];            /* [0]: the runner's, [1]: ours */
	struct bridge_io io;
	pthread_t thread;
	int has_thread;
};

struct vm {
	virConnectPtr conn;
	virDomainPtr dom;
	char *name;
	int cb;                /* lifecycle callback id, -1: none */
	struct bridge con, agent;
	pthread_mutex_t lock;
	int gone, panicked, stop_detail, started, lost;
	char *payload_volume;  /* the run's payload uploaded to the host: removed with the vm */
};

/* ---- the event loop: one thread per process, started on first use ---- */

static pthread_once_t loop_once = PTHREAD_ONCE_INIT;
static int loop_ok;

static void *loop_main(void *arg)
{
	(void)arg;
	for (;;)
		virEventRunDefaultImpl();
	return NULL;
}

/* Errors are reported where they matter, with what was being done; the
 * default handler would print expected ones (a lookup that misses). */
static void quiet(void *opaque, virErrorPtr e)
{
	(void)opaque;
	(void)e;
}

static void loop_start(void)
{
	pthread_t t;

	virSetErrorFunc(NULL, quiet);
	if (virEventRegisterDefaultImpl() < 0)
		return;
	loop_ok = !pthread_create(&t, NULL, loop_main, NULL);
	if (loop_ok)
		pthread_detach(t);
}

static void last_error(struct strbuf *err, const char *what)
{
	const char *m = virGetLastErrorMessage();
	strbuf_addf(err, "libvirt %s: %s: %s", conn_uri, what, m ? m : "unknown error");
}

static int is_local_uri(const char *uri)
{
	return !strstr(uri, "://") || strstr(uri, ":///");
}

/* ---- bridges ---- */

static int stream_recv(void *st, char *buf, size_t n)
{
	return virStreamRecv(st, buf, n);
}

static int stream_send(void *st, const char *buf, size_t n)
{
	return virStreamSend(st, buf, n);
}

/* One thread per console moves bytes both ways. It alone touches its
 * stream, non-blocking: a stream used from two threads at once (one
 * blocked receiving, one sending the plan) lost the plan now and then. */
static void *bridge_main(void *arg)
{
	bridge_run(arg);
	return NULL;
}

static int bridge_open(struct vm *vm, struct bridge *b, const char *dev, int writable, struct strbuf *err)
{
	b->fds[0] = b->fds[1] = -1;
	b->st = virStreamNew(vm->conn, VIR_STREAM_NONBLOCK);
	if (!b->st || virDomainOpenConsole(vm->dom, dev, b->st, VIR_DOMAIN_CONSOLE_FORCE) < 0) {
		last_error(err, dev);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, b->fds)) {
		strbuf_addf(err, "socketpair: %s", strerror(errno));
		return -1;
	}
	fcntl(b->fds[0], F_SETFL, O_NONBLOCK);
	fcntl(b->fds[1], F_SETFL, O_NONBLOCK);
	b->io = (struct bridge_io){ .recv = stream_recv, .send = stream_send, .stream = b->st,
				    .fd = b->fds[1], .writable = writable, .pending = STRBUF_INIT };
	b->has_thread = !pthread_create(&b->thread, NULL, bridge_main, &b->io);
	if (!b->has_thread)
		strbuf_addf(err, "%s: cannot start a thread", dev);
	return b->has_thread ? 0 : -1;
}

static void bridge_close(struct bridge *b)
{
	b->io.stop = 1;
	if (b->has_thread)
		pthread_join(b->thread, NULL);
	if (b->st) {
		virStreamAbort(b->st);
		virStreamFree(b->st);
	}
	for (int i = 0; i < 2; i++)
		if (b->fds[i] >= 0)
			close(b->fds[i]);
	memset(b, 0, sizeof(*b));
	b->fds[0] = b->fds[1] = -1;
}

/* ---- events ---- */

static int on_lifecycle(virConnectPtr c, virDomainPtr d, int event, int detail, void *opaque)
{
	struct vm *vm = opaque;

	(void)c;
	(void)d;
	pthread_mutex_lock(&vm->lock);
	if (event == VIR_DOMAIN_EVENT_CRASHED && detail == VIR_DOMAIN_EVENT_CRASHED_PANICKED)
		vm->panicked = 1;
	if (event == VIR_DOMAIN_EVENT_STOPPED) {
		vm->gone = 1;
		vm->stop_detail = detail;
		if (detail == VIR_DOMAIN_EVENT_STOPPED_CRASHED)
			vm->panicked = 1;
	}
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

/* ---- files on a remote host ---- */

/* A host that shares no files with us gets the kernel and initramfs as
 * volumes of a storage pool, uploaded once and named by their content. */
static int needs_upload(void)
{
	const char *e = getenv("OOMTEST_LIBVIRT_UPLOAD");
	return (e && !strcmp(e, "1")) || !is_local_uri(conn_uri);
}

static int hash_file(const char *path, uint64_t *h, unsigned long long *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char buf[65536];
	ssize_t n;

	if (fd < 0)
		return -errno;
	*h = HASH_FNV1A_INIT;
	*size = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		*h = hash_fnv1a_add(*h, buf, (size_t)n);
		*size += (unsigned long long)n;
	}
	close(fd);
	return n < 0 ? -EIO : 0;
}

static virStoragePoolPtr find_pool(virConnectPtr c, struct strbuf *err)
{
	struct strbuf xml = STRBUF_INIT;
	virStoragePoolPtr p = virStoragePoolLookupByName(c, "oomtest");

	if (!p)
		p = virStoragePoolLookupByName(c, "default");
	if (!p && !libvirt_pool_xml("oomtest", "/var/tmp/oomtest-images", &xml)) {
		p = virStoragePoolDefineXML(c, xml.buf, 0);
		if (p && (virStoragePoolBuild(p, 0) < 0 || virStoragePoolCreate(p, 0) < 0)) {
			virStoragePoolFree(p);
			p = NULL;
		}
	}
	if (p && !virStoragePoolIsActive(p) && virStoragePoolCreate(p, 0) < 0) {
		virStoragePoolFree(p);
		p = NULL;
	}
	if (!p)
		last_error(err, "storage pool for uploads");
	strbuf_release(&xml);
	return p;
}

static int send_file(virStreamPtr st, char *data, size_t n, void *opaque)
{
	(void)st;
	ssize_t r = read(*(int *)opaque, data, n);
	return r < 0 ? -1 : (int)r;
}

/* The remote path of path's content, uploaded when the host lacks it. */
static char *upload(virConnectPtr c, const char *path, struct strbuf *err)
{
	struct strbuf name = STRBUF_INIT, xml = STRBUF_INIT, lock = STRBUF_INIT;
	virStoragePoolPtr pool = NULL;
	virStorageVolPtr vol = NULL;
	virStreamPtr st = NULL;
	unsigned long long size;
	uint64_t h;
	char *remote = NULL;
	int fd = -1, lk = -1, r;
	const char *base = strrchr(path, '/');

	if ((r = hash_file(path, &h, &size))) {
		strbuf_addf(err, "%s: %s", path, strerror(-r));
		return NULL;
	}
	strbuf_addf(&name, "oomtest-%016llx-%s", (unsigned long long)h, base ? base + 1 : path);
	if (!(pool = find_pool(c, err)))
		goto out;
	/* workers of this machine upload one at a time */
	strbuf_addf(&lock, "/tmp/oomtest-upload.%u.lock", (unsigned)getuid());
	lk = open(lock.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lk >= 0)
		flock(lk, LOCK_EX);
	virStoragePoolRefresh(pool, 0);
	vol = virStorageVolLookupByName(pool, name.buf);
	if (!vol) {
		vol = libvirt_volume_xml(name.buf, size, &xml) ? NULL : virStorageVolCreateXML(pool, xml.buf, 0);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		st = vol && fd >= 0 ? virStreamNew(c, 0) : NULL;
		if (!st || virStorageVolUpload(vol, st, 0, size, 0) < 0 ||
		    virStreamSendAll(st, send_file, &fd) < 0 || virStreamFinish(st) < 0) {
			last_error(err, "uploading a file");
			strbuf_addf(err, " (%s)", path);
			if (vol)
				virStorageVolDelete(vol, 0);
			goto out;
		}
	}
	remote = virStorageVolGetPath(vol);
	if (!remote)
		last_error(err, "volume path");
out:
	if (st)
		virStreamFree(st);
	if (fd >= 0)
		close(fd);
	if (lk >= 0)
		close(lk);
	if (vol)
		virStorageVolFree(vol);
	if (pool)
		virStoragePoolFree(pool);
	strbuf_release(&name);
	strbuf_release(&xml);
	strbuf_release(&lock);
	return remote;
}

static void on_close(virConnectPtr c, int reason, void *opaque)
{
	struct vm *vm = opaque;

	(void)c;
	pthread_mutex_lock(&vm->lock);
	if (reason != VIR_CONNECT_CLOSE_REASON_CLIENT)
		vm->lost = vm->gone = 1;
	pthread_mutex_unlock(&vm->lock);
}

/* ---- ops ---- */


/* kvm where the host has it (here: where the local probe says it works) */
static const char *domain_type(struct vm *vm, const char *arch)
{
	const char *accel = backend_qemu.accel ? backend_qemu.accel() : "tcg";
	char *caps;

	if (is_local_uri(conn_uri) && strcmp(accel, "kvm"))
		return "qemu";
	caps = virConnectGetDomainCapabilities(vm->conn, NULL, arch_of(arch)->libvirt, NULL, "kvm", 0);
	if (!caps)
		return "qemu";
	free(caps);
	return "kvm";
}

/* The domain XML, kept in the run directory too; with uploads, of the
 * same guest from the host's copies of its files. */
static int domain_xml(struct vm *vm, const struct vm_config *cfg, struct strbuf *xml, struct strbuf *err)
{
	const char *type = domain_type(vm, cfg->target->arch);
	struct strbuf path = STRBUF_INIT;
	int r;

	if (needs_upload() && (cfg->swap_disk || cfg->data_disk)) {
		strbuf_addstr(err, "swap and disk need a libvirt host that reads this host's files: they are "
			      "written during the run, and an uploaded copy would be the host's own");
		return -1;
	}
	if (needs_upload()) {
		char *k = upload(vm->conn, cfg->target->kernel, err), *i = k ? upload(vm->conn, cfg->initrd, err) : NULL;
		char *p = i && cfg->payload ? upload(vm->conn, cfg->payload, err) : NULL;
		struct target t = *cfg->target;
		struct vm_config rc = *cfg;

		if (!i || (cfg->payload && !p)) {
			free(k);
			free(i);
			return -1;
		}
		t.kernel = k;
		rc.target = &t;
		rc.initrd = i;
		rc.payload = p;
		r = libvirt_domain_xml(&rc, vm->name, type, xml);
		free(k);
		free(i);
		/* named by its content and the run's own file name: no other run's */
		vm->payload_volume = p;
	} else {
		r = libvirt_domain_xml(cfg, vm->name, type, xml);
	}
	if (r) {
		strbuf_addstr(err, "libxml2 could not write the domain XML");
		return -1;
	}
	strbuf_addf(&path, "%s/domain.xml", cfg->run_dir);
	fs_write_atomic(path.buf, xml->buf, xml->len);
	strbuf_release(&path);
	return 0;
}

static void lv_destroy(struct vm *vm);

static int lv_start(const struct vm_config *cfg, struct vm **out, struct strbuf *err)
{
	static unsigned counter;
	struct vm *vm = xcalloc(1, sizeof(*vm));
	struct strbuf xml = STRBUF_INIT, name = STRBUF_INIT;
	struct timespec ts;

	pthread_mutex_init(&vm->lock, NULL);
	vm->cb = -1;
	vm->con.fds[0] = vm->con.fds[1] = vm->agent.fds[0] = vm->agent.fds[1] = -1;
	if (cfg->restore) {
		strbuf_addstr(err, "the libvirt backend does not restore saved guests");
		goto fail;
	}
	pthread_once(&loop_once, loop_start);
	if (!loop_ok) {
		last_error(err, "event loop");
		goto fail;
	}
	vm->conn = virConnectOpen(conn_uri);
	if (!vm->conn) {
		last_error(err, "connect");
		lv_destroy(vm);
		return -2;
	}
	/* a daemon that dies or a host that drops off ends the run at once */
	virConnectSetKeepAlive(vm->conn, 5, 3);
	virConnectRegisterCloseCallback(vm->conn, on_close, vm, NULL);
	clock_gettime(CLOCK_REALTIME, &ts);
	strbuf_addf(&name, "oomtest-%d-%u-%lx", (int)getpid(), counter++, (unsigned long)ts.tv_nsec);
	vm->name = strbuf_detach(&name);
	if (domain_xml(vm, cfg, &xml, err))
		goto fail;
	vm->dom = virDomainCreateXML(vm->conn, xml.buf, VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY);
	if (!vm->dom) {
		last_error(err, "starting the domain");
		goto fail;
	}
	vm->started = 1;
	vm->cb = virConnectDomainEventRegisterAny(vm->conn, vm->dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
						  VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), vm, NULL);
	if (vm->cb < 0) {
		last_error(err, "domain events");
		goto fail;
	}
	if (bridge_open(vm, &vm->con, "serial0", 0, err) ||
	    bridge_open(vm, &vm->agent, libvirt_agent_device(arch_of(cfg->target->arch)), 1, err))
		goto fail;
	if (virDomainResume(vm->dom) < 0) {
		last_error(err, "resuming the domain");
		goto fail;
	}
	strbuf_release(&xml);
	*out = vm;
	return 0;
fail:
	strbuf_release(&xml);
	/* the daemon died or the host dropped off while the domain started:
	 * the host failed, not the run (its run moves to another host) */
	int host_gone = vm->conn && virConnectIsAlive(vm->conn) != 1;
	lv_destroy(vm);
	return host_gone ? -2 : -1;
}

static int lv_console_fd(struct vm *vm) { return vm->con.fds[0]; }
static int lv_agent_fd(struct vm *vm) { return vm->agent.fds[0]; }

static int lv_wait(struct vm *vm, int timeout_ms)
{
	for (int waited = 0;; waited += 10) {
		pthread_mutex_lock(&vm->lock);
		int gone = vm->gone;
		pthread_mutex_unlock(&vm->lock);
		if (gone)
			return 1;
		if (waited >= timeout_ms)
			return 0;
		poll(NULL, 0, 10);
	}
}

static void lv_kill(struct vm *vm)
{
	if (!vm->dom)
		return;
	pthread_mutex_lock(&vm->lock);
	int gone = vm->gone;
	pthread_mutex_unlock(&vm->lock);
	if (!gone && virDomainDestroy(vm->dom) == 0)
		lv_wait(vm, 2000);	/* its STOPPED event */
}

static void lv_describe_exit(struct vm *vm, struct strbuf *out)
{
	pthread_mutex_lock(&vm->lock);
	if (vm->panicked)
		strbuf_addstr(out, "guest panicked (pvpanic)");
	else if (!vm->gone)
		strbuf_addstr(out, "running");
	else
		switch (vm->stop_detail) {
		case VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN: strbuf_addstr(out, "poweroff"); break;
		case VIR_DOMAIN_EVENT_STOPPED_DESTROYED: strbuf_addstr(out, "destroyed"); break;
		case VIR_DOMAIN_EVENT_STOPPED_CRASHED: strbuf_addstr(out, "crashed"); break;
		case VIR_DOMAIN_EVENT_STOPPED_FAILED: strbuf_addstr(out, "failed (QEMU ended)"); break;
		default: strbuf_addf(out, "stopped (%d)", vm->stop_detail); break;
		}
	pthread_mutex_unlock(&vm->lock);
}

static int lv_host_lost(struct vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	int l = vm->lost;
	pthread_mutex_unlock(&vm->lock);
	return l;
}

static int lv_guest_panicked(struct vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	int p = vm->panicked;
	pthread_mutex_unlock(&vm->lock);
	return p;
}

static void lv_destroy(struct vm *vm)
{
	if (!vm)
		return;
	if (vm->dom) {
		lv_kill(vm);
		virDomainFree(vm->dom);
	}
	bridge_close(&vm->con);
	bridge_close(&vm->agent);
	if (vm->payload_volume && vm->conn) {
		virStorageVolPtr vol = virStorageVolLookupByPath(vm->conn, vm->payload_volume);
		if (vol) {
			virStorageVolDelete(vol, 0);
			virStorageVolFree(vol);
		}
	}
	free(vm->payload_volume);
	if (vm->cb >= 0)
		virConnectDomainEventDeregisterAny(vm->conn, vm->cb);
	if (vm->conn)
		virConnectUnregisterCloseCallback(vm->conn, on_close);
	if (vm->conn)
		virConnectClose(vm->conn);
	pthread_mutex_destroy(&vm->lock);
	free(vm->name);
	free(vm);
}

static void lv_setup(const struct vm_config *probe, const char *state_dir)
{
	/* kvm or not is the QEMU backend's local probe, or the remote host's say */
	if (backend_qemu.setup)
		backend_qemu.setup(is_local_uri(conn_uri) ? probe : NULL, state_dir);
}

static const char *lv_accel(void)
{
	return is_local_uri(conn_uri) && backend_qemu.accel ? backend_qemu.accel() : "remote";
}

const struct backend_ops backend_libvirt = {
	.name = "libvirt",
	.reads_state_dir_only = 1,
	.setup = lv_setup,
	.accel = lv_accel,
	.start = lv_start,
	.console_fd = lv_console_fd,
	.agent_fd = lv_agent_fd,
	.wait = lv_wait,
	.kill = lv_kill,
	.describe_exit = lv_describe_exit,
	.guest_panicked = lv_guest_panicked,
	.host_lost = lv_host_lost,
	.destroy = lv_destroy,
};
