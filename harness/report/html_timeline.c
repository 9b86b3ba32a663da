/* html_timeline: the memory timeline chart (see html_timeline.h). */
#include "report/html_timeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_chart.h"
#include "report/html_tree.h"

static const char *const system_series[] = { "MemFree", "MemAvailable", "Cached", "Shmem", "SwapFree" };
static const char *const system_colors[] = { "#1e88e5", "#43a047", "#fb8c00", "#8e24aa", "#d81b60" };
/* one colour each: the cgroups and steps past these are not drawn */
static const char *const group_colors[] = { "#6d4c41", "#00897b", "#3949ab", "#7cb342", "#546e7a", "#f4511e" };
static const char *const step_colors[] = { "#212121", "#757575", "#c0ca33", "#00acc1", "#5e35b1", "#ffb300" };
#define NSYSTEM (sizeof(system_series) / sizeof(system_series[0]))
#define MAX_GROUPS (sizeof(group_colors) / sizeof(group_colors[0]))
#define MAX_STEPS (sizeof(step_colors) / sizeof(step_colors[0]))
#define CGROUP_PREFIX "cgroup:"

struct line {
	const char *key;           /* the series or step the rows name */
	char *label;               /* in the legend */
	const char *cls;           /* system, cgroup or rss */
	const char *color;
	const char *dash;          /* NULL: solid */
	double width;
	struct strbuf points;      /* "x,y x,y ..." */
};

struct marker_style {
	const char *kind;          /* as timeline-events.tsv says it */
	const char *legend;
	const char *color;
	const char *dash;
	double width;
	const char *text_color;
	int labelled;              /* its label above the plot, not along the line */
};

static const struct marker_style marker_styles[] = {
	{ "oom_kill", "OOM kill (its victim)", "#c62828", NULL, 2, "#c62828", 1 },
	{ "alloc_fail", "allocation failure", "#ef6c00", "3 2", 1, "#e65100", 0 },
	{ "start", "step starts", "#9e9e9e", NULL, 0.8, "#616161", 0 },
	{ "exit", "step ends", "#9e9e9e", "4 2", 0.8, "#616161", 0 },
	{ "waited", "step's wait over", "#9e9e9e", "1 2", 0.8, "#616161", 0 },
};
#define LEGEND_ITEM_W 170.0
#define LEGEND_ROW_H 18.0
/* The words along thin markers run up from one of these heights above the
 * plot's bottom, the lowest one still free; a marker too close to its
 * neighbours in all of them has its words in its tooltip only. */
static const double label_lanes[] = { 4, 94, 184 };
#define NLANES (sizeof(label_lanes) / sizeof(label_lanes[0]))
#define LABEL_GAP 11.0             /* px between two such labels in a lane */
#define NMARKER_STYLES (sizeof(marker_styles) / sizeof(marker_styles[0]))

struct chart {
	double W, H, left, right, top, pw, ph, legend_y;
	double tmax;               /* ms at the right end of the x axis */
	double mibmax;             /* MiB at the top of the y axis */
	struct line *lines;
	size_t nlines;
	const char **dropped;      /* the cgroups and steps not drawn */
	size_t ndropped;
};

int html_timeline_drawable(const struct report_entry *e)
{
	for (size_t i = 0; i < e->npoints; i++)
		for (size_t s = 0; s < NSYSTEM; s++)
			if (!strcmp(e->points[i].series, system_series[s]))
				return 1;
	return 0;
}

static struct line *find_line(const struct chart *c, const char *cls, const char *key)
{
	for (size_t i = 0; i < c->nlines; i++)
		if (!strcmp(c->lines[i].cls, cls) && !strcmp(c->lines[i].key, key))
			return &c->lines[i];
	return NULL;
}

/* A cgroup or step past the colours, counted once. */
static void drop(struct chart *c, const char *key)
{
	for (size_t i = 0; i < c->ndropped; i++)
		if (!strcmp(c->dropped[i], key))
			return;
	c->dropped = xrealloc(c->dropped, (c->ndropped + 1) * sizeof(*c->dropped));
	c->dropped[c->ndropped++] = key;
}

static void add_line(struct chart *c, const char *cls, const char *key, char *label, const char *color,
		     const char *dash, double width)
{
	c->lines = xrealloc(c->lines, (c->nlines + 1) * sizeof(*c->lines));
	struct line *l = &c->lines[c->nlines++];
	*l = (struct line){ .key = key, .label = label, .cls = cls, .color = color, .dash = dash, .width = width };
	strbuf_init(&l->points);
}

