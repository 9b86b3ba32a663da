/* apt: apt-cache's dependency tree read into blocks and walked for one
 * arch; dpkg -S lines ranked by where the library lies. */
#include "payload/apt.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "target/arch.h"

const char *apt_debian_arch(const char *arch)
{
	const struct arch_ops *a = arch_find(arch);

	return a ? a->debian : NULL;
}

const char *apt_triplet(const char *arch)
{
	const struct arch_ops *a = arch_find(arch);

	return a ? a->triplet : NULL;
}

char *apt_qualified(const char *name, const char *debarch, int native)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, name);
	if (!native)
		strbuf_addf(&sb, ":%s", debarch);
	return strbuf_detach(&sb);
}

char *apt_base_name(const char *apt_name)
{
	const char *colon = strchr(apt_name, ':');
	return colon ? xstrndup(apt_name, (size_t)(colon - apt_name)) : xstrdup(apt_name);
}

/* One "  Depends: X" line with the "    PROVIDER" lines under it. */
struct dep {
	char *target;              /* without the <> of a virtual package */
	int is_virtual;
	int or_next;               /* " |Depends:": the next line is an alternative */
	char **providers;
	size_t nproviders;
};

struct block {
	char *name;
	int is_virtual;
	struct dep *deps;
	size_t ndeps;
};

struct graph {
	struct block *v;
	size_t n;
	int skipping;              /* under a relation that is not Depends or PreDepends */
};

static char *unbracket(const char *s, size_t len, int *is_virtual)
{
	*is_virtual = len >= 2 && s[0] == '<' && s[len - 1] == '>';
	return *is_virtual ? xstrndup(s + 1, len - 2) : xstrndup(s, len);
}

static void parse_line(struct graph *g, const char *line, size_t len)
{
	struct block *b = g->n ? &g->v[g->n - 1] : NULL;
	const char *target;

	if (len && line[0] != ' ') {
		g->v = xrealloc(g->v, (g->n + 1) * sizeof(*g->v));
		b = &g->v[g->n++];
		memset(b, 0, sizeof(*b));
		b->name = unbracket(line, len, &b->is_virtual);
		g->skipping = 0;
		return;
	}
	if (!b)
		return;
	if (len > 4 && !strncmp(line, "    ", 4)) {
		if (g->skipping || !b->ndeps)
			return;
		struct dep *d = &b->deps[b->ndeps - 1];
		d->providers = xrealloc(d->providers, (d->nproviders + 1) * sizeof(char *));
		d->providers[d->nproviders++] = xstrndup(line + 4, len - 4);
		return;
	}
	/* "  Depends: X", " |PreDepends: X"; another relation is skipped with
	 * the provider lines under it */
	g->skipping = 1;
	if (len < 3 || (line[1] != ' ' && line[1] != '|'))
		return;
	if (len > 11 && !strncmp(line + 2, "Depends: ", 9))
		target = line + 11;
	else if (len > 14 && !strncmp(line + 2, "PreDepends: ", 12))
		target = line + 14;
	else
		return;
	g->skipping = 0;
	b->deps = xrealloc(b->deps, (b->ndeps + 1) * sizeof(*b->deps));
	struct dep *d = &b->deps[b->ndeps++];
	memset(d, 0, sizeof(*d));
	d->or_next = line[1] == '|';
	d->target = unbracket(target, (size_t)(line + len - target), &d->is_virtual);
}

static void parse_graph(struct graph *g, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *next = nl ? nl + 1 : p + strlen(p);
		size_t len = (size_t)((nl ? nl : next) - p);
		while (len && p[len - 1] == '\r')
			len--;
		parse_line(g, p, len);
		p = next;
	}
}

static void free_graph(struct graph *g)
{
	for (size_t i = 0; i < g->n; i++) {
		struct block *b = &g->v[i];
		for (size_t j = 0; j < b->ndeps; j++) {
			for (size_t k = 0; k < b->deps[j].nproviders; k++)
				free(b->deps[j].providers[k]);
			free(b->deps[j].providers);
			free(b->deps[j].target);
		}
		free(b->deps);
		free(b->name);
	}
	free(g->v);
}

static const struct block *find_block(const struct graph *g, const char *name)
{
	for (size_t i = 0; i < g->n; i++)
		if (!g->v[i].is_virtual && !strcmp(g->v[i].name, name))
			return &g->v[i];
	return NULL;
}

/* 0: a package of debarch; 1: unqualified on a foreign arch (Arch: all,
 * or native); -1: another arch's. */
static int arch_rank(const char *name, const char *debarch, int native)
{
	const char *colon = strchr(name, ':');

	if (!colon)
		return native ? 0 : 1;
	if (!strcmp(colon + 1, debarch))
		return 0;
	return -1;
}

