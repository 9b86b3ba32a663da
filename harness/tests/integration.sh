#!/usr/bin/env bash
# Integration tests: real guests on every default target (x86_64 and i386).
# Each check provokes the behaviour for real and asserts what a user sees.
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
oomtest=$root/build/oomtest
ptyrun=$root/build/ptyrun
work=$(mktemp -d "${TMPDIR:-/tmp}/oomtest-it.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Every QEMU these checks start has its sockets under $work/tmp, so that
# the checks see and signal only their own guests: another oomtest run on
# this host (or in this checkout) is left alone.
mkdir -p "$work/tmp"
export TMPDIR=$work/tmp
passed=0 failed=0

check() { # name, then a command that must succeed
	local name=$1; shift
	# IT_ONLY=REGEX runs only the checks whose function matches (not counted otherwise)
	if [ -n "${IT_ONLY:-}" ] && ! [[ $1 =~ $IT_ONLY ]]; then
		echo "# not run: $name"; return
	fi
	if "$@" > "$work/last.out" 2>&1; then
		echo "ok - $name"; passed=$((passed + 1))
	else
		echo "not ok - $name"; failed=$((failed + 1))
		sed 's/^/    /' "$work/last.out" | tail -n 120
	fi
}

# the not ok runs of a TAP file, each with its YAML diagnostics (not a
# tail that may hold only the last block's end), then the end of its stderr
show_not_ok() { # TAP [ERR]
	awk '/^not ok/ { on = 1; n++ } /^ok / { on = 0 } on && n <= 4' "$1"
	[ -z "${2:-}" ] || tail -n 5 "$2"
}

# the last line of FILE is TEXT (read whole: nothing is piped into a reader that may stop early)
last_line_is() { [ "$(tail -n 1 "$1")" = "$2" ]; }

# QEMUs started by these checks (their socket dir is under $work)
qemus() { pgrep -f "qemu-system-(x86_64|i386|aarch64).*$work/" | wc -l; }
# waits up to S seconds for `qemus` to reach N (-gt 0: any); fails otherwise
wait_qemus() { # OP N S
	local i
	for i in $(seq 1 $(($3 * 10))); do [ "$(qemus)" "$1" "$2" ] && return 0; sleep 0.1; done
	[ "$(qemus)" "$1" "$2" ]
}
# QEMUs of a private libvirt daemon (images/libvirtd-local.sh DIR), by the
# daemon's own directory in their command line
lv_qemus() { # DIR
	local d
	d=$(readlink "$1/state") || { echo 0; return; }
	pgrep -f "qemu-system.*$d/" | wc -l
}
# QEMUs and libvirtds of a private daemon that was stopped: their daemon
# directory is gone (a daemon of another run still has its own)
lv_orphans() {
	local pid d n=0
	for pid in $(pgrep -f 'qemu-system.*/oomtest-lv-'; pgrep -x libvirtd); do
		d=$(tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -o '/tmp/oomtest-lv-[^/]*' | sed -n 1p)
		[ -n "$d" ] || d=$(readlink "/proc/$pid/cwd" 2>/dev/null)
		case $d in /tmp/oomtest-lv-*) [ -d "${d% (deleted)}" ] && [ "$d" = "${d% (deleted)}" ] || n=$((n + 1)) ;; esac
	done
	echo $n
}

# An installed oomtest with a state dir of its own (the kernels are this
# checkout's build/images): checks that rebuild, corrupt or remove targets
# and saved guests do it there, never in the checkout's build/.
private_oomtest() {
	if [ ! -x "$work/inst/usr/bin/oomtest" ]; then
		make -s install DESTDIR="$work/inst" PREFIX=/usr > /dev/null || return 1
		mkdir -p "$work/state/images"
		sed "s|build/images|$root/build/images|g" build/images/targets.list > "$work/state/images/targets.list"
		ln -s "$root/build/images/busybox" "$work/state/images/busybox"
	fi
	(cd "$work" && OOMTEST_STATE=$work/state "$work/inst/usr/bin/oomtest" "$@")
}

timed_run() { # TAP-FILE ARGS...: oomtest run ARGS > TAP-FILE; sets rc and took
	local tap=$1 start
	shift
	start=$(date +%s)
	"$oomtest" run "$@" > "$tap"
	rc=$?
	took=$(( $(date +%s) - start ))
	cat "$tap"; echo "took ${took}s"
}

make -s images >/dev/null || { echo "make images failed"; echo "0 passed, 1 failed"; exit 1; }
# private libvirt daemons of this invocation (under build/: the daemon's
# user must be able to enter it)
lvdir=build/libvirt/it.$$
# a failed check's files are kept for reading (their place is printed); a
# clean run leaves nothing
trap 'if [ "$failed" -eq 0 ]; then rm -rf "$work"; else echo "# the files of the checks are kept in $work"; fi
      rm -rf "$lvdir"' EXIT

# 1. The whole suite through the CI entry: valid TAP; every case ok (or
#    skipped with a reason) on every default target, and the seed cases
#    really run (not skipped) on x86_64 and i386.
suite() {
	./run-tests.sh -j 2 --results "$work/suite-res" > "$work/suite.tap" 2> "$work/suite.err" || { cat "$work/suite.tap" "$work/suite.err"; return 1; }
	prove --exec cat "$work/suite.tap" || return 1
	! grep -q '^not ok' "$work/suite.tap" || { show_not_ok "$work/suite.tap"; return 1; }
	for t in x86_64 i386 x86_64-6.12 arm64 arm64-6.12; do
		for c in cases/*.case; do
			n=$(basename "$c" .case)
			grep -q "^ok [0-9]* - $n\(\[[^]]*\]\)\? \[$t\]" "$work/suite.tap" || { echo "no result for $n [$t]"; cat "$work/suite.tap"; return 1; }
		done
	done
	for t in x86_64 i386 arm64; do
		for n in kmod-order0-backup kmod-order3-nobackup memcg-v1-kill memcg-v1-oom-control; do
			grep -q "^ok [0-9]* - $n \[$t\]\$" "$work/suite.tap" || { echo "$n [$t] did not run"; return 1; }
		done
	done
	for t in i386 arm64; do
		grep -q "^ok [0-9]* - memcg-kill-sizes\[memory=64M\] \[$t\]\$" "$work/suite.tap" ||
			{ echo "memcg-kill-sizes[memory=64M] [$t] did not run"; return 1; }
	done
	# these skips and no others
	diff <(sed -n 's/^ok [0-9]* - \(.* # SKIP .*\)$/\1/p' "$work/suite.tap" | sort) - <<'SKIPS' || return 1
i386-highmem [arm64-6.12] # SKIP needs arch:i386: the target is arm64
i386-highmem [arm64] # SKIP needs arch:i386: the target is arm64
i386-highmem [x86_64-6.12] # SKIP needs arch:i386: the target is x86_64
i386-highmem [x86_64] # SKIP needs arch:i386: the target is x86_64
memcg-kill-sizes[memory=64M] [arm64-6.12] # SKIP target arm64-6.12 needs at least 96M of guest memory (its kernel takes most of 64M)
memcg-kill-sizes[memory=64M] [x86_64-6.12] # SKIP target x86_64-6.12 needs at least 96M of guest memory (its kernel takes most of 64M)
memcg-kill-sizes[memory=64M] [x86_64] # SKIP target x86_64 needs at least 96M of guest memory (its kernel takes most of 64M)
memcg-v1-kill [arm64-6.12] # SKIP needs cgroup-v1: CONFIG_MEMCG_V1 is not set
memcg-v1-kill [x86_64-6.12] # SKIP needs cgroup-v1: CONFIG_MEMCG_V1 is not set
memcg-v1-oom-control [arm64-6.12] # SKIP needs cgroup-v1: CONFIG_MEMCG_V1 is not set
memcg-v1-oom-control [x86_64-6.12] # SKIP needs cgroup-v1: CONFIG_MEMCG_V1 is not set
SKIPS
	test -L "$work/suite-res/latest" && test -s "$work"/suite-res/latest/memcg-v1-kill/i386/console.log &&
	test -s "$work"/suite-res/latest/memcg-v1-kill/x86_64/facts.json &&
	test -s "$work"/suite-res/latest/memcg-v1-kill/x86_64/agent.log &&
	test -s "$work"/suite-res/latest/memcg-v1-kill/x86_64/qemu.cmdline
}
check "run-tests.sh: every case ok or skipped with a reason on every default target, TAP accepted by prove" suite

# 1b. The same suite booting every guest (--cold-boot), and restored at -j 1:
#     the same verdicts whichever way the guests start and however many run.
suite_modes() {
	"$oomtest" run --cold-boot -j 2 --results "$work/cold" cases > "$work/cold.tap" 2>/dev/null
	"$oomtest" run -j 1 --results "$work/j1" cases > "$work/j1.tap" 2>/dev/null
	for f in cold j1; do
		! grep -q '^not ok' "$work/$f.tap" || { show_not_ok "$work/$f.tap"; return 1; }
		diff <(grep '^ok' "$work/suite.tap") <(grep '^ok' "$work/$f.tap") || return 1
	done
	[ -z "$(grep -l '"boot.path": "restore"' "$work"/cold/latest/*/*/facts.json)" ] &&
	[ -z "$(grep -L '"boot.path": "restore"' "$work"/j1/latest/*/*/facts.json)" ]
}
check "the suite passes alike with --cold-boot at -j 2 and restored at -j 1" suite_modes

