/* Tests for guest/kmsg.c: a module's result comes only from a kernel
 * record whose text begins with "MODULE: result ", never from text user
 * space wrote to /dev/kmsg or from a line that merely quotes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
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
	assert_null(event_of("no record", what, sizeof(what)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_last_kernel_record_wins),
		cmocka_unit_test(test_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