/* The package taken for one alternative: the best-ranked of the target
 * (unless virtual) and its providers, the earliest on a tie. */
static const char *pick_alternative(const struct dep *d, const char *debarch, int native)
{
	const char *best = NULL;
	int best_rank = 2;

	for (size_t i = d->is_virtual ? 1 : 0; i <= d->nproviders; i++) {
		const char *c = i ? d->providers[i - 1] : d->target;
		int r = arch_rank(c, debarch, native);
		if (r >= 0 && r < best_rank) {
			best = c;
			best_rank = r;
		}
	}
	return best;
}

/* far beyond any real chain of dependencies; bounds the recursion */
#define APT_MAX_DEPTH 256

struct walk {
	const struct graph *g;
	const char *debarch;
	int native;
	struct apt_closure *out;
	char **seen;
	size_t nseen;
};

static int seen(struct walk *w, const char *name)
{
	for (size_t i = 0; i < w->nseen; i++)
		if (!strcmp(w->seen[i], name))
			return 1;
	w->seen = xrealloc(w->seen, (w->nseen + 1) * sizeof(char *));
	w->seen[w->nseen++] = xstrdup(name);
	return 0;
}

/* Depth first; a package is added after its dependencies. Cycles (libc6
 * and libgcc-s1 depend on each other) end at a package already seen. */
static void visit(struct walk *w, const char *name, int depth)
{
	const struct block *b = find_block(w->g, name);
	struct apt_pkg pkg = { xstrdup(name), NULL, 0 };

	if (seen(w, name)) {
		free(pkg.name);
		return;
	}
	for (size_t i = 0; b && depth < APT_MAX_DEPTH && i < b->ndeps; i++) {
		const char *chosen = NULL;
		/* an alternatives group: up to and including the line without '|' */
		size_t j = i;
		for (; j < b->ndeps; j++) {
			if (!chosen)
				chosen = pick_alternative(&b->deps[j], w->debarch, w->native);
			if (!b->deps[j].or_next)
				break;
		}
		i = j;
		if (!chosen)
			continue;
		pkg.deps = xrealloc(pkg.deps, (pkg.ndeps + 1) * sizeof(char *));
		pkg.deps[pkg.ndeps++] = xstrdup(chosen);
		visit(w, chosen, depth + 1);
	}
	w->out->v = xrealloc(w->out->v, (w->out->n + 1) * sizeof(*w->out->v));
	w->out->v[w->out->n++] = pkg;
}

int apt_closure(const char *output, const char *debarch, int native, char *const *roots, size_t nroots,
		enum apt_root_status *status, struct apt_closure *out)
{
	struct graph g = { NULL, 0, 0 };
	struct walk w = { &g, debarch, native, out, NULL, 0 };
	int ret = 0;

	out->v = NULL;
	out->n = 0;
	parse_graph(&g, output);
	for (size_t i = 0; i < nroots; i++) {
		if (find_block(&g, roots[i])) {
			status[i] = APT_FOUND;
			visit(&w, roots[i], 0);
			continue;
		}
		status[i] = APT_UNKNOWN;
		for (size_t k = 0; k < g.n; k++)
			if (g.v[k].is_virtual && !strcmp(g.v[k].name, roots[i]))
				status[i] = APT_VIRTUAL;
		ret = -1;
	}
	for (size_t i = 0; i < w.nseen; i++)
		free(w.seen[i]);
	free(w.seen);
	free_graph(&g);
	return ret;
}

void apt_closure_release(struct apt_closure *c)
{
	for (size_t i = 0; i < c->n; i++) {
		for (size_t j = 0; j < c->v[i].ndeps; j++)
			free(c->v[i].deps[j]);
		free(c->v[i].deps);
		free(c->v[i].name);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

void apt_closure_merge(struct apt_closure *into, struct apt_closure *from)
{
	for (size_t i = 0; i < from->n; i++) {
		size_t j = 0;
		while (j < into->n && strcmp(into->v[j].name, from->v[i].name))
			j++;
		if (j < into->n)
			continue;
		into->v = xrealloc(into->v, (into->n + 1) * sizeof(*into->v));
		into->v[into->n++] = from->v[i];
		memset(&from->v[i], 0, sizeof(from->v[i]));
	}
	apt_closure_release(from);
}

char *apt_multiarch_name(const char *host_pkg)
{
	char *name = apt_base_name(host_pkg);
	static const char *const prefixes[] = { "lib32", "lib64", "libx32" };
	static const char *const libc[] = { "libc6-i386", "libc6-amd64", "libc6-x32" };

	for (size_t i = 0; i < sizeof(libc) / sizeof(libc[0]); i++)
		if (!strcmp(name, libc[i])) {
			free(name);
			return xstrdup("libc6");
		}
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);
		if (strncmp(name, prefixes[i], n) || !name[n])
			continue;
		struct strbuf sb = STRBUF_INIT;
		/* lib32z1: zlib's library package is zlib1g */
		if (!strcmp(name + n, "z1"))
			strbuf_addstr(&sb, "zlib1g");
		else
			strbuf_addf(&sb, "lib%s", name + n);
		free(name);
		return strbuf_detach(&sb);
	}
	return name;
}