# 1b'. One console (--single-console): the plan baked into the initramfs, the
#      agent's records read out of the kernel log; the same verdicts as with
#      an agent channel, on a serial-port arch and a virtio-console one.
single_console() {
	# the whole library on every default target: the suite's verdicts
	./run-tests.sh --single-console -j 2 --results "$work/sc1" > "$work/sc1.tap" 2> "$work/sc1.err" ||
		{ show_not_ok "$work/sc1.tap" "$work/sc1.err"; return 1; }
	diff <(grep -E '^(not )?ok' "$work/suite.tap") <(grep -E '^(not )?ok' "$work/sc1.tap") || return 1
	local a
	for a in x86_64 arm64; do
		local d=$work/sc1/latest/memcg-v2-max-kill/$a
		grep -q 'oomtest.chan=kmsg printk.devkmsg=on' "$d/qemu.cmdline" && ! grep -q 'id=agent' "$d/qemu.cmdline" &&
		grep -q '^key [0-9a-f]\{32\}$' "$d/plan.txt" && [ ! -e "$d/initrd.cpio" ] &&
		! grep -q 'oomtest:[0-9a-f]\{16\} ' "$d/console.log" && grep -q 'Killed process' "$d/console.log" &&
		grep -q '^ready ' "$d/agent.log" && grep -q '^done$' "$d/agent.log" &&
		grep -q '"boot.path": "cold-' "$d/facts.json" || { echo "single console: $d"; return 1; }
	done
}
check "--single-console: plan baked in, records out of the console, the same verdicts as with an agent channel" single_console

# 1b''. LAVA (--backend lava-local): each guest a job of this host's LAVA
#       dispatcher (lava-run), the console out of LAVA's log as the only
#       channel; the same verdicts as the qemu backend (a panic that ends
#       QEMU included), the job and LAVA's log kept, LAVA's scratch removed.
lava_scratch() { ls -d /var/lib/lava/dispatcher/tmp/oomtest-* 2>/dev/null; }
it_lava_local() {
	local before
	before=$(lava_scratch)
	# the whole library on x86_64 and i386 as LAVA jobs: the suite's verdicts
	./run-tests.sh --backend lava-local -j 2 --target x86_64 --target i386 --results "$work/lava1" \
		> "$work/lava1.tap" 2> "$work/lava1.err" || { show_not_ok "$work/lava1.tap" "$work/lava1.err"; return 1; }
	diff <(grep -E '^(not )?ok .*\[(x86_64|i386)\]' "$work/suite.tap" | sed -E 's/^((not )?ok) [0-9]+ /\1 /') \
		<(grep -E '^(not )?ok' "$work/lava1.tap" | sed -E 's/^((not )?ok) [0-9]+ /\1 /') || return 1
	local n d
	for n in memcg-v2-max-kill panic-on-oom tap-meminfo; do
		d=$work/lava1/latest/$n/x86_64
		grep -q 'oomtest.chan=kmsg printk.devkmsg=on' "$d/job.yaml" && grep -q -- "- '-no-reboot'" "$d/job.yaml" &&
		test -s "$d/device.yaml" && grep -q '"lvl": "target"' "$d/lava.log" && test -s "$d/output/result.yaml" &&
		grep -q '^key [0-9a-f]\{32\}$' "$d/plan.txt" && [ ! -e "$d/initrd.cpio" ] &&
		! grep -q 'oomtest:[0-9a-f]\{16\} ' "$d/console.log" && grep -q '^ready ' "$d/agent.log" ||
			{ echo "lava-local: $d"; ls -l "$d"; return 1; }
	done
	# the panic ended QEMU: LAVA's words are the guest's end, the console the verdict's ground
	grep -q '"vm.exit": "lava-run exit 1: LAVA job incomplete, Infrastructure error: Connection closed' \
		"$work/lava1/latest/panic-on-oom/x86_64/facts.json" || { cat "$work/lava1/latest/panic-on-oom/x86_64/facts.json"; return 1; }
	[ "$(lava_scratch)" = "$before" ] || { echo "LAVA scratch left: $(lava_scratch)"; return 1; }
	[ "$(pgrep -f 'qemu-system.*/var/lib/lava/dispatcher/tmp/oomtest-' | wc -l)" -eq 0 ]
}
check "--backend lava-local: LAVA jobs through lava-run, the same verdicts as the qemu backend, job and LAVA log kept, no scratch left" it_lava_local

# 1c. The libvirt backend: the whole suite through a private daemon that
#     run-tests.sh starts and stops, the same verdicts as the QEMU backend.
libvirt_suite() {
	./run-tests.sh --backend libvirt -j 2 --results "$work/lres" > "$work/lv.tap" 2> "$work/lv.err" || { show_not_ok "$work/lv.tap" "$work/lv.err"; return 1; }
	diff <(grep '^ok' "$work/suite.tap") <(grep '^ok' "$work/lv.tap") || return 1
	test -s "$work"/lres/latest/memcg-v1-kill/i386/domain.xml &&
	grep -q "<source file=\"$root/build/payloads/" "$work"/lres/latest/tap-meminfo/i386/domain.xml &&
	grep -q "<serial>oomtest-swap</serial>" "$work"/lres/latest/swap-then-kill/x86_64/domain.xml &&
	[ -z "$(ls build/payloads)" ] &&
	grep -q '"vm.exit": "guest panicked (pvpanic)"' "$work"/lres/latest/panic-on-oom/x86_64/facts.json &&
	[ "$(lv_orphans)" -eq 0 ] && [ "$(qemus)" -eq 0 ]
}
check "run-tests.sh --backend libvirt: the suite passes through a private libvirtd, as with QEMU" libvirt_suite

# 2. One changed expectation turns exactly that case not ok, with a diagnostic.
changed() {
	mkdir -p "$work/changed"
	cp cases/memcg-v1-kill.case cases/memcg-v1-oom-control.case "$work/changed/"
	sed -i 's/^oom.1.victim.comm == hog$/oom.1.victim.comm == init/' "$work/changed/memcg-v1-kill.case"
	"$oomtest" run --target x86_64 --results "$work/res" "$work/changed" > "$work/changed.tap"
	rc=$?
	cat "$work/changed.tap"
	[ $rc -eq 1 ] || { echo "exit $rc, expected 1"; return 1; }
	grep -q '^not ok 1 - memcg-v1-kill \[x86_64\]$' "$work/changed.tap" &&
	grep -q '^ok 2 - memcg-v1-oom-control \[x86_64\]$' "$work/changed.tap" &&
	grep -q 'expectation: "oom.1.victim.comm == init"' "$work/changed.tap" &&
	grep -q 'expected: "== init"' "$work/changed.tap" &&
	grep -q 'seen: "hog"' "$work/changed.tap" &&
	[ "$(grep -c '^not ok' "$work/changed.tap")" -eq 1 ]
}
check "a changed expectation fails that case alone, naming expected and seen" changed

# 2b. Breaking the behaviour a case checks turns it not ok: without
#     memory.oom.group the holder survives the group's OOM.
broken() {
	mkdir -p "$work/broken"
	sed 's/^memory.oom.group = 1$/memory.oom.group = 0/' cases/memcg-v2-oom-group.case > "$work/broken/memcg-v2-oom-group.case"
	grep -q '^memory.oom.group = 0$' "$work/broken/memcg-v2-oom-group.case" || return 1
	"$oomtest" run --target x86_64 --results "$work/bres" "$work/broken" > "$work/broken.tap"
	rc=$?
	cat "$work/broken.tap"
	[ $rc -eq 1 ] && grep -q '^not ok 1 - memcg-v2-oom-group \[x86_64\]$' "$work/broken.tap" &&
	grep -q 'expectation: "step.holder.exit == signal:9"' "$work/broken.tap" &&
	grep -q 'seen: "running"' "$work/broken.tap"
}
check "memory.oom.group = 0 turns the group-kill case not ok" broken

