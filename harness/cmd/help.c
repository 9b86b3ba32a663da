/* help: the overview and the case file format. */
#include "cmd/help.h"
#include "case/casefile.h"

#include <string.h>

static const char overview_head[] =
	"usage: oomtest COMMAND [ARGS]\n"
	"\n"
	"Boots QEMU guests with a fixed amount of RAM, drives their kernels out of\n"
	"memory as case files describe, and judges what the kernel did.\n"
	"\n"
	"commands:\n";

static const char overview_tail[] =
	"\n"
	"On a terminal, run keeps a progress line below the TAP and colours it (NO_COLOR=1:\n"
	"no colours); elsewhere the TAP is plain.\n"
	"\n"
	"Exit status of run: 0 every run ok, 1 something not ok, 2 usage or case errors.\n"
	"Results: results/<run-id>/<case>/<target>/ (console.log, agent.log, facts.json,\n"
	"result.json, events.json, memory.tsv, timeline.tsv, timeline-events.tsv, plan.txt,\n"
	"qemu.cmdline), and per run\n"
	"index.html (the report to read) and report.json; results/latest is the newest run.\n";

static const struct command *table;
static size_t table_len;

void help_set_commands(const struct command *commands, size_t n)
{
	table = commands;
	table_len = n;
}

void help_print_usage(FILE *out)
{
	fputs(overview_head, out);
	for (size_t i = 0; i < table_len; i++)
		fputs(table[i].usage, out);
	fputs(overview_tail, out);
}

int cmd_help(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "case")) {
		struct strbuf sb = STRBUF_INIT;
		case_print_help(&sb);
		fputs(sb.buf, stdout);
		strbuf_release(&sb);
		return 0;
	}
	help_print_usage(stdout);
	return 0;
}
