/* progress: the terminal status line. */
#include "report/progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report/tap.h"

static FILE *out;
static int on, shown, color;
static size_t total, finished, running, not_ok;
static struct timespec t0;
static double last_draw;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)(ts.tv_sec - t0.tv_sec) + (double)(ts.tv_nsec - t0.tv_nsec) / 1e9;
}

double progress_elapsed(void)
{
	return now();
}

void progress_begin(FILE *f, size_t n, int allowed)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	out = f;
	total = n;
	on = allowed && isatty(fileno(f)) && !(term && !strcmp(term, "dumb"));
	color = on && !(nc && *nc);
	tap_color = color;
}

static void draw(void)
{
	double t = now();
	size_t left = total - finished - running;

	if (!on)
		return;
	fprintf(out, "\r\033[K%s%zu/%zu done%s, %zu running, %zu left, %zu not ok, %d:%02d elapsed",
		color ? "\033[1m" : "", finished, total, color ? "\033[0m" : "", running,
		left > total ? 0 : left, not_ok, (int)t / 60, (int)t % 60);
	fflush(out);
	shown = 1;
	last_draw = t;
}

void progress_update(size_t r, size_t f)
{
	if (!on)
		return;
	/* finished counts what was reported: the scheduler's count runs ahead */
	(void)f;
	if (r != running || now() - last_draw >= 1.0) {
		running = r;
		draw();
	}
}

void progress_finished(enum verdict v)
{
	finished++;
	if (v != V_PASS && v != V_SKIP)
		not_ok++;
	if (on)
		draw();
}

void progress_clear(void)
{
	if (!on || !shown)
		return;
	fputs("\r\033[K", out);
	fflush(out);
	shown = 0;
}