# 3. A typo in a case file: file:line, exit 2, no guest started.
typo() {
	mkdir -p "$work/typo"
	sed 's/^memory      = 128M/memroy      = 128M/' cases/memcg-v1-kill.case > "$work/typo/typo.case"
	"$oomtest" run --results "$work/typo-res" "$work/typo/typo.case" > "$work/typo.out" 2>&1
	rc=$?
	cat "$work/typo.out"
	line=$(grep -n '^memroy' "$work/typo/typo.case" | cut -d: -f1)
	[ $rc -eq 2 ] && grep -q "^$work/typo/typo.case:$line: .*memroy" "$work/typo.out" &&
	! grep -q '^ok\|^not ok\|TAP' "$work/typo.out" && [ ! -e "$work/typo-res" ]
}
check "a case file typo gives file:line and starts no guest" typo

# A case whose plan (a hog that says "start", then a 120 s sleep) outlives
# its timeout: FILE TIMEOUT
long_plan_case() {
	cat > "$1" <<CASE
[case]
description = a plan that outlives its timeout
timeout = $2
[step hog]
run = hog --chunk 4K --interval 1000
background = yes
[step wait]
sleep = 120s
[expect]
oom.count == 0
CASE
}

# 4. A guest that hangs: timeout verdict soon after the timeout, QEMU gone, logs kept.
hang() {
	mkdir -p "$work/hang"
	long_plan_case "$work/hang/hang.case" 8s
	timed_run "$work/hang.tap" --target x86_64 --results "$work/hres" "$work/hang/hang.case"
	[ $rc -eq 1 ] && grep -q '^not ok 1 - hang \[x86_64\]' "$work/hang.tap" &&
	grep -q 'verdict: timeout' "$work/hang.tap" &&
	[ "$took" -lt 120 ] && [ "$(qemus)" -eq 0 ] &&
	test -s "$work"/hres/latest/hang/x86_64/console.log &&
	grep -q '^start hog' "$work"/hres/latest/hang/x86_64/agent.log
}
check "a hanging guest gets timeout, QEMU is killed, logs are kept" hang

# 4b. A guest that goes quiet is caught by --silence long before its timeout.
silence() {
	mkdir -p "$work/silent"
	cat > "$work/silent/silent.case" <<'CASE'
[case]
description = a plan that goes quiet
timeout = 60s
[step wait]
sleep = 120s
[expect]
oom.count == 0
CASE
	# a step that holds its memory and says nothing: the agent's memory
	# samples of it are not output
	cat > "$work/silent/holding.case" <<'CASE'
[case]
description = a step that holds memory quietly
timeout = 60s
[step hog]
run = hog --chunk 1M --max 4M --hold
background = yes
sleep = 120s
[expect]
oom.count == 0
CASE
	timed_run "$work/silent.tap" --silence 5 -j 2 --target x86_64 --results "$work/sres" \
		"$work/silent/silent.case" "$work/silent/holding.case"
	[ $rc -eq 1 ] && [ "$(grep -c 'verdict: timeout' "$work/silent.tap")" -eq 2 ] &&
	[ "$(grep -c 'no console or agent output for 5 s' "$work/silent.tap")" -eq 2 ] &&
	[ "$(cat "$work"/sres/latest/holding/x86_64/facts.json | sed -n 's/.*"step.hog.samples": "\([0-9]*\)".*/\1/p')" -gt 20 ] &&
	[ "$took" -lt 60 ] && [ "$(qemus)" -eq 0 ]
}
check "--silence ends a quiet guest (and one whose step holds memory quietly) as a timeout, well before the case's timeout" silence

# 4c. An unusable results directory is a clear error, and the verdicts
#     still reach stdout (the logs go to a temporary directory).
unwritable() {
	"$oomtest" run --target x86_64 --results /proc/oomtest-results cases/memcg-v2-max-kill.case \
		> "$work/unw.tap" 2> "$work/unw.err"
	rc=$?
	cat "$work/unw.tap" "$work/unw.err"
	[ $rc -eq 0 ] && grep -q '^ok 1 - memcg-v2-max-kill \[x86_64\]$' "$work/unw.tap" &&
	grep -q 'cannot create results directory /proc/oomtest-results: .*; logs of this run go to ' "$work/unw.err" &&
	dir=$(sed -n 's/.*logs of this run go to \(.*\) instead$/\1/p' "$work/unw.err") &&
	test -s "$dir/memcg-v2-max-kill/x86_64/console.log" && rm -rf "$dir"
}
check "an unwritable results dir is a clear error and the verdicts still reach stdout" unwritable

# 4d. SIGINT mid-suite: every QEMU gone within 2 s, the TAP so far valid and
#     ending in "Bail out!". SIGKILL of the harness itself: no QEMU left
#     either (workers and QEMU die with their parent).
signals() {
	"$oomtest" run -j 2 --results "$work/sig" cases > "$work/sig.tap" 2>/dev/null &
	pid=$!
	wait_qemus -gt 0 60 || { echo "no QEMU running at the time of the signal"; return 1; }
	kill -INT $pid
	wait $pid
	cat "$work/sig.tap"
	wait_qemus -eq 0 2 && last_line_is "$work/sig.tap" 'Bail out! interrupted' || return 1
	"$oomtest" run -j 2 --results "$work/sig9" cases > /dev/null 2>&1 &
	pid=$!
	wait_qemus -gt 0 60 || { echo "no QEMU running at the time of SIGKILL"; return 1; }
	kill -KILL $pid
	wait $pid 2>/dev/null
	wait_qemus -eq 0 2 || { echo "QEMU left after SIGKILL of the harness"; return 1; }
	# its workers follow their parent (PDEATHSIG) within the same bound
	for i in $(seq 1 20); do pgrep -f "$oomtest run -j 2 --results $work/sig9" > /dev/null || return 0; sleep 0.1; done
	echo "a worker outlived the harness by 2 s"; return 1
}
check "SIGINT and SIGKILL of the harness leave no QEMU, and the TAP so far stays valid" signals

# 4e. Panics: one the case expects passes, one nobody expected fails with
#     its reason, one on a silenced console is still seen through pvpanic;
#     each run ends at the panic, not at its 60 s timeout.
F=harness/tests/fixtures/faults
panics() {
	timed_run "$work/panic.tap" -j 2 --target x86_64 --results "$work/pres" \
		$F/sysrq-panic.case $F/quiet-panic.case $F/unexpected-panic.case
	[ $rc -eq 1 ] && grep -q '^ok 1 - sysrq-panic \[x86_64\]$' "$work/panic.tap" &&
	grep -q '^ok 2 - quiet-panic \[x86_64\]$' "$work/panic.tap" &&
	grep -q '^not ok 3 - unexpected-panic \[x86_64\]$' "$work/panic.tap" &&
	grep -q 'seen: "panic 1: sysrq triggered crash"' "$work/panic.tap" &&
	grep -q '"vm.exit": "guest panicked (pvpanic)"' "$work"/pres/latest/quiet-panic/x86_64/facts.json &&
	grep -q '"panic.reason": "(reported by pvpanic; no panic line on the console)"' \
		"$work"/pres/latest/quiet-panic/x86_64/facts.json &&
	[ "$took" -lt 60 ] && [ "$(qemus)" -eq 0 ]
}
check "a sysrq panic ends the run at once: expected passes, unexpected fails, a silent one is seen by pvpanic" panics

