/* help: `oomtest help case`, printed from the sections' key tables. */
#include "case/help.h"
#include "case/keys_case.h"
#include "case/keys_cgroup.h"
#include "case/keys_step.h"
#include "case/parser.h"
#include "case/programs.h"

static void help_keys(struct strbuf *out, const struct case_key *keys)
{
	for (size_t i = 0; keys[i].name; i++) {
		strbuf_addf(out, "  %-13s %-9s %-11s %s", keys[i].name, keys[i].type,
			    keys[i].def, keys[i].help);
		if (keys[i].add_help)
			keys[i].add_help(out);
		strbuf_addch(out, '\n');
	}
}

void case_print_help(struct strbuf *out)
{
	strbuf_addstr(out,
		"Case files (cases/NAME.case): INI sections of \"key = value\" lines. '#' starts\n"
		"a comment at the start of a line or after whitespace outside \"quotes\".\n"
		"Sizes: " SIZE_HELP " (KiB MiB GiB too).\n"
		"Durations: " DURATION_HELP ".\n"
		"Names: " NAME_CHARS ".\n\n");

	strbuf_addstr(out, "[case]  at most once; optional when the defaults do\n");
	strbuf_addf(out, "  %-13s %-9s %-11s %s\n", "KEY", "TYPE", "DEFAULT", "HELP");
	help_keys(out, case_keys_case);
	strbuf_addstr(out,
		"  needs:  cgroup-v1 cgroup-v2      the kernel config has that memory controller\n"
		"          kconfig:CONFIG_NAME      the kernel config sets CONFIG_NAME (y, m or a value)\n"
		"          kconfig:!CONFIG_NAME     ...does not\n"
		"          min-kernel:X.Y           kernel release X.Y or later (X.Y.Z too)\n"
		"          max-kernel:X.Y           kernel release X.Y.* or earlier (X.Y.Z too)\n"
		"          arch:ARCH                " ARCH_LIST "\n"
		"          memory:SIZE              the host has this much memory to spare\n"
		"          A target that lacks one is skipped for this case, with the reason.\n"
		"  packages: Debian package names, no :ARCH: the guest gets each for its\n"
		"          target's arch; a step runs their programs by name (run = stress-ng)\n"
		"          NAME: a lower-case letter or digit, then one or more of lower-case\n"
		"          letters, digits and + . -\n");

	strbuf_addstr(out,
		"\n[params]  at most once; NAME = VALUE VALUE ...: the case runs once per\n"
		"          combination of the values of every parameter (at most "
		STR(COMBOS_MAX) " runs).\n"
		"          NAME: " PARAM_HELP ";\n"
		"          values: words split on whitespace, taken as written\n"
		"  ${NAME}   in any value of any other section, [expect] lines included: this\n"
		"            run's value of NAME. [case] memory with several sizes (memory =\n"
		"            64M 128M) is a parameter too, varied first; with one size,\n"
		"            ${memory} is that size. A run is named by its values, in order:\n"
		"            memory=64M,order=1\n"
		"  " CASE_ARCH_VAR "   is not a parameter: in a path of yours (run, a module's .ko,\n"
		"            [files]) it stands for each target's arch (" ARCH_LIST "), so\n"
		"            each target gets the build for its arch; [params] may not define it\n");

	strbuf_addstr(out,
		"\n[sysctl]  at most once; KEY = VALUE, written to /proc/sys before anything else,\n"
		"          in order: vm.panic_on_oom = 1 writes 1 to /proc/sys/vm/panic_on_oom\n"
		"          KEY: lower-case letters, digits and _ in words joined by '.'\n"
		"          VALUE: one word\n");

	strbuf_addstr(out,
		"\n[files]  at most once; GUEST_PATH = HOST_PATH: the guest gets a copy of the\n"
		"          host file at GUEST_PATH before anything else\n"
		"          GUEST_PATH: an absolute path of letters, digits and _ . + - @ with\n"
		"          no empty, . or .. component;\n"
		"          not /, not /proc, /sys, /dev or /lib/modules or under them, not the\n"
		"          agent's /init or /bin/hog, not a run program's " CASE_USER_BIN "/NAME\n"
		"          HOST_PATH: the rest of the line; relative: from the case file's\n"
		"          directory; a regular file (a directory is not copied: name each\n"
		"          file); may hold " CASE_ARCH_VAR "\n");

	strbuf_addstr(out, "\n[cgroup NAME]  a cgroup to create before the steps run\n");
	strbuf_addf(out, "  %-13s %-9s %-11s %s\n", "KEY", "TYPE", "DEFAULT", "HELP");
	help_keys(out, case_keys_cgroup);
	strbuf_addf(out, "  %-13s %-9s %-11s %s\n", "<file>", "string", "(none)",
		    "any key with a '.', e.g. memory.max = 1M: written to that cgroup file, value as is");

	strbuf_addstr(out, "\n[step NAME]  steps run in file order; each needs run, module, write, sleep, wait, collect\n"
		"          or rmmod\n");
	strbuf_addf(out, "  %-13s %-9s %-11s %s\n", "KEY", "TYPE", "DEFAULT", "HELP");
	help_keys(out, case_keys_step);
	strbuf_addstr(out, "  programs: ");
	case_add_list(out, case_guest_programs);
	strbuf_addstr(out, ", a busybox applet or a program of [case] packages, by a name\n"
		"            of " PROGRAM_CHARS "; or a path with '/' to a program\n"
		"            of yours (relative: from the case file's directory; may hold\n"
		"            " CASE_ARCH_VAR "), which the guest gets as " CASE_USER_BIN "/ and its base name:\n"
		"            two programs of a case may not share a base name\n");
	strbuf_addstr(out, "  modules:  ");
	case_add_list(out, case_guest_modules);
	strbuf_addstr(out, "; or a path with '/' to a module of yours (relative:\n"
		"            from the case file's directory): a .ko file (may hold " CASE_ARCH_VAR "),\n"
		"            named by its base name, or a Kbuild source directory, built for\n"
		"            each target: its Kbuild (else its Makefile) names the module in\n"
		"            one obj-m += NAME.o (or := or =). The name: " NAME_CHARS ",\n"
		"            not oom_trigger\n"
		"  rmmod:    oom_trigger or the module of a module step of the case\n"
		"  tap:      the program's output is read as TAP or KTAP\n");
	strbuf_addstr(out,
		"  collect:  cgroup:NAME names a [cgroup]; proc:STEP a step with run or module,\n"
		"            this one or an earlier one\n"
		"  wait:     after the step's program starts (or ends), its module loads and its\n"
		"            write, the agent watches the condition until it holds or wait_max\n"
		"            passes; then collect and rmmod. One of:\n"
		"            exit            this step (run or module, background = yes) ended\n"
		"            exit STEP       that step did (this one or an earlier one, background)\n"
		"            output \"TEXT\"   this step printed a line holding TEXT (one word\n"
		"                            needs no quotes); the step needs run or module\n"
		"            oom_kill        one OOM kill more than when the step began\n"
		"            oom_kill GROUP  ...in that [cgroup] (its oom_kill count)\n"
		"            cgroup GROUP FILE[.KEY] OP NUMBER\n"
		"                            a file of that [cgroup], or the line KEY of a keyed\n"
		"                            one, compared as a number: cgroup hog\n"
		"                            memory.events.high > 0, cgroup hog memory.current >= 8M\n"
		"                            OP: == != < <= > >=; NUMBER: a whole number or a size\n"
		"                            (K M G: in bytes). FILE is the first two words\n"
		"                            (memory.events, memory.oom_control), or more for the\n"
		"                            longer names (memory.swap.*, memory.zswap.*,\n"
		"                            memory.memsw.*, memory.kmem.*, memory.kmem.tcp.*,\n"
		"                            memory.events.local, memory.oom.group, ...): the\n"
		"                            split of the facts cgroup.GROUP.FILE.KEY\n"
		"            Facts: wait.STEP.met (1 or 0), wait.STEP.ms (how long it took). A wait\n"
		"            that did not hold fails the run, unless an expectation speaks of\n"
		"            wait.STEP.met; not with sleep\n");

	strbuf_addstr(out,
		"\n[expect]  one expectation per line, in order; may appear more than once;\n"
		"          a case needs at least one (in any [expect] section)\n"
		"[expect SELECTOR]  judged only on targets whose name or arch is SELECTOR, or\n"
		"          whose kernel release starts with SELECTOR followed by '.', '-', '+'\n"
		"          or nothing: [expect i386], [expect custom-x86_64], [expect 6.12]\n"
		"          (6.12 picks 6.12.107+deb12-amd64; 6.1 picks 6.1.0-50-amd64, not 6.12.1)\n"
		"  <fact> <op> <value>\n"
		"  <fact> <op> <value> || <fact> <op> <value> ...\n"
		"         either outcome: holds when any side holds, e.g.\n"
		"         step.hog.exit == signal:9 || step.hog.exit == 3 (a value with || in it\n"
		"         must be \"quoted\")\n"
		"  fact   a name from facts.json (letters, digits and _ . : / -), e.g. oom.count,\n"
		"         oom.1.victim.comm, cgroup.hog.memory.failcnt; \"console\" is the whole\n"
		"         console text\n"
		"  value  \"quoted\" (\\\" and \\\\ escape) or bare text to the end of the line\n"
		"  ops    == != < <= > >=  numbers (decimal, 0x hex, negative, 1.5) compare as\n"
		"                          numbers when both sides are numbers, else as strings;\n"
		"                          < <= > >= never hold on strings\n"
		"         ~ !~             matches / does not match a POSIX extended regex\n"
		"  A fact the run did not produce never holds.\n");
}