static int in_dir(const char *path, const char *dir)
{
	const char *slash = strrchr(path, '/');
	size_t n = strlen(dir);
	return slash && (size_t)(slash - path) == n && !strncmp(path, dir, n);
}

/* Whether path lies directly in /lib/T or /usr/lib/T for some "...-linux-gnu" T. */
static int in_some_multiarch_dir(const char *path)
{
	const char *rest = !strncmp(path, "/usr/lib/", 9) ? path + 9 : !strncmp(path, "/lib/", 5) ? path + 5 : NULL;
	const char *slash = rest ? strchr(rest, '/') : NULL;
	if (!slash || strchr(slash + 1, '/'))
		return 0;
	return (size_t)(slash - rest) > 10 && !strncmp(slash - 10, "-linux-gnu", 10);
}

/* Lower is better; -1: not for this arch. */
static int path_rank(const char *path, const char *pkg, const char *arch)
{
	const struct arch_ops *a = arch_find(arch);
	const char *colon = strchr(pkg, ':');
	struct strbuf lib = STRBUF_INIT, usr_lib = STRBUF_INIT, multilib = STRBUF_INIT, usr_multilib = STRBUF_INIT;
	int rank = -1;

	strbuf_addf(&lib, "/lib/%s", a->triplet);
	strbuf_addf(&usr_lib, "/usr/lib/%s", a->triplet);
	if (a->multilib) {
		strbuf_addf(&multilib, "/lib%s", a->multilib);
		strbuf_addf(&usr_multilib, "/usr/lib%s", a->multilib);
	}
	if (in_dir(path, lib.buf) || in_dir(path, usr_lib.buf))
		rank = 0;
	else if (a->multilib && (in_dir(path, multilib.buf) || in_dir(path, usr_multilib.buf)))
		rank = 1;
	else if ((in_dir(path, "/lib") || in_dir(path, "/usr/lib")) && (!colon || !strcmp(colon + 1, a->debian)))
		rank = 2;
	else if (in_some_multiarch_dir(path))
		rank = 3;
	strbuf_release(&lib);
	strbuf_release(&usr_lib);
	strbuf_release(&multilib);
	strbuf_release(&usr_multilib);
	return rank;
}

char *apt_soname_owner(const char *dpkg_output, const char *arch)
{
	const char *p = dpkg_output;
	char *best = NULL;
	int best_rank = 4;

	if (!apt_triplet(arch))
		return NULL;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);
		char *sep = strstr(line, ": /");

		p += len + (nl ? 1 : 0);
		/* "diversion by X from: /path", "dpkg-query: no path found ..." */
		if (!sep || !strncmp(line, "diversion by ", 13) || !strncmp(line, "local diversion", 15)) {
			free(line);
			continue;
		}
		*sep = '\0';
		/* "pkg-a, pkg-b: /path": the first */
		char *comma = strchr(line, ',');
		if (comma)
			*comma = '\0';
		if (!*line || strchr(line, ' ')) {
			free(line);
			continue;
		}
		int r = path_rank(sep + 2, line, arch);
		if (r >= 0 && r < best_rank) {
			free(best);
			best = apt_multiarch_name(line);
			best_rank = r;
		}
		free(line);
	}
	return best;
}

const char *apt_glibc_package(const char *soname)
{
	static const char *const glibc[] = {
		"ld-linux.so.2", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libc.so.6", "libm.so.6", "libmvec.so.1",
		"libpthread.so.0", "libdl.so.2", "librt.so.1", "libresolv.so.2", "libutil.so.1",
		"libanl.so.1", "libBrokenLocale.so.1", "libthread_db.so.1", "libc_malloc_debug.so.0",
		"libnss_files.so.2", "libnss_dns.so.2", "libmemusage.so", "libpcprofile.so",
	};
	for (size_t i = 0; i < sizeof(glibc) / sizeof(glibc[0]); i++)
		if (!strcmp(soname, glibc[i]))
			return "libc6";
	return NULL;
}