# 4f. Boot failures: error verdicts that say so, on both arches.
bootfail() {
	timed_run "$work/boot.tap" -j 2 --target x86_64 --target i386 --results "$work/bres2" \
		$F/no-init.case $F/silent-init.case
	[ $rc -eq 1 ] && [ "$(grep -c '^not ok' "$work/boot.tap")" -eq 4 ] &&
	[ "$(grep -c 'verdict: error' "$work/boot.tap")" -eq 4 ] &&
	[ "$(grep -c 'message: "boot failure: the kernel panicked before the guest agent started: No working init found' "$work/boot.tap")" -eq 2 ] &&
	[ "$(grep -c 'message: "boot failure: the guest agent never said ready within 8 s' "$work/boot.tap")" -eq 2 ] &&
	[ "$took" -lt 60 ] && [ "$(qemus)" -eq 0 ]
}
check "a kernel with no init and an agent that never starts are boot-failure errors" bootfail

# 4g. QEMU killed with SIGKILL mid-run: an error naming the signal, at once.
qemukill() {
	mkdir -p "$work/k9"
	long_plan_case "$work/k9/k9.case" 60s
	# kill our QEMU once it runs the plan (the agent said it started the hog)
	( for i in $(seq 1 600); do
		grep -q '^start hog' "$work"/k9res/latest/k9/x86_64/agent.log 2>/dev/null && break; sleep 0.1
	  done; pkill -KILL -f "qemu-system-x86_64.*$work/" ) &
	timed_run "$work/k9.tap" --target x86_64 --results "$work/k9res" "$work/k9/k9.case"
	wait
	[ $rc -eq 1 ] && grep -q 'verdict: error' "$work/k9.tap" &&
	grep -q 'message: "QEMU died of signal 9 (Killed) before the plan finished' "$work/k9.tap" &&
	[ "$took" -lt 60 ] && [ "$(qemus)" -eq 0 ]
}
check "kill -9 of QEMU is an error naming the signal, not a timeout" qemukill

# 4h. Infrastructure that is not there: one line each, saying what to do.
missing() {
	OOMTEST_QEMU=/nonexistent/qemu "$oomtest" run --target x86_64 --results "$work/mres" \
		cases/memcg-v2-max-kill.case > "$work/noqemu.tap"
	rc=$?
	cat "$work/noqemu.tap"
	[ $rc -eq 1 ] && grep -q 'message: "cannot start /nonexistent/qemu: No such file or directory (install qemu-system-x86, or name a QEMU in OOMTEST_QEMU)"' "$work/noqemu.tap" || return 1
	k=$(awk '$1 == "x86_64" { print $4 }' build/images/targets.list)
	d=$(awk '$1 == "x86_64" { print $5 }' build/images/targets.list)
	"$oomtest" run --kernel /nonexistent/vmlinuz --kdir "$d" --arch x86_64 cases/memcg-v2-max-kill.case 2> "$work/nok.err"
	[ $? -eq 2 ] && grep -q -- '--kernel /nonexistent/vmlinuz: No such file or directory' "$work/nok.err" || return 1
	"$oomtest" run --kernel "$k" --kdir /nonexistent --arch x86_64 cases/memcg-v2-max-kill.case 2> "$work/nod.err"
	[ $? -eq 2 ] && grep -q -- '--kdir /nonexistent: ' "$work/nod.err" || return 1
	# a module built for another kernel is refused on the host, before boot
	# (in a state dir of this check's own: the checkout's targets stay):
	# a case that skips builds the target's module and boots nothing; then
	# the 6.12 module takes its place (the kernel's stamp still matches)
	private_oomtest list > /dev/null || return 1
	printf '[case]\nneeds = kconfig:CONFIG_OOMTEST_NOT_SET\n[expect]\noom.count == 0\n' > "$work/skips.case"
	OOMTEST_ACCEL=tcg private_oomtest run --kernel "$root/$k" --kdir "$root/$d" --arch x86_64 \
		--results "$work/mres" "$work/skips.case" > "$work/skips.tap" || { cat "$work/skips.tap"; return 1; }
	set -- "$work"/state/targets/custom-x86_64-*/oom_trigger.ko
	[ $# -eq 1 ] && [ -f "$1" ] && cp build/targets/x86_64-6.12/oom_trigger.ko "$1" || return 1
	private_oomtest run --kernel "$root/$k" --kdir "$root/$d" --arch x86_64 --results "$work/mres" \
		"$root/cases/kmod-order0-backup.case" > "$work/vm.tap"
	rc=$?
	cat "$work/vm.tap"
	[ $rc -eq 1 ] && grep -q "oom_trigger.ko was built for '6.12[^']*', the target kernel is '6.1[^']*': rebuild it against the target's kdir" "$work/vm.tap" &&
	grep -q '  seconds: 0.00' "$work/vm.tap" && [ "$(qemus)" -eq 0 ]
}
check "missing QEMU, kernel or kdir, and a module of another kernel: one clear line each" missing

# 4i. A console flood is capped with a marker; the run still ends.
flood() {
	timed_run "$work/flood.tap" --log-limit 256K --target x86_64 --results "$work/fres" $F/flood.case
	log="$work"/fres/latest/flood/x86_64/console.log
	size=$(stat -c %s "$log")
	[ $rc -eq 1 ] && grep -q 'verdict: timeout' "$work/flood.tap" &&
	[ "$size" -ge 262144 ] && [ "$size" -lt 263000 ] &&
	last_line_is "$log" '[oomtest: log capped at 262144 bytes (--log-limit); the rest was read, not kept]' &&
	grep -q '"console.capped": "1"' "$work"/fres/latest/flood/x86_64/facts.json &&
	[ "$took" -lt 60 ] && [ "$(qemus)" -eq 0 ]
}
check "a flooding console is capped at --log-limit with a marker, and the run still ends" flood

# 4j. A results dir that fills up: a clear error per file, the verdict on
#     stdout, no half-written result file.
diskfull() {
	local mounted=0
	mkdir -p "$work/full"
	if mount -t tmpfs -o size=40k oomtest-full "$work/full" 2>/dev/null; then
		mounted=1
		"$oomtest" run --target x86_64 --results "$work/full" cases/memcg-v2-max-kill.case > "$work/full.tap" 2> "$work/full.err"
		rc=$?
	else
		# No mount here (a container without CAP_SYS_ADMIN): a file-size
		# limit makes every write past 16K fail the same way (EFBIG).
		echo "# no tmpfs mount allowed: using a 16K file-size limit instead"
		( ulimit -f 16; trap '' XFSZ
		  exec "$oomtest" run --target x86_64 --results "$work/full" cases/memcg-v2-max-kill.case ) \
			> "$work/full.tap" 2> "$work/full.err"
		rc=$?
	fi
	cat "$work/full.tap" "$work/full.err"
	find "$work/full" -type f | xargs ls -l
	ok=0
	[ $rc -eq 0 ] && grep -q '^ok 1 - memcg-v2-max-kill \[x86_64\]$' "$work/full.tap" &&
	grep -q 'oomtest: cannot write .*: \(No space left on device\|File too large\) (the verdict still goes to stdout)' "$work/full.err" &&
	[ -z "$(find "$work/full" -name '*.tmp.*')" ] && ok=2
	valid=1
	for j in $(find "$work/full" -name '*.json'); do
		perl -MJSON::PP -e 'local $/; decode_json(<STDIN>)' < "$j" || valid=0
	done
	[ $valid -eq 1 ] && [ $ok -eq 2 ] && ok=1
	[ $mounted -eq 0 ] || umount "$work/full"
	[ $ok -eq 1 ]
}
check "a full results disk: clear errors, verdict on stdout, no half-written result" diskfull

# 4k. Two oomtest processes sharing one results dir keep apart.
shared() {
	"$oomtest" run --target x86_64 --results "$work/shared" cases/memcg-v2-max-kill.case > "$work/sh1.tap" &
	a=$!
	"$oomtest" run --target x86_64 --results "$work/shared" cases/memcg-v2-max-kill.case > "$work/sh2.tap" &
	b=$!
	wait $a && wait $b || return 1
	[ "$(ls -d "$work"/shared/2* | wc -l)" -eq 2 ] &&
	for d in "$work"/shared/2*; do test -s "$d/memcg-v2-max-kill/x86_64/result.json" || return 1; done &&
	test -L "$work/shared/latest" && [ -z "$(find "$work/shared" -name '*.tmp.*' -o -name '.latest.*')" ]
}
check "two oomtest runs sharing a results dir each keep their own complete run dir" shared

# 4l. A case file of random bytes: a clean usage error, no guest.
garbage() {
	head -c 4096 /dev/urandom > "$work/random.case"
	"$oomtest" run --results "$work/gres" "$work/random.case" > "$work/rand.out" 2>&1
	rc=$?
	head -n 5 "$work/rand.out"
	[ $rc -eq 2 ] && grep -q "^$work/random.case:" "$work/rand.out" && [ ! -e "$work/gres" ]
}
check "a case file of random bytes is a file:line error and starts nothing" garbage

# 4m. SIGTERM to run-tests.sh and SIGHUP to oomtest: no QEMU 2 s later.
termhup() {
	./run-tests.sh -j 2 --target x86_64 --results "$work/term" > "$work/term.tap" 2>/dev/null &
	pid=$!
	wait_qemus -gt 0 60 || { echo "no QEMU running"; return 1; }
	kill -TERM $pid; wait $pid
	wait_qemus -eq 0 2 && last_line_is "$work/term.tap" 'Bail out! interrupted' || return 1
	"$oomtest" run -j 2 --target x86_64 --results "$work/hup" cases > "$work/hup.tap" 2>/dev/null &
	pid=$!
	# a run has started (its directory is there) and its guest runs
	for i in $(seq 1 600); do
		compgen -G "$work/hup/latest/*/x86_64/console.log" > /dev/null && [ "$(qemus)" -gt 0 ] && break
		sleep 0.1
	done
	kill -HUP $pid; wait $pid
	wait_qemus -eq 0 2 && last_line_is "$work/hup.tap" 'Bail out! interrupted' &&
	grep -q '"reason": "interrupted"' "$work"/hup/latest/*/x86_64/result.json
}
check "SIGTERM to run-tests.sh and SIGHUP to oomtest leave no QEMU; interrupted runs say so" termhup

# 4n. Snapshots: a restored run and a cold boot give the same verdicts and
#     the same facts; a changed initramfs makes a new snapshot; a state that
#     does not load is reported, the run boots instead, and the next run
#     makes it again.
snapshots() {
	local c=$root/cases/memcg-v2-max-kill.case k=$root/cases/kmod-order0-backup.case
	private_oomtest run -t x86_64 -t i386 --results "$work/snapR" $c $k > "$work/snapR.tap" &&
	private_oomtest run --cold-boot -t x86_64 -t i386 --results "$work/snapC" $c $k > "$work/snapC.tap" || return 1
	diff "$work/snapR.tap" "$work/snapC.tap" || return 1
	for f in "$work"/snapR/latest/*/*/facts.json; do
		g=${f/snapR/snapC}
		grep -q '"boot.path": "restore"' "$f" && grep -q '"boot.path": "cold-' "$g" || { echo "$f: not restored/cold"; return 1; }
		diff <(sed -n 's/^ *"\([^"]*\)".*/\1/p' "$f" | grep -v '^snapshot\.' | sort) \
		     <(sed -n 's/^ *"\([^"]*\)".*/\1/p' "$g" | sort) || { echo "$f: other facts than a cold boot"; return 1; }
	done
	# a rebuilt initramfs: a new snapshot
	touch "$work/state/targets/x86_64/initramfs.cpio"
	private_oomtest run -t x86_64 --results "$work/snapT" $c > /dev/null || return 1
	grep -q '"snapshot.made_seconds"' "$work"/snapT/latest/*/x86_64/facts.json || { echo "no new snapshot after touching the initramfs"; return 1; }
	# a state that does not load
	local states=("$work"/state/snapshots/x86_64-128M-*.state)
	st=${states[0]}
	head -c 1000 /dev/urandom > "$st"
	private_oomtest run -t x86_64 --results "$work/snapB" $c > "$work/snapB.tap" || return 1
	f=$(ls "$work"/snapB/latest/*/x86_64/facts.json)
	grep -q '"boot.snapshot_error": ' "$f" && grep -q '"boot.path": "cold-pvh"' "$f" || { cat "$f"; return 1; }
	private_oomtest run -t x86_64 --results "$work/snapA" $c > /dev/null || return 1
	grep -q '"snapshot.made_seconds"' "$work"/snapA/latest/*/x86_64/facts.json &&
	grep -q '"boot.path": "restore"' "$work"/snapA/latest/*/x86_64/facts.json && [ "$(qemus)" -eq 0 ]
}
check "restored and cold runs agree; snapshots follow the initramfs and survive corruption" snapshots

# 4o. Ctrl-C with the libvirt backend: the domains go with the harness.
libvirt_sigint() {
	local D=$lvdir/sigint
	U=$(images/libvirtd-local.sh start "$D") || return 1
	"$oomtest" run --backend libvirt --connect "$U" -j 2 --results "$work/lvsig" cases > "$work/lvsig.tap" 2>/dev/null &
	pid=$!
	for i in $(seq 1 300); do [ "$(lv_qemus "$D")" -gt 0 ] && break; sleep 0.1; done
	[ "$(lv_qemus "$D")" -gt 0 ] || { echo "no domain running"; images/libvirtd-local.sh stop "$D"; return 1; }
	kill -INT $pid; wait $pid
	for i in $(seq 1 20); do [ "$(lv_qemus "$D")" -eq 0 ] && break; sleep 0.1; done
	left=$(lv_qemus "$D")
	images/libvirtd-local.sh stop "$D"
	[ "$left" -eq 0 ] && last_line_is "$work/lvsig.tap" 'Bail out! interrupted'
}
check "SIGINT with the libvirt backend leaves no domain running" libvirt_sigint

# 4p. A host that shares no files with us: the kernel and the initramfs
#     travel as storage volumes named by their content, once.
libvirt_upload() {
	local D=$lvdir/upload
	U=$(images/libvirtd-local.sh start "$D") || return 1
	OOMTEST_LIBVIRT_UPLOAD=1 "$oomtest" run --backend libvirt --connect "$U" -t x86_64 -t i386 \
		--results "$work/lvup" cases/memcg-v2-max-kill.case cases/tap-meminfo.case > "$work/lvup.tap" 2> "$work/lvup.err"
	rc=$?
	images/libvirtd-local.sh stop "$D"
	cat "$work/lvup.tap" "$work/lvup.err"
	[ $rc -eq 0 ] && ! grep -q "libvirt: " "$work/lvup.err" || return 1
	for a in x86_64 i386; do
		grep -q "<kernel>/[^<]*/oomtest-[0-9a-f]\{16\}-vmlinu" "$work"/lvup/latest/*/$a/domain.xml &&
		grep -q "<initrd>/[^<]*/oomtest-[0-9a-f]\{16\}-initramfs.cpio</initrd>" "$work"/lvup/latest/*/$a/domain.xml || return 1
		# a run's payload travels as a volume of its own, removed with the guest
		local vol
		vol=$(sed -n 's|.*<source file="\([^"]*/oomtest-[0-9a-f]\{16\}-[0-9a-f]\{16\}-[0-9]*-payload\.img\)"/>.*|\1|p' \
			"$work"/lvup/latest/tap-meminfo/$a/domain.xml)
		[ -n "$vol" ] && [ ! -e "$vol" ] || { echo "payload volume '$vol' of $a missing from the XML or left behind"; return 1; }
	done
}
check "libvirt: kernel and initramfs uploaded as volumes for a host that shares no files" libvirt_upload

# 4q. Two daemons make one pool: runs spread over both; one killed
#     mid-suite costs no verdict (its runs move to the other, once).
libvirt_two_hosts() {
	local DA=$lvdir/a DB=$lvdir/b
	A=$(images/libvirtd-local.sh start "$DA") && B=$(images/libvirtd-local.sh start "$DB") || return 1
	local bdir
	bdir=$(readlink "$DB/state")
	# host B goes away whole, its daemon and its machines, once it has run
	# a guest to its end and started another (guests, not the QEMUs libvirt
	# starts to probe capabilities)
	( seen=" " ended=0
	  for i in $(seq 1 1200); do
		now=$(pgrep -f "qemu-system.*guest=oomtest-.*$bdir/" | tr '\n' ' ')
		for p in $seen; do case " $now" in *" $p "*) ;; *) ended=1 ;; esac; done
		[ "$ended" -eq 1 ] && [ -n "${now// }" ] && break
		for p in $now; do case "$seen" in *" $p "*) ;; *) seen="$seen$p " ;; esac; done
		sleep 0.1
	  done
	  kill -9 "$(cat "$bdir/run/libvirt/libvirtd.pid")"; pkill -9 -f "qemu-system.*$bdir/" ) &
	killer=$!
	"$oomtest" run --backend libvirt --connect "$A" --connect "$B" -t x86_64 -t i386 --results "$work/two" \
		cases/kmod-order0-backup.case cases/memcg-v2-max-kill.case cases/memcg-v1-kill.case \
		cases/overcommit-never.case cases/memcg-v2-oom-group.case cases/kmod-order3-nobackup.case > "$work/two.tap" 2>/dev/null
	rc=$?
	wait $killer
	images/libvirtd-local.sh stop "$DA"
	images/libvirtd-local.sh stop "$DB"
	pkill -9 -f "qemu-system.*$bdir/" 2>/dev/null
	sed "s|$A|A|g; s|$B|B|g" "$work/two.tap"
	[ $rc -eq 0 ] && [ "$(grep -c '^ok' "$work/two.tap")" -eq 12 ] &&
	grep -q "^ok [0-9]* - .* on $B\]$" "$work/two.tap" &&
	grep -q "^ok [0-9]* - .* on $A, moved from $B\]$" "$work/two.tap"
}
check "two libvirt daemons: runs spread over both, a killed one costs no verdict" libvirt_two_hosts