/* The lines, in legend order: the system series the run has, then each
 * cgroup and each step as they first appear. */
static void gather_lines(struct chart *c, const struct report_entry *e)
{
	size_t ngroups = 0, nsteps = 0;

	for (size_t s = 0; s < NSYSTEM; s++)
		for (size_t i = 0; i < e->npoints; i++)
			if (!strcmp(e->points[i].series, system_series[s])) {
				add_line(c, "system", system_series[s], xstrdup(system_series[s]), system_colors[s],
					 NULL, 1.6);
				break;
			}
	for (size_t i = 0; i < e->npoints; i++) {
		const char *series = e->points[i].series;
		if (strncmp(series, CGROUP_PREFIX, strlen(CGROUP_PREFIX)) || find_line(c, "cgroup", series))
			continue;
		if (ngroups == MAX_GROUPS) {
			drop(c, series);
			continue;
		}
		struct strbuf label = STRBUF_INIT;
		strbuf_addf(&label, "cgroup %s", series + strlen(CGROUP_PREFIX));
		add_line(c, "cgroup", series, strbuf_detach(&label), group_colors[ngroups++], "7 3", 2);
	}
	for (size_t i = 0; i < e->nsamples; i++) {
		const char *step = e->samples[i].step;
		if (find_line(c, "rss", step))
			continue;
		if (nsteps == MAX_STEPS) {
			drop(c, step);
			continue;
		}
		struct strbuf label = STRBUF_INIT;
		strbuf_addf(&label, "%s RSS", step);
		add_line(c, "rss", step, strbuf_detach(&label), step_colors[nsteps++], NULL, 1.2);
	}
}

