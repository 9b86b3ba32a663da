/* progress: the terminal status line. */
#include "report/progress.h"
#include "lib/clock.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report/tap.h"

static FILE *out;
static int on, shown, color;
static size_t total, finished, running, not_ok;
static double t0;
static double last_draw;

static double now(void)
{
	return clock_now_s() - t0;
}

double progress_elapsed(void)
{
	return now();
}

int progress_color_allowed(void)
{
	const char *nc = getenv("NO_COLOR");
	return !(nc && *nc);
}

void progress_begin(FILE *f, size_t n, int allowed)
{
	const char *term = getenv("TERM");

	t0 = clock_now_s();
	out = f;
	total = n;
	on = allowed && isatty(fileno(f)) && !(term && !strcmp(term, "dumb"));
	color = on && progress_color_allowed();
	tap_color = color;
}

void progress_render(struct strbuf *line, const struct progress_counts *c, double elapsed, int use_color)
{
	size_t left = c->total - c->finished - c->running;

	strbuf_addf(line, "\r\033[K%s%zu/%zu done%s, %zu running, %zu left, %zu not ok, %d:%02d elapsed",
		    use_color ? "\033[1m" : "", c->finished, c->total, use_color ? "\033[0m" : "", c->running,
		    left > c->total ? 0 : left, c->not_ok, (int)elapsed / 60, (int)elapsed % 60);
}

static void draw(void)
{
	double t = now();
	struct progress_counts c = { total, finished, running, not_ok };
	struct strbuf line = STRBUF_INIT;

	if (!on)
		return;
	progress_render(&line, &c, t, color);
	fwrite(line.buf, 1, line.len, out);
	strbuf_release(&line);
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