# 4r. The module's facts come from its result parameter, read by the agent:
#     a case whose kernel command line hides the module's console line
#     (loglevel=3 drops KERN_INFO) still gets them, on both arches.
quiet_kmod() {
	mkdir -p "$work/quiet"
	cat > "$work/quiet/quiet-kmod.case" <<'CASE'
[case]
description = the module's outcome under a quiet console
memory = 128M
timeout = 60s
cmdline = loglevel=3
[step load]
module = oom_trigger order=0 mode=backup release=4096
[expect]
kmod.oom_trigger.fired >= 1
kmod.oom_trigger.released == 4096
kmod.oom_trigger.allocated > 4096
kmod.oom_trigger.order == 0
agent.done == 1
CASE
	"$oomtest" run -j 2 --target x86_64 --target i386 --results "$work/qres" "$work/quiet/quiet-kmod.case" \
		> "$work/quiet.tap" || { cat "$work/quiet.tap"; return 1; }
	local t
	for t in x86_64 i386; do
		grep -q "^ok [0-9]* - quiet-kmod \[$t\]\$" "$work/quiet.tap" || { cat "$work/quiet.tap"; return 1; }
		# the console really was quiet, and the record came over the agent channel
		! grep -q 'oom_trigger: result' "$work/qres/latest/quiet-kmod/$t/console.log" || return 1
		grep -q '^kmod oom_trigger ' "$work/qres/latest/quiet-kmod/$t/agent.log" || return 1
	done
}
check "a case with cmdline = loglevel=3 still gets kmod.oom_trigger.* (from the agent, not the console)" quiet_kmod

