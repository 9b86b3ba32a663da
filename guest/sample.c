/* sample: VmRSS sampling from the steps' open /proc/PID/status. */
#include "guest/sample.h"
#include "guest/chan.h"
#include "guest/steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SAMPLE_MS 25

/* When the plan started, and when the steps' memory was last sampled. */
static long long plan_t0, last_sample;

void sample_begin(void)
{
	plan_t0 = (long long)clock_now_ms();
}

void sample_steps(void)
{
	long long t = (long long)clock_now_ms();

	if (t - last_sample < SAMPLE_MS)
		return;
	last_sample = t;
	for (struct step *s = step_list; s; s = s->next) {
		char buf[2048], ms[24], kb[24];
		if (!s->running || s->status_fd < 0)
			continue;
		ssize_t n = pread(s->status_fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* a zombie or kernel thread has no VmRSS line */
		char *rss = strstr(buf, "\nVmRSS:");
		if (!rss)
			continue;
		snprintf(ms, sizeof(ms), "%lld", t - plan_t0);
		snprintf(kb, sizeof(kb), "%lld", atoll(rss + 8));
		send_rec("mem", S(s->name), S(ms), S(kb), NULL);
	}
}
