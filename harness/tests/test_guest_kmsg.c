/* Tests for guest/kmsg.c: a module's result comes only from a kernel
 * record whose text begins with "MODULE: result ", never from text user
 * space wrote to /dev/kmsg or from a line that merely quotes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "guest/kmsg.h"

static int result_of(const char *rec, const char *module, char *out, size_t size)
{
	const char *t;
	size_t len;

	if (kmsg_record_result(rec, strlen(rec), module, &t, &len))
		return -1;
	assert_true(len < size);
	memcpy(out, t, len);
	out[len] = '\0';
	return 0;
}

static void test_record(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(result_of("6,812,1474196,-;oom_trigger: result order=4 alloc_failed=1\n", "oom_trigger",
				   out, sizeof(out)), 0);
	assert_string_equal(out, "order=4 alloc_failed=1");
	/* continuation lines of the record are not part of its text */
	assert_int_equal(result_of("6,1,2,-;oom_trigger: result a=1\n SUBSYSTEM=x\n", "oom_trigger", out, sizeof(out)), 0);
	assert_string_equal(out, "a=1");
	/* a module file named with '-' prints its name with '_' */
	assert_int_equal(result_of("4,1,2,-;my_mod: result k=v\n", "my-mod", out, sizeof(out)), 0);
	assert_string_equal(out, "k=v");
	/* written from user space: facility 1 (LOG_USER) or any other but 0 */
	assert_int_equal(result_of("14,1,2,-;oom_trigger: result fired=9\n", "oom_trigger", out, sizeof(out)), -1);
	assert_int_equal(result_of("190,1,2,-;oom_trigger: result fired=9\n", "oom_trigger", out, sizeof(out)), -1);
	/* quoted, another module, another word, not a record */
	assert_int_equal(result_of("6,1,2,-;said 'oom_trigger: result fired=9'\n", "oom_trigger", out, sizeof(out)), -1);
	assert_int_equal(result_of("6,1,2,-;oom_trigger2: result fired=9\n", "oom_trigger", out, sizeof(out)), -1);
	assert_int_equal(result_of("6,1,2,-;oom_trigger: start order=0\n", "oom_trigger", out, sizeof(out)), -1);
	assert_int_equal(result_of("oom_trigger: result fired=9\n", "oom_trigger", out, sizeof(out)), -1);
	assert_int_equal(result_of(",1,2,-;oom_trigger: result x\n", "oom_trigger", out, sizeof(out)), -1);
}

/* /dev/kmsg gives one record a read: a SOCK_SEQPACKET pair does the same */
static void test_last_kernel_record_wins(void **state)
{
	static const char *const recs[] = {
		"6,10,1,-;oom_trigger: start order=0\n",
		"6,11,2,-;oom_trigger: result fired=1\n",
		"12,12,3,-;oom_trigger: result fired=999\n",
		"6,13,4,-;oom_trigger: result fired=2\n",
		"6,14,5,-;init invoked oom-killer\n",
	};
	int sv[2];
	const char *t;
	size_t len;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv), 0);
	for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++)
		assert_int_equal(write(sv[1], recs[i], strlen(recs[i])), (ssize_t)strlen(recs[i]));
	assert_int_equal(kmsg_module_result(sv[0], "oom_trigger", &t, &len), 0);
	assert_int_equal(len, strlen("fired=2"));
	assert_memory_equal(t, "fired=2", len);
	/* nothing new: none */
	assert_int_equal(kmsg_module_result(sv[0], "oom_trigger", &t, &len), -1);
	close(sv[0]);
	close(sv[1]);
}

static const char *event_of(const char *rec, char *what, size_t size)
{
	return kmsg_record_event(rec, strlen(rec), what, size);
}

/* The texts are the kernel's (mm/oom_kill.c, mm/page_alloc.c warn_alloc,
 * mm/vmalloc.c), as /dev/kmsg frames them. */
static void test_events(void **state)
{
	char what[64];

	(void)state;
	assert_string_equal(event_of("3,905,2203122,-;Out of memory: Killed process 123 (hog) total-vm:99884kB, "
				     "anon-rss:96012kB, file-rss:4kB, shmem-rss:0kB, UID:0 pgtables:236kB "
				     "oom_score_adj:1000\n", what, sizeof(what)), "oom_kill");
	assert_string_equal(what, "123 hog");
	assert_string_equal(event_of("3,1,2,-;Memory cgroup out of memory: Killed process 77 (a) b)) total-vm:1kB\n",
				     what, sizeof(what)), "oom_kill");
	assert_string_equal(what, "77 a) b)");
	assert_string_equal(event_of("4,7,8,-;insmod: page allocation failure: order:4, "
				     "mode:0x140cc0(GFP_USER|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0\n",
				     what, sizeof(what)), "alloc_fail");
	assert_string_equal(what, "insmod order:4");
	assert_string_equal(event_of("4,7,8,-;insmod: vmalloc error: size 134217728, vm_struct allocation failed, "
				     "mode:0xdc0(GFP_KERNEL|__GFP_ZERO)\n", what, sizeof(what)), "alloc_fail");
	assert_string_equal(what, "insmod");
	/* cut to fit */
	assert_string_equal(event_of("3,1,2,-;Out of memory: Killed process 123456 (averylongname) x\n", what, 10),
			    "oom_kill");
	assert_string_equal(what, "123456 av");
	/* not the kernel's, not a kill, a reaped process, nothing to name */
	assert_null(event_of("14,1,2,-;Out of memory: Killed process 1 (x) y\n", what, sizeof(what)));
	assert_null(event_of("6,1,2,-;oom_reaper: reaped process 123 (hog), now anon-rss:0kB\n", what, sizeof(what)));
	assert_null(event_of("6,1,2,-;oom_trigger: result fired=1\n", what, sizeof(what)));
	assert_null(event_of("3,1,2,-;Killed process 12\n", what, sizeof(what)));
	assert_null(event_of("6,1,2,-;oom_trigger: notifier fired; Killed process 12 (x) quoted\n", what, sizeof(what)));
	assert_null(event_of("3,1,2,-;Out of memory: Killed process 1x2 (hog)\n", what, sizeof(what)));
	assert_string_equal(event_of("3,1,2,-;Out of memory (oom_kill_allocating_task): Killed process 9 (allocator) "
				     "total-vm:1kB\n", what, sizeof(what)), "oom_kill");
	assert_string_equal(what, "9 allocator");
	assert_null(event_of("no record", what, sizeof(what)));
}