# 5. oomtest parse reads the console of a real run.
parse() {
	"$oomtest" parse "$work"/cold/latest/memcg-v1-kill/x86_64/console.log > "$work/parse.out"
	rc=$?
	cat "$work/parse.out"
	[ $rc -eq 0 ] && grep -q 'hog' "$work/parse.out"
}
check "oomtest parse summarises a live console log" parse

# 6. Reports: a run with passes and failures gives a JUnit file that
#    validates against Jenkins' schema, the documented JSON, and an HTML
#    report that Chromium renders with its charts (checked in the DOM of the
#    rendered page, and a screenshot kept).
reports() {
	mkdir -p "$work/rep"
	cp cases/kmod-order0-backup.case cases/memcg-v1-kill.case "$work/rep/"
	sed -i 's/^oom.1.victim.comm == hog$/oom.1.victim.comm == init/' "$work/rep/memcg-v1-kill.case"
	"$oomtest" run -t x86_64 -t i386 --results "$work/rep/res" --junit "$work/rep/junit.xml" \
		--json "$work/rep/report.json" "$work/rep" > "$work/rep/tap"
	rc=$?
	grep -v '^ ' "$work/rep/tap"
	[ $rc -eq 1 ] || { echo "exit $rc, expected 1"; return 1; }
	xmllint --noout --schema harness/tests/fixtures/junit/junit.xsd "$work/rep/junit.xml" || return 1
	[ "$(grep -c '<testcase ' "$work/rep/junit.xml")" -eq 4 ] &&
	[ "$(grep -c '<failure ' "$work/rep/junit.xml")" -eq 2 ] &&
	grep -q 'expected: == init' "$work/rep/junit.xml" &&
	grep -q 'seen:     hog' "$work/rep/junit.xml" || { echo "JUnit content"; return 1; }
	perl -MJSON::PP -e '
		local $/; open my $f, "<", $ARGV[0] or die; my $d = decode_json(<$f>);
		die "format" unless $d->{format} eq "oomtest-report" && $d->{version} == 1;
		die "totals" unless $d->{totals}{pass} == 2 && $d->{totals}{fail} == 2 && @{$d->{runs}} == 4;
		for my $r (@{$d->{runs}}) {
			for my $k (qw(name case variant target verdict reason seconds expectations facts
				      oom_events memory_samples logs)) { die "run lacks $k" unless exists $r->{$k} }
			die "no OOM event" unless @{$r->{oom_events}} >= 1;
			die "no samples" unless @{$r->{memory_samples}} >= 1;
			for my $x (@{$r->{expectations}}) {
				for my $k (qw(text line expected seen ok)) { die "expectation lacks $k" unless exists $x->{$k} }
			}
		}
		my ($bad) = grep { !$_->{ok} } map { @{$_->{expectations}} } @{$d->{runs}};
		die "failed expectation" unless $bad->{text} eq "oom.1.victim.comm == init" && $bad->{seen} eq "hog";
		print "JSON ok\n";' "$work/rep/report.json" || return 1
	cmp -s "$work/rep/report.json" "$work/rep/res/latest/report.json" || { echo "report.json differs"; return 1; }
	local html=$work/rep/res/latest/index.html
	timeout 120 chromium --headless --no-sandbox --disable-gpu --allow-file-access-from-files \
		--virtual-time-budget=10000 --dump-dom "file://$root/harness/tests/report-probe.html?src=file://$html" \
		2>/dev/null | sed -n '/<pre id="probe">/,/<\/pre>/p' > "$work/rep/probe"
	cat "$work/rep/probe"
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2400 \
		--screenshot="$work/rep/report.png" "file://$html" > /dev/null 2>&1
	mkdir -p build/reports && cp "$work/rep/report.png" build/reports/report.png 2>/dev/null
	# the memory timeline of a swap run, its kill marked, kept beside it
	"$oomtest" run -t x86_64 --results "$work/rep/tl" cases/swap-then-kill.case > "$work/rep/tl.tap" || return 1
	timeout 120 chromium --headless --no-sandbox --disable-gpu --allow-file-access-from-files \
		--virtual-time-budget=10000 --dump-dom \
		"file://$root/harness/tests/report-probe.html?src=file://$work/rep/tl/latest/index.html" \
		2>/dev/null | sed -n '/<pre id="probe">/,/<\/pre>/p' > "$work/rep/tl.probe"
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2400 \
		--screenshot="$work/rep/timeline.png" "file://$work/rep/tl/latest/index.html" > /dev/null 2>&1
	cp "$work/rep/timeline.png" build/reports/timeline.png 2>/dev/null
	t() { sed -n "s/^$1 //p" "$work/rep/tl.probe"; }
	grep timeline "$work/rep/tl.probe"
	[ "$(t timeline-charts)" = 1 ] && [ "$(t timeline-lines-drawn)" -ge 6 ] &&
	[ "$(t timeline-kill-markers)" -ge 1 ] && [ "$(t timeline-legend-items)" -ge 7 ] &&
	[ "$(stat -c %s "$work/rep/timeline.png")" -gt 30000 ] || { echo "timeline not drawn as expected"; return 1; }
	v() { sed -n "s/^$1 //p" "$work/rep/probe"; }
	[ "$(v sections)" = 4 ] && [ "$(v summary-rows)" = 4 ] && [ "$(v badges-fail)" = 2 ] &&
	[ "$(v badges-ok)" = 2 ] && [ "$(v external-resources)" = 0 ] &&
	[ "$(v charts)" -ge 6 ] && [ "$(v charts-visible)" = "$(v charts)" ] &&
	[ "$(v buddy-charts)" -ge 2 ] && [ "$(v bars-drawn)" -ge 20 ] &&
	[ "$(v memory-lines-drawn)" -ge 4 ] && [ "$(v oom-marks-with-report)" -ge 4 ] &&
	[ "$(v expectations-failed)" = 2 ] && [ "$(v events-oom)" -ge 4 ] && [ "$(v timeline-charts)" = 4 ] &&
	[ "$(stat -c %s "$work/rep/report.png")" -gt 50000 ] || { echo "rendered page not as expected"; return 1; }
}
check "JUnit validates, JSON has its documented shape, Chromium renders the HTML report with its charts" reports