/* 1, 2 or 5 times a power of ten: about range / ticks. */
static double nice_step(double range, int ticks)
{
	double raw = range / ticks, mag = pow(10, floor(log10(raw))), f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

static double x_of(const struct chart *c, unsigned long long ms)
{
	return c->left + c->pw * (double)ms / c->tmax;
}

static double y_of(const struct chart *c, unsigned long long kb)
{
	return c->top + c->ph - c->ph * ((double)kb / 1024) / c->mibmax;
}

static void add_point(struct line *l, double x, double y)
{
	strbuf_addf(&l->points, "%s%.1f,%.1f", l->points.len ? " " : "", x, y);
}

/* The axes' ends (round numbers), then every line's points. */
static void scale_and_plot(struct chart *c, const struct report_entry *e)
{
	unsigned long long tmax = 1, kbmax = 1024;

	for (size_t i = 0; i < e->npoints; i++)
		if (find_line(c, "system", e->points[i].series) || find_line(c, "cgroup", e->points[i].series)) {
			tmax = e->points[i].ms > tmax ? e->points[i].ms : tmax;
			kbmax = e->points[i].kb > kbmax ? e->points[i].kb : kbmax;
		}
	for (size_t i = 0; i < e->nsamples; i++)
		if (find_line(c, "rss", e->samples[i].step)) {
			tmax = e->samples[i].ms > tmax ? e->samples[i].ms : tmax;
			kbmax = e->samples[i].rss_kb > kbmax ? e->samples[i].rss_kb : kbmax;
		}
	for (size_t i = 0; i < e->nevents; i++)
		tmax = e->events[i].ms > tmax ? e->events[i].ms : tmax;
	double tstep = nice_step((double)tmax, 8), mstep = nice_step((double)kbmax / 1024, 5);
	c->tmax = ceil((double)tmax / tstep) * tstep;
	c->mibmax = ceil((double)kbmax / 1024 / mstep) * mstep;

	for (size_t i = 0; i < e->npoints; i++) {
		const struct report_point *p = &e->points[i];
		struct line *l = find_line(c, "system", p->series);
		if (!l)
			l = find_line(c, "cgroup", p->series);
		if (l)
			add_point(l, x_of(c, p->ms), y_of(c, p->kb));
	}
	for (size_t i = 0; i < e->nsamples; i++) {
		struct line *l = find_line(c, "rss", e->samples[i].step);
		if (l)
			add_point(l, x_of(c, e->samples[i].ms), y_of(c, e->samples[i].rss_kb));
	}
}

static void axes(xmlNodePtr svg, const struct chart *c)
{
	double mstep = nice_step(c->mibmax, 5), tstep = nice_step(c->tmax, 8);
	char lab[48];

	for (double m = 0; m <= c->mibmax + mstep / 2; m += mstep) {
		double y = y_of(c, (unsigned long long)(m * 1024));
		snprintf(lab, sizeof(lab), mstep >= 1 ? "%.0f MiB" : "%.1f MiB", m);
		html_svg_text(svg, c->left - 4, y + 3, "end", lab);
		if (m > 0)
			html_set(html_svg_line(svg, c->left, y, c->left + c->pw, y), "stroke", "#e6e6e6");
	}
	for (double t = 0; t <= c->tmax + tstep / 2; t += tstep) {
		double x = x_of(c, (unsigned long long)t);
		snprintf(lab, sizeof(lab), tstep >= 1000 ? "%.0f s" : tstep >= 100 ? "%.1f s" : "%.2f s", t / 1000);
		html_svg_text(svg, x, c->top + c->ph + 13, "middle", lab);
		html_svg_line(svg, x, c->top + c->ph, x, c->top + c->ph + 3);
	}
	html_svg_text(svg, c->left + c->pw / 2, c->top + c->ph + 28, "middle", "time since the plan began");
}

static void dashed(xmlNodePtr n, const char *color, const char *dash, double width)
{
	html_set(n, "stroke", color);
	html_setf(n, "stroke-width", "%.1f", width);
	if (dash)
		html_set(n, "stroke-dasharray", dash);
}

static void draw_lines(xmlNodePtr svg, const struct chart *c)
{
	for (size_t i = 0; i < c->nlines; i++) {
		const struct line *l = &c->lines[i];
		xmlNodePtr pl = html_el(svg, "polyline", NULL);
		html_setf(pl, "class", "series %s", l->cls);
		html_set(pl, "points", l->points.buf);
		html_set(pl, "fill", "none");
		html_set(pl, "stroke-linejoin", "round");
		dashed(pl, l->color, l->dash, l->width);
		html_el(pl, "title", l->label);
	}
}

static const struct marker_style *style_of(const char *kind)
{
	for (size_t i = 0; i < NMARKER_STYLES; i++)
		if (!strcmp(marker_styles[i].kind, kind))
			return &marker_styles[i];
	return NULL;
}

/* The vertical line of one event, from y_top down to the plot's bottom. */
static void marker_line(xmlNodePtr svg, const struct chart *c, const struct marker_style *st,
			const struct report_event *ev, double x, double y_top)
{
	xmlNodePtr l = html_svg_line(svg, x, y_top, x, c->top + c->ph);
	html_setf(l, "class", "marker %s", ev->kind);
	dashed(l, st->color, st->dash, st->width);
	html_elf(l, "title", "%s at %.3f s: %s", ev->kind, (double)ev->ms / 1000, ev->what);
}

/* An OOM kill: its line reaches above the plot to the victim's name (in
 * row 0 or 1, so that two close kills stay legible), written away from the
 * right edge. */
static void kill_marker(xmlNodePtr svg, const struct chart *c, const struct marker_style *st,
			const struct report_event *ev, double x, int row)
{
	struct strbuf text = STRBUF_INIT;
	double y = c->top - 15 - 12.0 * row;
	int right_part = x > c->left + c->pw * 0.7;

	marker_line(svg, c, st, ev, x, y + 3);
	strbuf_addf(&text, "OOM kill: %s", ev->what);
	xmlNodePtr t = html_svg_text(svg, right_part ? x - 4 : x + 4, y, right_part ? "end" : "start", text.buf);
	html_setf(t, "style", "fill:%s;font-weight:bold", st->text_color);
	html_setf(t, "class", "marker-label %s", ev->kind);
	strbuf_release(&text);
}

/* Any other event: a thin line, its words running up beside it in the
 * lowest lane free there (lane_x: where each lane's last words are). */
static void thin_marker(xmlNodePtr svg, const struct chart *c, const struct marker_style *st,
			const struct report_event *ev, double x, double lane_x[NLANES])
{
	size_t lane = 0;

	marker_line(svg, c, st, ev, x, c->top);
	while (lane < NLANES && fabs(x - lane_x[lane]) < LABEL_GAP)
		lane++;
	if (lane == NLANES)
		return;
	struct strbuf text = STRBUF_INIT;
	double y = c->top + c->ph - label_lanes[lane];
	lane_x[lane] = x;
	strbuf_addf(&text, "%s %s", ev->kind, ev->what);
	xmlNodePtr t = html_svg_text(svg, x - 2, y, "start", text.buf);
	html_setf(t, "transform", "rotate(-90 %.1f %.1f)", x - 2, y);
	html_setf(t, "style", "fill:%s;font-size:9px", st->text_color);
	html_setf(t, "class", "marker-label %s", ev->kind);
	strbuf_release(&text);
}

static void draw_markers(xmlNodePtr svg, const struct chart *c, const struct report_entry *e)
{
	int kills = 0;
	double lane_x[NLANES];

	for (size_t i = 0; i < NLANES; i++)
		lane_x[i] = -1e9;
	for (size_t i = 0; i < e->nevents; i++) {
		const struct report_event *ev = &e->events[i];
		const struct marker_style *st = style_of(ev->kind);
		double x = x_of(c, ev->ms);
		if (st && st->labelled)
			kill_marker(svg, c, st, ev, x, kills++ % 2);
		else if (st)
			thin_marker(svg, c, st, ev, x, lane_x);
	}
}

static int has_event(const struct report_entry *e, const char *kind)
{
	for (size_t i = 0; i < e->nevents; i++)
		if (!strcmp(e->events[i].kind, kind))
			return 1;
	return 0;
}

static void legend_item(xmlNodePtr g, double x, double y, const char *color, const char *dash, double width,
			int vertical, const char *label)
{
	xmlNodePtr item = html_el(g, "g", NULL);
	html_set(item, "class", "legend-item");
	xmlNodePtr sw = vertical ? html_svg_line(item, x + 11, y - 7, x + 11, y + 7)
				 : html_svg_line(item, x, y, x + 22, y);
	dashed(sw, color, dash, width);
	html_svg_text(item, x + 28, y + 3.5, "start", label);
}

static size_t legend_per_row(const struct chart *c)
{
	return (size_t)((c->W - c->left) / LEGEND_ITEM_W);
}

/* Every line, then every kind of marker the run has, in rows. */
static void draw_legend(xmlNodePtr svg, const struct chart *c, const struct report_entry *e)
{
	size_t per_row = legend_per_row(c), k = 0;
	xmlNodePtr g = html_el(svg, "g", NULL);
	html_set(g, "class", "legend");

	for (size_t i = 0; i < c->nlines + NMARKER_STYLES; i++) {
		double x = c->left + LEGEND_ITEM_W * (double)(k % per_row);
		double y = c->legend_y + LEGEND_ROW_H * (double)(k / per_row);
		if (i < c->nlines) {
			const struct line *l = &c->lines[i];
			legend_item(g, x, y, l->color, l->dash, l->width, 0, l->label);
			k++;
		} else if (has_event(e, marker_styles[i - c->nlines].kind)) {
			const struct marker_style *st = &marker_styles[i - c->nlines];
			legend_item(g, x, y, st->color, st->dash, st->width, 1, st->legend);
			k++;
		}
	}
}

static size_t legend_items(const struct chart *c, const struct report_entry *e)
{
	size_t n = c->nlines;
	for (size_t i = 0; i < NMARKER_STYLES; i++)
		n += (size_t)has_event(e, marker_styles[i].kind);
	return n;
}

void html_timeline_chart(xmlNodePtr sec, const struct report_entry *e)
{
	if (!html_timeline_drawable(e))
		return;
	struct chart c = { .W = 960, .left = 64, .right = 24, .top = 40, .ph = 300 };

	gather_lines(&c, e);
	c.pw = c.W - c.left - c.right;
	size_t per_row = legend_per_row(&c), rows = (legend_items(&c, e) + per_row - 1) / per_row;
	c.legend_y = c.top + c.ph + 48;
	c.H = c.legend_y + LEGEND_ROW_H * (double)rows;
	scale_and_plot(&c, e);

	html_el(sec, "h3", "Memory timeline");
	xmlNodePtr fig, svg = html_chart_open(sec, "chart timeline", c.W, c.H, c.left, c.H - c.top - c.ph, c.top,
					      c.right, "system, cgroup and step memory over time, with events", &fig);
	axes(svg, &c);
	draw_lines(svg, &c);
	draw_markers(svg, &c, e);
	draw_legend(svg, &c, e);
	xmlNodePtr cap = html_el(fig, "figcaption",
				 "free and available memory, the page cache, shared memory and free swap "
				 "(/proc/meminfo), each cgroup's memory use and each step's resident memory, "
				 "sampled every 50 ms since the plan began; vertical lines where the OOM killer "
				 "killed (labelled with its victim), where an allocation failed, and where steps "
				 "started, ended or ended their wait.");
	if (c.ndropped)
		html_elf(cap, "span", " %zu more cgroups or steps are not drawn.", c.ndropped);

	for (size_t i = 0; i < c.nlines; i++) {
		free(c.lines[i].label);
		strbuf_release(&c.lines[i].points);
	}
	free(c.lines);
	free(c.dropped);
}
