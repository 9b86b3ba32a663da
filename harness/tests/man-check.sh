#!/usr/bin/env bash
# man-check.sh OOMTEST_BIN MANPAGE: checks that the man page stays true to
# the program. What is checked comes from what the program prints when the
# script runs, never from a list kept here:
#   - every long option `OOMTEST_BIN --help` prints (--[a-z][a-z-]*), and
#     every one `OOMTEST_BIN parse --help` prints, is in the page (as
#     \-\-name or --name);
#   - every command of --help ("run", "list", "help case", ...) is a heading
#     or tag under COMMANDS;
#   - every section and every key `OOMTEST_BIN help case` prints is a heading
#     or tag under CASE FILES;
#   - every OOMTEST_* variable (and NO_COLOR) the harness sources read with
#     getenv() is a tag under ENVIRONMENT (when the sources are found);
#   - the page is ASCII, writes no "--" unescaped, and renders without a
#     warning (groff -ww -z -man; man --warnings when man is installed).
# Each check prints "ok - ..." or "not ok - ..." with what is missing; the
# last line is "N passed, N failed". Exits 1 when any check failed, 2 on
# usage errors.
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 OOMTEST_BIN MANPAGE" >&2
	exit 2
fi
bin=$1 page=$2
passed=0 failed=0