# 7. On a terminal: a progress line and colours; NO_COLOR keeps the line,
#    drops the colours; through a pipe the TAP has no escape at all.
progress() {
	"$ptyrun" -t 120 -l "$work/tty.log" -e '1/1 done' -w -- "$oomtest" run -t x86_64 --results "$work/tty" \
		cases/memcg-v2-max-kill.case || return 1
	"$ptyrun" -t 120 -l "$work/nocolor.log" -E NO_COLOR=1 -e '1/1 done' -w -- "$oomtest" run -t x86_64 \
		--results "$work/tty" cases/memcg-v2-max-kill.case || return 1
	"$oomtest" run -t x86_64 --results "$work/tty" cases/memcg-v2-max-kill.case > "$work/pipe.log" || return 1
	"$ptyrun" -t 120 -l "$work/noprogress.log" -w -- "$oomtest" run --no-progress -t x86_64 \
		--results "$work/tty" cases/memcg-v2-max-kill.case || return 1
	cat -v "$work/tty.log" | tail -n 3
	grep -q $'\e\\[32mok\e\\[0m 1 - memcg-v2-max-kill' "$work/tty.log" &&
	grep -q 'running, [0-9]* left, 0 not ok, [0-9]*:[0-9][0-9] elapsed' "$work/tty.log" &&
	grep -q 'done.*, 1 running, 0 left' "$work/tty.log" &&
	! grep -q $'\e\\[3[0-9]m\\|\e\\[1m' "$work/nocolor.log" && grep -q 'ok 1 - memcg-v2-max-kill' "$work/nocolor.log" &&
	! grep -q $'\e' "$work/pipe.log" && ! grep -q $'\e' "$work/noprogress.log" &&
	grep -q 'ok 1 - memcg-v2-max-kill' "$work/noprogress.log"
}
check "a terminal gets a progress line and colours, NO_COLOR no colours, --no-progress and a pipe plain TAP" progress

# 8. oomtest shell on a pty: a prompt, the module and the hog inside (an
#    OOM kill at the prompt), exit powers off (status 0); Ctrl-] kills the
#    guest at once (status 1); no QEMU is left.
it_shell() {
	"$ptyrun" -t 90 -l "$work/shell.log" -e 'oomtest-guest# ' \
		-s 'uname -m; echo sum-$((40+2))\n' -e 'sum-42' -e 'oomtest-guest# ' \
		-s 'insmod /lib/modules/oom_trigger.ko order=0 mode=backup release=4096; echo insmod-status-$?\n' \
		-e 'Killed process [0-9]+ \(insmod\)' -e 'insmod-status-137' -e 'oomtest-guest# ' \
		-s 'hog --max 1M --name hog1m; echo hog-status-$?\n' -e 'hog-status-0' -e 'oomtest-guest# ' \
		-s 'exit\n' -w -- "$oomtest" shell --target i386 --memory 128M
	rc=$?
	tail -c 600 "$work/shell.log" | cat -v
	[ $rc -eq 0 ] || { echo "exit $rc after exit, expected 0"; return 1; }
	grep -q 'powered off' "$work/shell.log" || return 1
	"$ptyrun" -t 90 -l "$work/shell2.log" -e 'oomtest-guest# ' -s '\x1d' -w -- "$oomtest" shell --target x86_64
	rc=$?
	tail -c 300 "$work/shell2.log" | cat -v
	[ $rc -eq 1 ] && grep -q 'Ctrl-\]: the guest is killed' "$work/shell2.log" && sleep 1 && [ "$(qemus)" -eq 0 ]
}
check "oomtest shell: a prompt with the module and the hog, exit powers off, Ctrl-] kills" it_shell

# 9. oomtest show prints the case as understood; a broken one is exit 2.
it_show() {
	"$oomtest" show cases/kmod-order0-backup.case > "$work/show.out" || return 1
	cat "$work/show.out"
	grep -q '^  steps, in order:' "$work/show.out" &&
	grep -q '2\. load (line [0-9]*): insmod oom_trigger order=0 mode=backup release=4096' "$work/show.out" &&
	grep -q 'line [0-9]*: oom.1.victim.comm == insmod' "$work/show.out" &&
	grep -q '^    module load 0 - - oom_trigger order=0' "$work/show.out" &&
	"$oomtest" show harness/tests/fixtures/cases/params.case > "$work/show-params.out" &&
	grep -q 'stands for [0-9]* runs' "$work/show-params.out" &&
	{ "$oomtest" show harness/tests/fixtures/cases/errors.case > /dev/null 2>&1; [ $? -eq 2 ]; }
}
check "oomtest show: steps, expectations and plan; a broken case is exit 2" it_show

# 9b. What a case brings is judged per target before any guest: another
#     arch's program or another kernel's module skips that target with the
#     reason, a missing file is file:line; the suite's runs listed where
#     each file came from, dropped their disks, and the report shows a TAP
#     step's points.
it_byo() {
	mkdir -p "$work/byo"
	local ko
	local kos=("$root"/build/targets/x86_64-6.12/user-modules/vmalloc_hog-*/vmalloc_hog.ko)
	ko=${kos[0]}
	[ -f "$ko" ] || { echo "no vmalloc_hog.ko built for x86_64-6.12 by the suite"; return 1; }
	cat > "$work/byo/wrong-arch.case" <<CASE
[case]
description = an x86-64 program
[step p]
run = $root/build/guest/x86_64/pipe_leak 1M
[expect]
step.p.exit == 0
CASE
	cat > "$work/byo/other-kernel.case" <<CASE
[case]
description = a module built for 6.12
[step m]
module = $ko chunk=1M
[expect]
step.m.exit == 0
CASE
	printf '[case]\ndescription = a file that is not there\n[files]\n/data = nowhere.bin\n' > "$work/byo/missing.case"
	# a Kbuild directory that does not compile: the run's error names the compiler's line
	mkdir -p "$work/byo/bad"
	printf 'obj-m := bad_mod.o\n' > "$work/byo/bad/Kbuild"
	printf '#include <linux/module.h>\nint probe = undeclared_thing;\nMODULE_LICENSE("GPL");\n' > "$work/byo/bad/bad_mod.c"
	printf '[case]\ndescription = a module that does not build\n[step m]\nmodule = ./bad/\n[expect]\nstep.m.exit == 0\n' \
		> "$work/byo/bad-module.case"
	"$oomtest" run -t x86_64 -t i386 --results "$work/byo-res" "$work/byo/wrong-arch.case" \
		"$work/byo/other-kernel.case" > "$work/byo.tap" 2>&1
	cat "$work/byo.tap"
	grep -q '^ok [0-9]* - wrong-arch \[x86_64\]$' "$work/byo.tap" &&
	grep -q "^ok [0-9]* - wrong-arch \[i386\] # SKIP $work/byo/wrong-arch.case:[0-9]*: .*pipe_leak: ELF is x86-64, the target is i386" "$work/byo.tap" &&
	grep -q "^ok [0-9]* - other-kernel \[x86_64\] # SKIP .*vmalloc_hog.ko was built for '6.12[^']*', the target kernel is '6.1" "$work/byo.tap" || return 1
	"$oomtest" run -t x86_64 --results "$work/byo-res3" "$work/byo/bad-module.case" > "$work/byo-bad.tap" 2>&1
	[ $? -eq 1 ] && grep -q '^not ok 1 - bad-module \[x86_64\]$' "$work/byo-bad.tap" &&
	grep -q 'message: ".*building bad_mod for x86_64 failed: bad_mod.c:2:13: error: .*undeclared_thing.*(full log: .*build.log)' "$work/byo-bad.tap" ||
		{ cat "$work/byo-bad.tap"; return 1; }
	"$oomtest" run -t x86_64 --results "$work/byo-res2" "$work/byo/missing.case" > "$work/byo-missing.out" 2>&1
	[ $? -eq 2 ] && grep -q "^$work/byo/missing.case:4: .*nowhere.bin" "$work/byo-missing.out" &&
	[ ! -e "$work/byo-res2" ] || { cat "$work/byo-missing.out"; return 1; }
	# a dynamically linked program of the case's own: its interpreter and
	# libc come from Debian's packages for each target's arch
	mkdir -p "$work/byo/bin-x86_64" "$work/byo/bin-i386"
	printf '#include <stdio.h>\nint main(void) { printf("dynamic %%zu\\n", sizeof(void *)); return 0; }\n' > "$work/byo/dyn.c"
	gcc "$work/byo/dyn.c" -o "$work/byo/bin-x86_64/dyn" && i686-linux-gnu-gcc "$work/byo/dyn.c" -o "$work/byo/bin-i386/dyn" || return 1
	cat > "$work/byo/dyn.case" <<'CASE'
[case]
description = a dynamic program
[step dyn]
run = ./bin-${arch}/dyn
[expect x86_64]
step.dyn.output == "dynamic 8"
[expect i386]
step.dyn.output == "dynamic 4"
CASE
	"$oomtest" run -t x86_64 -t i386 --results "$work/byo-res4" "$work/byo/dyn.case" > "$work/byo-dyn.tap" 2>&1 &&
	grep -q '^ok 1 - dyn \[x86_64\]$' "$work/byo-dyn.tap" && grep -q '^ok 2 - dyn \[i386\]$' "$work/byo-dyn.tap" &&
	grep -q $'^/lib/i386-linux-gnu/libc.so.6\t[0-9]*\tlibrary of /usr/local/bin/dyn$' \
		"$work"/byo-res4/latest/dyn/i386/payload.txt || { cat "$work/byo-dyn.tap"; return 1; }
	local r=$work/suite-res/latest
	grep -q $'^/usr/bin/stress-ng\t[0-9]*\tpackage stress-ng .* (i386)$' "$r/memcg-v2-stress-ng/i386/payload.txt" &&
	grep -q $'^/bin/sh -> busybox\t' "$r/memcg-v2-fill-tmpfs/x86_64/payload.txt" &&
	[ -z "$(find "$work/suite-res" -name payload.img)" ] &&
	grep -q '"tap.meminfo.pass": "5"' "$r/tap-meminfo/i386/facts.json" &&
	# a TAP block in the report for each target tap-meminfo ran on
	[ "$(grep -o 'class="tap"' "$r/index.html" | wc -l)" -eq "$(find "$r/tap-meminfo" -mindepth 1 -maxdepth 1 -type d | wc -l)" ] &&
	grep -q 'href="memcg-v2-stress-ng/i386/payload.txt"' "$r/index.html" &&
	"$oomtest" show cases/kmod-vmalloc-memcg.case > "$work/byo-show.out" &&
	grep -q 'module vmalloc_hog: built from .*kmod/vmalloc_hog against each target' "$work/byo-show.out"
}
check "bring your own: another arch or kernel skips with the reason, a missing file is file:line; payload.txt, no disk left, TAP in the report" it_byo