/* The kernel's count of a fixture's kills: oom.N.kills summed, and the
 * first victim's "PID COMM", from its .facts golden file. */
static int golden_kills(const char *facts, char *first, size_t size)
{
	FILE *f = fopen(facts, "r");
	char line[512], pid[32] = "", comm[64] = "";
	int kills = 0, n;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "oom.%*d.kills = %d", &n) == 1)
			kills += n;
		else if (!pid[0] && sscanf(line, "oom.1.victim.pid = %31s", pid) == 1)
			;
		else if (!comm[0])
			sscanf(line, "oom.1.victim.comm = %63[^\n]", comm);
	}
	fclose(f);
	snprintf(first, size, "%s %s", pid, comm);
	return kills;
}

/* Real guests' consoles (fixtures/klog/guest-*.log), each line as the
 * kernel's /dev/kmsg record: the kills found are the ones the OOM reports
 * count, the first names the first victim, and the module's line that
 * quotes "Killed process" is none of them. */
static void test_events_of_real_logs(void **state)
{
	DIR *d = opendir("fixtures/klog");
	struct dirent *e;
	int logs = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[512], rec[1024], what[64], first[128] = "", want_first[128], line[1024];
		size_t len = strlen(e->d_name);
		int kills = 0, seq = 0;

		if (strncmp(e->d_name, "guest-", 6) || len < 4 || strcmp(e->d_name + len - 4, ".log"))
			continue;
		snprintf(path, sizeof(path), "fixtures/klog/%s", e->d_name);
		FILE *f = fopen(path, "r");
		assert_non_null(f);
		while (fgets(line, sizeof(line), f)) {
			const char *text = strstr(line, "] ");
			if (line[0] != '[' || !text)
				continue;
			int n = snprintf(rec, sizeof(rec), "6,%d,0,-;%s", seq++, text + 2);
			const char *kind = kmsg_record_event(rec, (size_t)n, what, sizeof(what));
			if (kind && !strcmp(kind, "oom_kill") && kills++ == 0)
				snprintf(first, sizeof(first), "%s", what);
		}
		fclose(f);
		snprintf(path, sizeof(path), "fixtures/klog/%s.facts", e->d_name);
		int want = golden_kills(path, want_first, sizeof(want_first));
		if (kills != want || (want && strcmp(first, want_first)))
			fail_msg("%s: %d kills, first '%s'; the reports say %d, first '%s'", e->d_name, kills, first,
				 want, want_first);
		logs++;
	}
	closedir(d);
	assert_true(logs >= 10);
}

/* The agent's own frames (priority <8>: user facility) on a single
 * console are never read as the kernel's, whatever they hold. */
static void test_own_frames_skipped(void **state)
{
	static const char killed[] = "8,900,2000000,-;oomtest:0123456789abcdef 7 . "
				     "Out of memory: Killed process 12 (hog) total-vm:1kB\n";
	static const char result[] = "8,901,2000001,-;oom_trigger: result order=0\n";
	const char *text;
	size_t len;
	char what[64];

	(void)state;
	assert_null(kmsg_record_event(killed, sizeof(killed) - 1, what, sizeof(what)));
	assert_int_equal(kmsg_record_result(result, sizeof(result) - 1, "oom_trigger", &text, &len), -1);
	/* the kernel's own line is read */
	static const char kernel[] = "3,902,2000002,-;Out of memory: Killed process 12 (hog) total-vm:1kB\n";
	assert_string_equal(kmsg_record_event(kernel, sizeof(kernel) - 1, what, sizeof(what)), "oom_kill");
	assert_string_equal(what, "12 hog");
	/* printed by oomtest_console the frames are the kernel's (level 0,
	 * facility 0): skipped by their prefix */
	static const char via_module[] = "0,903,2000003,-;oomtest:0123456789abcdef 8 . "
					 "Out of memory: Killed process 12 (hog) total-vm:1kB\n";
	static const char result_via_module[] = "0,904,2000004,-;oomtest:0123456789abcdef 9 . "
						"oom_trigger: result order=0\n";
	assert_null(kmsg_record_event(via_module, sizeof(via_module) - 1, what, sizeof(what)));
	assert_int_equal(kmsg_record_result(result_via_module, sizeof(result_via_module) - 1, "oom_trigger",
					    &text, &len), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_last_kernel_record_wins),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_events_of_real_logs),
		cmocka_unit_test(test_own_frames_skipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
