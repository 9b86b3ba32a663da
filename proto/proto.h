/* proto.h: the line protocol between the harness and the guest agent.
 *
 * One message per line; fields separated by one space; every field is
 * percent-encoded so it may hold any byte: '%', bytes <= 0x20 and >= 0x7f
 * become %XX, and the empty field is "%-". Shared by guest/ and harness/run/record.c.
 *
 * The agent's channel is the device the kernel command line names:
 *   oomtest.chan=DEV   /dev/DEV (ttyS1 on x86: the second serial port;
 *                      hvc0 on arm64: a virtio console port), given by
 *                      every backend (harness/target/arch.c says which)
 *   oomtest.chan=kmsg  no channel: one console only (oomtest run
 *                      --single-console, a lab's serial line). The plan
 *                      comes baked into the initramfs as /oomtest/plan
 *                      (mode 0600), its first line "key HEX" (32 hex
 *                      digits from getrandom), and the agent removes it
 *                      before any step runs; the records go out through
 *                      /dev/kmsg, cut into tagged fragments, one printk
 *                      record each (proto/frame.h); the kernel command
 *                      line has printk.devkmsg=on (no rate limit).
 *
 * agent -> harness:  ready VERSION RELEASE MACHINE PVPANIC (1: a pvpanic device is bound)
 *                    start STEP PID | exit STEP STATUS | left STEP
 *                    out STEP LINE
 *                    mem STEP MS RSS_KB (a running step's VmRSS, MS after the plan began)
 *                    snap SNAPSHOT KIND KEY CONTENT
 *                    kmod MODULE RESULT (the kernel's "MODULE: result RESULT"
 *                      message, read from /dev/kmsg once the module step's
 *                      load returned; before its "exit"; none when the
 *                      module printed no such message)
 *                    payload MS (the payload disk was unpacked, in MS
 *                      milliseconds including the wait for its device)
 *                    waited STEP MS RESULT (the step's wait condition held,
 *                      RESULT "met", or its bound passed, "timeout"; MS
 *                      is how long the agent watched)
 *                    sys MS MEMFREE MEMAVAILABLE CACHED SHMEM SWAPFREE
 *                      (/proc/meminfo, kB, MS after the plan began; every
 *                      50 ms while the plan runs)
 *                    cgmem GROUP MS KB (the group's memory.current, v1:
 *                      memory.usage_in_bytes, in kB, sampled with sys)
 *                    event MS KIND WHAT (on the same clock: KIND start,
 *                      exit or waited with WHAT the step; oom_kill with
 *                      WHAT "PID COMM" of the victim; alloc_fail with
 *                      WHAT the task's comm; both read from /dev/kmsg)
 *                    err MESSAGE | done
 * harness -> agent:  a plan: lines up to "end" (see harness/case/plan.c);
 *                    its first line "payload" when the run has a payload
 *                    disk (proto/payload.h). A step with a wait condition
 *                    has "arm STEP KIND ARGS..." before its action lines
 *                    (the agent takes the condition's baseline there) and
 *                    "wait STEP MAX_MS" after them; KIND ARGS is one of
 *                      exit STEP2 | output TEXT | oom_kill GROUP|- |
 *                      cgroup GROUP FILE KEY|- OP NUMBER
 *                    with OP one of == != < <= > >=.
 */
#ifndef OOMTEST_PROTO_H
#define OOMTEST_PROTO_H

#define OOMTEST_PROTO_VERSION "1"
/* the kernel argument naming the agent channel's device: oomtest.chan=DEV */
#define OOMTEST_CHAN_ARG "oomtest.chan="
/* its value for a guest whose only line out is the console */
#define OOMTEST_CHAN_KMSG "kmsg"

static inline int proto_needs_escape(unsigned char c)
{
	return c == '%' || c <= 0x20 || c >= 0x7f;
}

static inline int proto_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