ok() { echo "ok - $*"; passed=$((passed + 1)); }
count() { printf '%s\n' "$1" | grep -c .; }
not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }
# check DESCRIPTION MISSING...: ok when nothing is missing; the label of
# what is listed is "missing" unless CHECK_LABEL says otherwise
check() {
	local what=$1
	shift
	if [ $# -eq 0 ]; then ok "$what"; else not_ok "$what; ${CHECK_LABEL:-missing}: $*"; fi
}

if [ ! -r "$page" ]; then
	not_ok "cannot read the page $page"
	echo "$passed passed, $failed failed"
	exit 1
fi
export LC_ALL=C

# The page as plain text, one source line per output line: font and size
# escapes gone, \- \(hy \(mi as -, \& \| \^ \% gone, "\ " as a space,
# \(dq as ", \e as \. Comment lines (.\") are dropped.
plain() {
	sed -e '/^\.\\"/d' -e "/^'\\\\\"/d" \
	    -e 's/\\f\[[^]]*\]//g; s/\\f([A-Za-z][A-Za-z]//g; s/\\f[A-Za-z0-9]//g' \
	    -e 's/\\s[-+]\{0,1\}[0-9]//g' \
	    -e 's/\\(hy/-/g; s/\\(mi/-/g; s/\\(dq/"/g; s/\\(aq/'"'"'/g' \
	    -e 's/\\-/-/g; s/\\&//g; s/\\|//g; s/\\^//g; s/\\%//g; s/\\ / /g; s/\\e/\\/g' \
	    "$page"
}
plain_text=$(plain)

# The lines of one .SH section (plain), by its title.
section() {
	printf '%s\n' "$plain_text" | awk -v want="$1" '
		/^\.SH/ { t = $0; sub(/^\.SH[ \t]*/, "", t); gsub(/"/, "", t); on = (t == want); next }
		on'
}

# The headings and tags of a section's lines on stdin: every .SS line, the
# tag line after a .TP, and the tag of an .IP; each without its macro and
# quotes, with spaces squeezed. Words in running text do not count: a key
# or command must have an entry of its own.
tags() {
	awk '
		function clean(s) {
			sub(/^\.[A-Za-z]+[ \t]*/, "", s)
			gsub(/"/, "", s)
			gsub(/[ \t]+/, " ", s)
			sub(/^ /, "", s)
			return s
		}
		tp { print clean($0); tp = 0; next }
		/^\.TP/ { tp = 1; next }
		/^\.SS([ \t]|$)/ { print clean($0); next }
		/^\.IP[ \t]/ {
			s = $0
			sub(/^\.IP[ \t]+/, "", s)
			if (s ~ /^"/) { sub(/^"/, "", s); sub(/".*/, "", s) } else sub(/[ \t].*/, "", s)
			print s
		}'
}

# Does a line of stdin start with WORDS (optionally after "oomtest "), the
# words followed by the end or a character that cannot continue them?
starts_with() {
	awk -v w="$1" '
		{
			s = $0
			sub(/^oomtest /, "", s)
			if (substr(s, 1, length(w)) == w) {
				c = substr(s, length(w) + 1, 1)
				if (c == "" || c !~ /[A-Za-z0-9_.:!-]/) { found = 1; exit }
			}
		}
		END { exit !found }'
}

# --- what the program prints -------------------------------------------
help_text=$("$bin" --help 2>&1)
help_rc=$?
if [ $help_rc -ne 0 ] || [ -z "$help_text" ]; then
	not_ok "$bin --help exits $help_rc"
	help_text=
else
	ok "$bin --help runs"
fi
parse_help=$("$bin" parse --help 2>/dev/null) || parse_help=
case_help=$("$bin" help case 2>&1)
case_rc=$?
if [ $case_rc -ne 0 ] || [ -z "$case_help" ]; then
	not_ok "$bin help case exits $case_rc"
	case_help=
else
	ok "$bin help case runs"
fi

# --- long options ------------------------------------------------------
# Matched against the page with its escapes undone, as whole options:
# --tap must not pass because --tap-version is there.
options=$(printf '%s\n%s\n' "$help_text" "$parse_help" | grep -o -- '--[a-z][a-z-]*' |
	  sed 's/-*$//' | sort -u)
if [ -z "$options" ]; then
	not_ok "no long option found in --help (has its format changed?)"
else
	missing=()
	for o in $options; do
		grep -q -E -- "(^|[^A-Za-z0-9-])${o}([^A-Za-z0-9-]|\$)" <<<"$plain_text" ||
			missing+=("$o")
	done
	check "every long option of --help and parse --help ($(count "$options")) is in the page" \
	      "${missing[@]+"${missing[@]}"}"
fi

# --- commands ----------------------------------------------------------
# The command lines of --help are indented by two spaces under "commands:"
# (or, without that header, every line indented by exactly two spaces); a
# command is the lower-case words before its arguments ([OPTIONS], CASE,
# FILE...) and before the two spaces that start its description:
# "run", "list", "parse", "help case".
commands=$(printf '%s\n' "$help_text" | awk '
	/^[A-Za-z].*:[ \t]*$/ { header = tolower($0) ~ /^commands?:/ ; saw = saw || header; next }
	{ lines[n++] = $0; inblock[n - 1] = header }
	/^$/ { header = 0 }
	END {
		for (i = 0; i < n; i++) {
			l = lines[i]
			if (saw && !inblock[i]) continue
			if (l !~ /^  [a-z]/) continue
			sub(/^  /, "", l)
			sub(/  .*/, "", l)
			k = split(l, w, " ")
			cmd = ""
			for (j = 1; j <= k && w[j] ~ /^[a-z][a-z0-9-]*$/; j++)
				cmd = cmd (cmd == "" ? "" : " ") w[j]
			if (cmd != "" && !seen[cmd]++) print cmd
		}
	}')
if [ -z "$commands" ]; then
	not_ok "no command found in --help (has its format changed?)"
else
	command_tags=$(section COMMANDS | tags)
	missing=()
	ncmd=0
	while IFS= read -r c; do
		ncmd=$((ncmd + 1))
		printf '%s\n' "$command_tags" | starts_with "$c" || missing+=("'$c'")
	done <<<"$commands"
	check "every command of --help ($ncmd) has a heading under COMMANDS" \
	      "${missing[@]+"${missing[@]}"}"
fi

# --- case file sections and keys ---------------------------------------
# Sections: the lines of `help case` that start with "[": [case], [params],
# [cgroup NAME], [expect SELECTOR], ...
sections=$(printf '%s\n' "$case_help" | grep -o '^\[[a-z][^]]*\]' | sort -u)
# Keys: the rows of each key table. A table starts with a header line
# "  KEY  TYPE  DEFAULT  HELP"; its rows are the lines indented like KEY
# whose first word is a key name (placeholders such as <file> and notes such
# as "needs:" or "programs:" are not); a blank line or a section ends it.
keys=$(printf '%s\n' "$case_help" | awk '
	/^[ \t]*KEY[ \t]+TYPE[ \t]/ { match($0, /^[ \t]*/); indent = RLENGTH; table = 1; next }
	/^[ \t]*$/ || /^\[/ { table = 0; next }
	table {
		match($0, /^[ \t]*/)
		if (RLENGTH != indent) next
		if ($1 ~ /^[a-z][a-z0-9_.-]*$/ && NF >= 2 && !seen[$1]++) print $1
	}')
case_tags=$(section "CASE FILES" | tags)
if [ -z "$sections" ]; then
	not_ok "no section found in help case (has its format changed?)"
else
	missing=()
	nsec=0
	while IFS= read -r sec; do
		nsec=$((nsec + 1))
		grep -q -F -x -- "$sec" <<<"$case_tags" || missing+=("$sec")
	done <<<"$sections"
	check "every section of help case ($nsec) has a heading under CASE FILES" \
	      "${missing[@]+"${missing[@]}"}"
fi
if [ -z "$keys" ]; then
	not_ok "no key found in help case (has its format changed?)"
else
	missing=()
	for k in $keys; do
		printf '%s\n' "$case_tags" | starts_with "$k" || missing+=("$k")
	done
	check "every key of help case ($(count "$keys")) is a tag under CASE FILES" \
	      "${missing[@]+"${missing[@]}"}"
fi

# --- environment -------------------------------------------------------
srcdir=$(cd "$(dirname "$0")/.." 2>/dev/null && pwd)
if [ -n "$srcdir" ] && ls "$srcdir"/*.c "$srcdir"/*/*.c >/dev/null 2>&1; then
	vars=$(grep -h -o 'getenv("[A-Z_]*")' "$srcdir"/*.c "$srcdir"/*/*.c | sed 's/getenv("\(.*\)")/\1/' |
	       grep -E '^(OOMTEST_|NO_COLOR$)' | sort -u)
	env_tags=$(section ENVIRONMENT | tags | tr ',' '\n' | sed 's/^ *//; s/ *$//')
	missing=()
	for v in $vars; do
		grep -q -x -F -- "$v" <<<"$env_tags" || missing+=("$v")
	done
	check "every OOMTEST_* (and NO_COLOR) variable the harness reads ($(count "$vars")) is under ENVIRONMENT" \
	      "${missing[@]+"${missing[@]}"}"
else
	ok "environment variables # SKIP no harness sources beside $0"
fi

# --- the page itself ---------------------------------------------------
read -ra nonascii <<<"$(grep -n "$(printf '[\200-\377]')" "$page" | cut -d: -f1 | tr '\n' ' ')"
CHECK_LABEL="not ASCII on line(s)" check "the page is ASCII" "${nonascii[@]+"${nonascii[@]}"}"

# "--" in the source renders as two hyphens (U+2010 in UTF-8), which do not
# paste into a shell: options are written \-\-name.
read -ra dashes <<<"$(grep -n -e '--' "$page" | grep -v -e '^[0-9]*:\.\\"' | cut -d: -f1 | tr '\n' ' ')"
CHECK_LABEL="'--' on line(s)" check "the page writes no unescaped '--'" "${dashes[@]+"${dashes[@]}"}"

if command -v groff >/dev/null 2>&1; then
	warnings=$(groff -ww -z -man "$page" 2>&1)
	if [ -z "$warnings" ]; then
		ok "groff -ww -z -man prints no warnings"
	else
		not_ok "groff -ww -z -man prints warnings:"
		printf '%s\n' "$warnings" | sed 's/^/#   /'
	fi
else
	not_ok "groff -ww -z -man: groff is not installed (apt-get install groff-base)"
fi

if command -v man >/dev/null 2>&1; then
	warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	if [ -z "$warnings" ]; then
		ok "man --warnings -l prints no warnings"
	else
		not_ok "man --warnings -l prints warnings:"
		printf '%s\n' "$warnings" | sed 's/^/#   /'
	fi
else
	ok "man --warnings -l # SKIP man is not installed"
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
