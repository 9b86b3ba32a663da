/* kvm_cache: the KVM probe's answer, kept in the state directory. The file
 * is "RESULT TIME\n" followed by the key it answers for. */
#include "backend/kvm_cache.h"
#include "lib/fs.h"
#include "lib/hash.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *kvm_cache_path(const char *state_dir, const char *key)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/kvm-probe-%016llx", state_dir, (unsigned long long)hash_fnv1a(key, strlen(key)));
	return strbuf_detach(&p);
}

void kvm_cache_key(struct strbuf *key, const char *qemu, const char *kernel)
{
	struct strbuf boot_id = STRBUF_INIT;

	if (!strbuf_read_file(&boot_id, "/proc/sys/kernel/random/boot_id"))
		strbuf_rtrim(&boot_id);
	strbuf_addf(key, "boot %s\n", boot_id.len ? boot_id.buf : "-");
	fs_add_program_identity(key, "qemu", qemu);
	fs_add_identity(key, "kernel", kernel);
	strbuf_release(&boot_id);
}

/* Reads the file only when it is the user's own and no one else can
 * write it: another user must not decide how this one's guests run. */
static int read_own_file(const char *path, uid_t uid, struct strbuf *out)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	char buf[4096];
	ssize_t n;
	int ok;

	if (fd < 0)
		return -1;
	ok = !fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_uid == uid && !(st.st_mode & (S_IWGRP | S_IWOTH));
	while (ok && (n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(out, buf, (size_t)n);
	close(fd);
	return ok ? 0 : -1;
}

int kvm_cache_read(const char *path, const char *key, time_t now, uid_t uid)
{
	struct strbuf text = STRBUF_INIT;
	int result = -1, at = 0;
	long long written;
	char works;

	if (!read_own_file(path, uid, &text) && sscanf(text.buf, "%c %lld\n%n", &works, &written, &at) == 2 &&
	    at > 0 && !strcmp(text.buf + at, key) && (works == '0' || works == '1' || works == 't') &&
	    written <= (long long)now &&
	    (long long)now - written < (works == 't' ? KVM_CACHE_TIMEOUT_SECONDS : KVM_CACHE_SECONDS))
		result = works == '1';
	strbuf_release(&text);
	return result;
}

int kvm_cache_write(const char *path, const char *key, enum kvm_probe result, time_t now)
{
	struct strbuf text = STRBUF_INIT;
	int r;

	if (result == KVM_PROBE_TIMED_OUT && kvm_cache_read(path, key, now, getuid()) >= 0)
		return 0;
	strbuf_addf(&text, "%c %lld\n%s", result == KVM_PROBE_TIMED_OUT ? 't' : result == KVM_PROBE_WORKS ? '1' : '0',
		    (long long)now, key);
	r = fs_write_atomic(path, text.buf, text.len);
	strbuf_release(&text);
	return r;
}