# 11. Real memory: a wait that never holds fails at its bound naming the
#     condition (no hang); one naming a group that does not exist is a
#     file:line error that starts nothing; swap and disk too large, too.
it_wait() {
	mkdir -p "$work/wait"
	cat > "$work/wait/never.case" <<'CASE'
[case]
targets = x86_64
[step h]
run        = hog --max 1M --hold
background = yes
wait       = output "never printed"
wait_max   = 2s
[step w]
wait = cgroup nope memory.current > 0
[expect]
oom.count == 0
CASE
	"$oomtest" run "$work/wait/never.case" > "$work/wait/tap" 2> "$work/wait/err"
	[ $? -eq 2 ] && grep -q "never.case:9: wait 'cgroup nope memory.current > 0' names no \[cgroup nope\]" "$work/wait/err" &&
	[ "$(qemus)" -eq 0 ] || { cat "$work/wait/err"; return 1; }
	sed -i '/^\[step w\]/,/^wait = cgroup/d' "$work/wait/never.case"
	timed_run "$work/wait/tap" --results "$work/wait/res" "$work/wait/never.case"
	cat "$work/wait/tap"
	[ $rc -eq 1 ] && [ "$took" -lt 30 ] &&
	grep -q 'step h: wait = output \\"never printed\\": did not hold within 2s' "$work/wait/tap" &&
	grep -q '"wait.h.met": "0"' "$work/wait/res"/latest/never/x86_64/facts.json || return 1
	# every kind of condition, met: the next OOM kill in a group and in the
	# whole guest, a step's exit, a cgroup value
	cat > "$work/wait/forms.case" <<'CASE'
[case]
targets = x86_64
memory  = 128M
[cgroup g]
version    = 2
memory.max = 1M
[step h]
run        = hog --chunk 128K --name h
cgroup     = g
background = yes
wait       = oom_kill g
[step gone]
wait = exit h
[step events]
wait = cgroup g memory.events.oom_kill >= 1
[step big]
run        = hog --chunk 1M --name big
background = yes
wait       = oom_kill
[step end]
wait = exit big
[expect]
wait.h.met == 1
wait.gone.met == 1
wait.events.met == 1
wait.big.met == 1
wait.end.met == 1
step.h.exit == signal:9
step.big.exit == signal:9
oom.count >= 2
CASE
	"$oomtest" run --results "$work/wait/res" "$work/wait/forms.case" > "$work/wait/forms.tap" ||
		{ cat "$work/wait/forms.tap"; return 1; }
	printf '[case]\nswap = 5G\ndisk = 20G\n[step s]\nrun = hog --kind file --max 1M\n[expect]\noom.count == 0\n' > "$work/wait/big.case"
	"$oomtest" run "$work/wait/big.case" > /dev/null 2> "$work/wait/big.err"
	[ $? -eq 2 ] && grep -q 'big.case:2: swap 5G is out of range' "$work/wait/big.err" &&
	grep -q 'big.case:3: disk 20G is out of range' "$work/wait/big.err"
}
check "wait: a condition that never holds fails at its bound, naming it; a bad wait, swap or disk is file:line" it_wait

# 10. make install into a DESTDIR: the installed oomtest finds its own tree,
#     keeps its state where it is told, runs a case; the man page is true.
it_install() {
	# the kernels this checkout fetched, so that nothing is downloaded again
	private_oomtest run -t x86_64 "$work/inst/usr/share/oomtest/cases/memcg-v2-max-kill.case" > "$work/inst.tap" || return 1
	[ -x "$work/inst/usr/bin/oomtest" ] && [ -f "$work/inst/usr/share/man/man1/oomtest.1" ] || return 1
	cat "$work/inst.tap"
	[ -f "$work/state/targets/x86_64/oom_trigger.ko" ] && [ -d "$work/results/latest" ] &&
	./harness/tests/man-check.sh "$work/inst/usr/bin/oomtest" "$work/inst/usr/share/man/man1/oomtest.1"
}
check "make install: the installed oomtest runs a case from its own tree; oomtest(1) covers --help" it_install

# 14. Bisection: a repository of prebuilt kernels whose commits switch from
#     Debian's 6.1 to 6.12; a case that holds only on the first finds the
#     commit that switched, and the repository is left on its branch.
it_bisect() {
	local repo=$work/kernels rel61 k61 d61 k612 d612 c k d
	read -r rel61 k61 d61 < <(awk '$1 == "x86_64" { print $3, $4, $5 }' build/images/targets.list)
	read -r k612 d612 < <(awk '$1 == "x86_64-6.12" { print $4, $5 }' build/images/targets.list)
	mkdir -p "$repo" "$work/bisect-cases"
	printf '[case]\ndescription = the kernel is Debian'"'"'s 6.1\nmemory = 128M\n\n[step look]\ncollect = meminfo\n\n[expect]\nguest.release == %s\n' \
		"$rel61" > "$work/bisect-cases/is-6.1.case"
	git -C "$repo" init -q -b main
	for c in 1 2 3 4 5; do
		if [ $c -lt 3 ]; then k=$k61 d=$d61; else k=$k612 d=$d612; fi
		printf '# commit %s\nkernel %s\nkdir %s\narch x86_64\n' $c "$root/$k" "$root/$d" > "$repo/oomtest-kernel"
		git -C "$repo" add oomtest-kernel
		git -C "$repo" -c user.name=it -c user.email=it@oomtest commit -q -m "kernel $c"
	done
	"$oomtest" bisect --good HEAD~4 --bad HEAD -o "$work/bisect-out" --results "$work/bisect-res" \
		"$repo" "$work/bisect-cases/is-6.1.case" > "$work/bisect.out" ||
		{ cat "$work/bisect.out" "$work/bisect-out/bisect.log"; return 1; }
	cat "$work/bisect.out"
	grep -qx "first bad commit: $(git -C "$repo" rev-parse HEAD~2) ($(git -C "$repo" rev-parse --short HEAD~2) kernel 3)" "$work/bisect.out" &&
	[ "$(git -C "$repo" rev-parse --abbrev-ref HEAD)" = main ] || return 1
	# the ends the wrong way round, and an unknown commit: exit 2, no bisection left behind
	"$oomtest" bisect --good HEAD --bad HEAD~4 "$repo" "$work/bisect-cases/is-6.1.case" 2> "$work/bisect.err"
	[ $? -eq 2 ] && grep -q "is not an ancestor of --bad HEAD~4" "$work/bisect.err" || return 1
	"$oomtest" bisect --good nosuch --bad HEAD "$repo" "$work/bisect-cases/is-6.1.case" 2> "$work/bisect.err"
	[ $? -eq 2 ] && grep -q "no such commit" "$work/bisect.err" &&
	! git -C "$repo" bisect log > /dev/null 2>&1
}
check "oomtest bisect: a repository of prebuilt kernels (6.1 then 6.12) finds the commit where a case starts to fail" it_bisect

check "no QEMU left behind" test "$(qemus)" -eq 0
check "no private libvirt daemon or its QEMU left behind" test "$(lv_orphans)" -eq 0

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
