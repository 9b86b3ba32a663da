/* script: ptyrun's actions and environment changes, parsed from its
 * command line; the escapes of -s decoded. */
#include "script.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fprintf(stderr, "ptyrun: out of memory\n");
		exit(EXIT_USAGE);
	}
	return q;
}

/* Decodes the escapes of a -s argument into a new buffer. Returns 0, or -1
 * (with a message) on a bad escape. */
static int decode_send_text(const char *s, char **out, size_t *outlen)
{
	size_t n = 0;
	char *d = xrealloc(NULL, strlen(s) + 1);

	for (const char *p = s; *p; p++) {
		if (*p != '\\') {
			d[n++] = *p;
			continue;
		}
		switch (*++p) {
		case 'n': d[n++] = '\n'; break;
		case 'r': d[n++] = '\r'; break;
		case 't': d[n++] = '\t'; break;
		case 'e': d[n++] = '\033'; break;
		case '\\': d[n++] = '\\'; break;
		case 'x': {
			int h1 = proto_hexval((unsigned char)p[1]), h2;
			if (h1 < 0) {
				fprintf(stderr, "ptyrun: -s '%s': \\x needs a hex digit\n", s);
				free(d);
				return -1;
			}
			p++;
			if ((h2 = proto_hexval((unsigned char)p[1])) >= 0) {
				h1 = h1 * 16 + h2;
				p++;
			}
			d[n++] = (char)h1;
			break;
		}
		case '\0':
			fprintf(stderr, "ptyrun: -s '%s': a lone '\\' at the end\n", s);
			free(d);
			return -1;
		default:
			fprintf(stderr, "ptyrun: -s '%s': unknown escape '\\%c'\n", s, *p);
			free(d);
			return -1;
		}
	}
	*out = d;
	*outlen = n;
	return 0;
}

static int parse_seconds(const char *s, int64_t *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0 && v <= 1e7)) /* NaN too */
		return -1;
	*ms = (int64_t)(v * 1000 + 0.999);
	return 0;
}

int parse_timeout_option(const char *arg, int64_t *timeout_ms)
{
	if (parse_seconds(arg, timeout_ms) < 0) {
		fprintf(stderr, "ptyrun: -t '%s': want a number of seconds > 0\n", arg);
		return -1;
	}
	return 0;
}

static int parse_cols_x_rows(const char *s, struct winsize *ws)
{
	char *end;
	unsigned long cols, rows;

	errno = 0;
	cols = strtoul(s, &end, 10);
	if (errno || end == s || (*end != 'x' && *end != 'X') || cols < 1 || cols > USHRT_MAX)
		return -1;
	s = end + 1;
	rows = strtoul(s, &end, 10);
	if (errno || end == s || *end || rows < 1 || rows > USHRT_MAX)
		return -1;
	memset(ws, 0, sizeof(*ws));
	ws->ws_col = (unsigned short)cols;
	ws->ws_row = (unsigned short)rows;
	return 0;
}

int parse_term_size_option(const char *arg, struct winsize *ws)
{
	if (parse_cols_x_rows(arg, ws) < 0) {
		fprintf(stderr, "ptyrun: -c '%s': want COLSxROWS, e.g. 80x24\n", arg);
		return -1;
	}
	return 0;
}

int script_add_env_change(struct script *sc, int opt, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct env_change *change;

	sc->env_changes = xrealloc(sc->env_changes,
				   (sc->nenv_changes + 1) * sizeof(*sc->env_changes));
	change = &sc->env_changes[sc->nenv_changes];
	if (opt == 'E') {
		if (!eq || eq == arg) {
			fprintf(stderr, "ptyrun: -E '%s': want NAME=VALUE\n", arg);
			return -1;
		}
		change->name = strndup(arg, (size_t)(eq - arg));
		change->value = eq + 1;
	} else {
		if (eq || !*arg) {
			fprintf(stderr, "ptyrun: -u '%s': want a variable name\n", arg);
			return -1;
		}
		change->name = arg;
		change->value = NULL;
	}
	if (!change->name) {
		fprintf(stderr, "ptyrun: out of memory\n");
		return -1;
	}
	sc->nenv_changes++;
	return 0;
}

int script_add_action(struct script *sc, int opt, const char *arg, int64_t timeout_ms)
{
	struct action *a;

	sc->actions = xrealloc(sc->actions, (sc->nactions + 1) * sizeof(*sc->actions));
	a = &sc->actions[sc->nactions];
	memset(a, 0, sizeof(*a));
	a->arg = arg;
	a->timeout_ms = timeout_ms;
	if (opt == 'e') {
		int rc = regcomp(&a->re, arg, REG_EXTENDED);
		a->kind = ACTION_EXPECT;
		if (rc) {
			char msg[256];
			regerror(rc, &a->re, msg, sizeof(msg));
			fprintf(stderr, "ptyrun: -e '%s': %s\n", arg, msg);
			return -1;
		}
	} else if (opt == 's') {
		a->kind = ACTION_SEND;
		if (decode_send_text(arg, &a->data, &a->len) < 0)
			return -1;
	} else {
		a->kind = ACTION_WAIT;
	}
	sc->nactions++;
	return 0;
}

void script_free(struct script *sc)
{
	for (size_t i = 0; i < sc->nactions; i++) {
		if (sc->actions[i].kind == ACTION_EXPECT)
			regfree(&sc->actions[i].re);
		free(sc->actions[i].data);
	}
	/* -E names were copied out of their argument; -u names were not */
	for (size_t i = 0; i < sc->nenv_changes; i++)
		if (sc->env_changes[i].value)
			free((char *)sc->env_changes[i].name);
	free(sc->actions);
	free(sc->env_changes);
	sc->actions = NULL;
	sc->env_changes = NULL;
	sc->nactions = sc->nenv_changes = 0;
}
