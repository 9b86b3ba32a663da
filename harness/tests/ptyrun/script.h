/* script: what ptyrun's command line asks for, checked and decoded before
 * anything runs: the actions in order (-e regexes compiled, -s texts with
 * their escapes decoded, -w), the changes to the command's environment (-E,
 * -u), and the values of -t and -c. Owns the action and environment lists;
 * also the exit statuses ptyrun uses for its own failures and xrealloc. */
#ifndef PTYRUN_SCRIPT_H
#define PTYRUN_SCRIPT_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

#define EXIT_ACTION_FAILED 3 /* an action failed */
#define EXIT_USAGE 2         /* bad usage, or the pty could not be set up */

enum action_kind { ACTION_EXPECT, ACTION_SEND, ACTION_WAIT };

struct action {
	enum action_kind kind;
	const char *arg;    /* as given, for messages */
	regex_t re;         /* ACTION_EXPECT */
	char *data;         /* ACTION_SEND, decoded */
	size_t len;
	int64_t timeout_ms;
};

struct env_change {
	const char *name;
	const char *value;  /* NULL: unset */
};

struct script {
	struct action *actions;
	size_t nactions;
	struct env_change *env_changes;
	size_t nenv_changes;
};

/* realloc, or "out of memory" and exit(EXIT_USAGE) */
void *xrealloc(void *p, size_t n);

/* Each of these prints a message and returns -1 when ARG is bad, else 0. */
int parse_timeout_option(const char *arg, int64_t *timeout_ms);  /* -t */
int parse_term_size_option(const char *arg, struct winsize *ws); /* -c */
/* -E NAME=VALUE (opt 'E') or -u NAME (opt 'u'), appended in order */
int script_add_env_change(struct script *sc, int opt, const char *arg);
/* -e REGEX, -s TEXT or -w (opt 'e', 's' or 'w'; ARG is not looked at for -w) */
int script_add_action(struct script *sc, int opt, const char *arg, int64_t timeout_ms);

void script_free(struct script *sc);

#endif
