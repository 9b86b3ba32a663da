/* html_chart: the HTML report's inline SVG charts. */
#include "report/html_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_timeline.h"
#include "report/html_tree.h"

static const char *const snap_colors[] = { "#1e88e5", "#e53935", "#43a047", "#8e24aa" };
static const char *const line_colors[] = { "#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa" };

struct series {
	char *name;
	double v[11];
	int have;
};

/* buddyinfo.SNAP.ZONE.orderK facts -> per zone, per snapshot, 11 orders */
struct zone_chart {
	char *zone;
	struct series *snaps;
	size_t nsnaps;
};

static struct series *find_series(struct zone_chart *z, const char *snap)
{
	for (size_t i = 0; i < z->nsnaps; i++)
		if (!strcmp(z->snaps[i].name, snap))
			return &z->snaps[i];
	z->snaps = xrealloc(z->snaps, (z->nsnaps + 1) * sizeof(*z->snaps));
	memset(&z->snaps[z->nsnaps], 0, sizeof(*z->snaps));
	z->snaps[z->nsnaps].name = xstrdup(snap);
	return &z->snaps[z->nsnaps++];
}

static size_t buddy_charts(const struct facts *f, struct zone_chart **out)
{
	struct zone_chart *zs = NULL;
	size_t nz = 0;

	for (size_t i = 0; i < f->n; i++) {
		const char *name = f->v[i].name;
		if (strncmp(name, "buddyinfo.", 10))
			continue;
		/* SNAP.ZONE.orderK, not SNAP.orderK (the sum) nor SNAP.nodeN.ZONE.orderK */
		char *copy = xstrdup(name + 10);
		char *dot1 = strchr(copy, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
		int k;
		if (dot1 && dot2 && !strchr(dot2 + 1, '.') && sscanf(dot2 + 1, "order%d", &k) == 1 && k >= 0 &&
		    k <= 10) {
			*dot1 = *dot2 = '\0';
			const char *zone = dot1 + 1;
			struct zone_chart *z = NULL;
			for (size_t j = 0; j < nz; j++)
				if (!strcmp(zs[j].zone, zone))
					z = &zs[j];
			if (!z) {
				zs = xrealloc(zs, (nz + 1) * sizeof(*zs));
				z = &zs[nz++];
				memset(z, 0, sizeof(*z));
				z->zone = xstrdup(zone);
			}
			struct series *s = find_series(z, copy);
			s->v[k] = strtod(f->v[i].value, NULL);
			s->have |= 1 << k;
		}
		free(copy);
	}
	*out = zs;
	return nz;
}

static void free_charts(struct zone_chart *zs, size_t nz)
{
	for (size_t i = 0; i < nz; i++) {
		for (size_t j = 0; j < zs[i].nsnaps; j++)
			free(zs[i].snaps[j].name);
		free(zs[i].snaps);
		free(zs[i].zone);
	}
	free(zs);
}

xmlNodePtr html_svg_text(xmlNodePtr svg, double x, double y, const char *anchor, const char *s)
{
	xmlNodePtr t = html_el(svg, "text", s);
	html_setf(t, "x", "%.1f", x);
	html_setf(t, "y", "%.1f", y);
	if (anchor)
		html_set(t, "text-anchor", anchor);
	return t;
}

xmlNodePtr html_svg_line(xmlNodePtr svg, double x1, double y1, double x2, double y2)
{
	xmlNodePtr l = html_el(svg, "line", NULL);
	html_setf(l, "x1", "%.1f", x1);
	html_setf(l, "y1", "%.1f", y1);
	html_setf(l, "x2", "%.1f", x2);
	html_setf(l, "y2", "%.1f", y2);
	html_set(l, "stroke", "#999");
	return l;
}

xmlNodePtr html_chart_open(xmlNodePtr parent, const char *cls, double W, double H, double left, double bottom,
			   double top, double right, const char *label, xmlNodePtr *fig)
{
	*fig = html_el(parent, "figure", NULL);
	html_set(*fig, "class", cls);
	xmlNodePtr svg = html_el(*fig, "svg", NULL);
	html_set(svg, "xmlns", "http://www.w3.org/2000/svg");
	html_setf(svg, "width", "%.0f", W);
	html_setf(svg, "height", "%.0f", H);
	html_setf(svg, "viewBox", "0 0 %.0f %.0f", W, H);
	html_set(svg, "role", "img");
	html_set(svg, "aria-label", label);
	html_svg_line(svg, left, H - bottom, W - right, H - bottom);
	html_svg_line(svg, left, top, left, H - bottom);
	return svg;
}

/* One zone: free blocks per order, a bar per snapshot, on a log scale
 * (order-0 counts are thousands, order-10 ones a handful). */
static void buddy_chart(xmlNodePtr parent, const struct zone_chart *z)
{
	const double W = 420, H = 200, left = 40, bottom = 30, top = 14;
	double max = 1;
	for (size_t s = 0; s < z->nsnaps; s++)
		for (int k = 0; k < 11; k++)
			max = z->snaps[s].v[k] > max ? z->snaps[s].v[k] : max;
	double lmax = log10(max + 1);
	size_t ns = z->nsnaps > 4 ? 4 : z->nsnaps;

	struct strbuf label = STRBUF_INIT;
	strbuf_addf(&label, "free blocks per order, zone %s", z->zone);
	xmlNodePtr fig, svg = html_chart_open(parent, "chart buddy", W, H, left, bottom, top, 10, label.buf, &fig);
	strbuf_release(&label);
	double plot_h = H - bottom - top, slot = (W - left - 10) / 11;
	for (double d = 1; d <= max * 10 && d <= 1e9; d *= 10) {
		double y = H - bottom - log10(d + 1) / lmax * plot_h;
		if (y < top - 1)
			break;
		char lab[32];
		snprintf(lab, sizeof(lab), "%.0f", d);
		html_svg_text(svg, left - 4, y + 3, "end", lab);
		html_svg_line(svg, left - 2, y, left, y);
	}
	for (int k = 0; k < 11; k++) {
		char lab[16];
		snprintf(lab, sizeof(lab), "%d", k);
		html_svg_text(svg, left + slot * k + slot / 2, H - bottom + 12, "middle", lab);
		for (size_t s = 0; s < ns; s++) {
			double v = z->snaps[s].v[k];
			double h = log10(v + 1) / lmax * plot_h;
			double bw = (slot - 4) / (double)ns;
			xmlNodePtr rect = html_el(svg, "rect", NULL);
			html_set(rect, "class", "bar");
			html_setf(rect, "x", "%.1f", left + slot * k + 2 + bw * (double)s);
			html_setf(rect, "y", "%.1f", H - bottom - h);
			html_setf(rect, "width", "%.1f", bw);
			html_setf(rect, "height", "%.1f", h);
			html_set(rect, "fill", snap_colors[s]);
			html_elf(rect, "title", "%s, order %d: %.0f free blocks", z->snaps[s].name, k, v);
		}
	}
	html_svg_text(svg, left + (W - left) / 2, H - 2, "middle", "order");
	xmlNodePtr cap = html_el(fig, "figcaption", NULL);
	html_elf(cap, "b", "zone %s", z->zone);
	html_add_text(cap, ": free blocks per order (log scale); ", strlen(": free blocks per order (log scale); "));
	for (size_t s = 0; s < ns; s++) {
		xmlNodePtr sw = html_el(cap, "span", "\xe2\x96\xa0 ");
		html_setf(sw, "style", "color:%s", snap_colors[s]);
		html_add_text(cap, z->snaps[s].name, strlen(z->snaps[s].name));
		html_add_text(cap, " ", 1);
	}
}

/* The steps' resident memory over time, as the agent sampled it. */
static void memory_chart(xmlNodePtr parent, const struct report_entry *e)
{
	const double W = 560, H = 220, left = 64, bottom = 30, top = 12, right = 24;
	unsigned long long tmax = 1, kmax = 1;
	char *steps[5];
	size_t nsteps = 0;

	for (size_t i = 0; i < e->nsamples; i++) {
		tmax = e->samples[i].ms > tmax ? e->samples[i].ms : tmax;
		kmax = e->samples[i].rss_kb > kmax ? e->samples[i].rss_kb : kmax;
		size_t j = 0;
		while (j < nsteps && strcmp(steps[j], e->samples[i].step))
			j++;
		if (j == nsteps && nsteps < 5)
			steps[nsteps++] = e->samples[i].step;
	}
	xmlNodePtr fig, svg = html_chart_open(parent, "chart memory", W, H, left, bottom, top, right,
					      "resident memory of the steps over time", &fig);
	double pw = W - left - right, ph = H - bottom - top;
	for (int i = 0; i <= 4; i++) {
		char lab[32];
		double y = H - bottom - ph * i / 4;
		if (kmax >= 10240)
			snprintf(lab, sizeof(lab), "%.1f MiB", (double)kmax * i / 4 / 1024);
		else
			snprintf(lab, sizeof(lab), "%.0f kB", (double)kmax * i / 4);
		html_svg_text(svg, left - 4, y + 3, "end", lab);
		snprintf(lab, sizeof(lab), "%.2f s", (double)tmax * i / 4 / 1000);
		html_svg_text(svg, left + pw * i / 4, H - bottom + 12, "middle", lab);
	}
	for (size_t j = 0; j < nsteps; j++) {
		struct strbuf pts = STRBUF_INIT;
		size_t n = 0;
		for (size_t i = 0; i < e->nsamples; i++)
			if (!strcmp(e->samples[i].step, steps[j])) {
				double x = left + pw * (double)e->samples[i].ms / (double)tmax;
				double y = H - bottom - ph * (double)e->samples[i].rss_kb / (double)kmax;
				strbuf_addf(&pts, "%s%.1f,%.1f", n++ ? " " : "", x, y);
				xmlNodePtr c = html_el(svg, "circle", NULL);
				html_set(c, "class", "point");
				html_setf(c, "cx", "%.1f", x);
				html_setf(c, "cy", "%.1f", y);
				html_set(c, "r", "2.5");
				html_set(c, "fill", line_colors[j]);
				html_elf(c, "title", "%s at %.3f s: %llu kB", steps[j], (double)e->samples[i].ms / 1000,
				    e->samples[i].rss_kb);
			}
		xmlNodePtr pl = html_el(svg, "polyline", NULL);
		html_set(pl, "points", pts.buf);
		html_set(pl, "fill", "none");
		html_set(pl, "stroke", line_colors[j]);
		html_set(pl, "stroke-width", "1.5");
		strbuf_release(&pts);
	}
	xmlNodePtr cap = html_el(fig, "figcaption", "resident memory (VmRSS) of each step over time since the plan began: ");
	for (size_t j = 0; j < nsteps; j++) {
		xmlNodePtr sw = html_el(cap, "span", "\xe2\x96\xa0 ");
		html_setf(sw, "style", "color:%s", line_colors[j]);
		html_add_text(cap, steps[j], strlen(steps[j]));
		html_add_text(cap, " ", 1);
	}
}

void html_charts(xmlNodePtr sec, const struct report_entry *e)
{
	struct zone_chart *zs;
	size_t nz = buddy_charts(&e->facts, &zs);
	html_el(sec, "h3", "Free memory by order (/proc/buddyinfo)");
	if (nz) {
		xmlNodePtr charts = html_el(sec, "div", NULL);
		html_set(charts, "class", "charts");
		for (size_t i = 0; i < nz; i++)
			buddy_chart(charts, &zs[i]);
	} else {
		html_el(sec, "p", "The case collected no buddyinfo snapshot (collect = buddyinfo).");
	}
	free_charts(zs, nz);

	html_el(sec, "h3", "Memory of the steps over time");
	if (e->nsamples)
		memory_chart(sec, e);
	else
		html_el(sec, "p", "No samples: no step ran long enough to be sampled (every 25 ms while the plan waits).");

	html_timeline_chart(sec, e);
}
