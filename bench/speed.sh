#!/usr/bin/env bash
# How fast a case runs, three ways, side by side on x86_64, i386 and arm64:
#   naive    QEMU as one first writes it: -kernel with the packaged image,
#            the machine's (or, arm64, virt's) defaults, devices and
#            firmware (OOMTEST_QEMU_NAIVE=1 --cold-boot)
#   cold     oomtest booting every guest (--cold-boot: PVH entry on x86_64)
#   restore  oomtest's default: each run starts from a saved booted guest
# then the whole suite at -j 1 and -j N, and the harness's CPU time as a
# share of QEMU's. Modes take turns within each repetition, so a noisy
# machine slows them alike. Not a test: it prints numbers.
#   bench/speed.sh [-n REPS] [-j N] [-t TARGET]... [--no-suite] [CASE...]
# REPS defaults to 5, N to the number of CPUs, TARGETs to x86_64, i386 and
# arm64, CASEs to every case; --no-suite leaves out the suite timings.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=5 jobs=$(nproc) cases=() arches=() with_suite=1
while [ $# -gt 0 ]; do
	case $1 in
	-n) reps=$2; shift 2 ;;
	-j) jobs=$2; shift 2 ;;
	-t) arches+=("$2"); shift 2 ;;
	--no-suite) with_suite=0; shift ;;
	-h|--help) sed -n '2,15p' "$0"; exit 0 ;;
	*) cases+=("$1"); shift ;;
	esac
done
[ ${#cases[@]} -gt 0 ] || cases=(cases/*.case)
[ ${#arches[@]} -gt 0 ] || arches=(x86_64 i386 arm64)
make -s all images >&2
oomtest=$(pwd)/build/oomtest
out=$(mktemp -d "${TMPDIR:-/tmp}/oomtest-speed.XXXXXX")
trap 'rm -rf "$out"' EXIT

# The naive path boots the packaged image (a bzImage; arm64's Image):
# kdir is <root>/usr/src/linux-headers-REL.
packaged() { # target -> "kernel kdir arch"
	awk -v t="$1" '$1 == t { print $5, $3, $2 }' build/images/targets.list | {
		read -r kdir rel arch
		echo "$(cd "$kdir/../../.." && pwd)/boot/vmlinuz-$rel $kdir $arch"
	}
}

run_mode() { # mode target case -> prints wall seconds, or "skip"/"fail"
	local mode=$1 arch=$2 c=$3 t0 t1 tap=$out/last.tap k d a
	local -a cmd
	case $mode in
	naive) read -r k d a < <(packaged "$arch")
	       cmd=(env OOMTEST_QEMU_NAIVE=1 "$oomtest" run --cold-boot --kernel "$k" --kdir "$d" --arch "$a") ;;
	cold) cmd=("$oomtest" run --cold-boot -t "$arch") ;;
	restore) cmd=("$oomtest" run -t "$arch") ;;
	esac
	t0=$(date +%s.%N)
	"${cmd[@]}" -j 1 --results "$out/res" "$c" > "$tap" 2>/dev/null || true
	t1=$(date +%s.%N)
	if grep -q '# SKIP' "$tap"; then echo skip
	elif grep -q '^not ok' "$tap"; then echo fail
	else calc "$t1 - $t0"; fi
}

calc() { awk "BEGIN { printf \"%.6f\", $* }"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", v[int((NR + 1) / 2)]; else printf "-" }'; }

modes=(naive cold restore)
echo "# per case: wall seconds of 'oomtest run' for one case, median of $reps" >&2
for arch in "${arches[@]}"; do
	for c in "${cases[@]}"; do
		for m in "${modes[@]}"; do run_mode "$m" "$arch" "$c" > /dev/null; done	# warm: modules, snapshots
	done
done
declare -A times
for i in $(seq "$reps"); do
	for arch in "${arches[@]}"; do
		for c in "${cases[@]}"; do
			for m in "${modes[@]}"; do
				times[$arch/$c/$m]+="$(run_mode "$m" "$arch" "$c") "
			done
		done
	done
	echo "# repetition $i of $reps done" >&2
done

printf '\n| case | arch | naive | cold | restore | naive/cold | naive/restore |\n|---|---|---|---|---|---|---|\n'
for arch in "${arches[@]}"; do
	for c in "${cases[@]}"; do
		n=$(basename "$c" .case)
		row=()
		for m in "${modes[@]}"; do
			v=${times[$arch/$c/$m]}
			if [[ $v == *skip* ]]; then row+=(skip)
			elif [[ $v == *fail* ]]; then row+=(fail)
			else row+=("$(tr ' ' '\n' <<< "$v" | grep . | median)"); fi
		done
		if [[ ${row[0]} =~ ^[0-9] && ${row[1]} =~ ^[0-9] && ${row[2]} =~ ^[0-9] ]]; then
			r1=$(calc "${row[0]} / ${row[1]}") r2=$(calc "${row[0]} / ${row[2]}")
			printf '| %s | %s | %s | %s | %s | %.1fx | %.1fx |\n' "$n" "$arch" "${row[@]}" "$r1" "$r2"
		else
			printf '| %s | %s | %s | %s | %s | | |\n' "$n" "$arch" "${row[@]}"
		fi
	done
done

[ $with_suite = 1 ] || exit 0
# The suite: every case in cases/ on every default target, restored, at -j 1 and -j N.
suite() { # jobs -> "wall cpu_total qemu_cpu harness_cpu runs"
	local j=$1 res=$out/suite-$1 t0 t1 cpu
	rm -rf "$res"
	TIMEFORMAT='%U %S'
	t0=$(date +%s.%N)
	cpu=$( { time "$oomtest" run -j "$j" --results "$res" cases > "$out/suite.tap" 2>/dev/null; } 2>&1 ) || true
	t1=$(date +%s.%N)
	local q h n
	q=$(cat "$res"/latest/*/*/facts.json 2>/dev/null | sed -n 's/.*"qemu.cpu_seconds": "\([0-9.]*\)".*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
	h=$(cat "$res"/latest/*/*/facts.json 2>/dev/null | sed -n 's/.*"harness.cpu_seconds": "\([0-9.]*\)".*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
	n=$(grep -c '^ok' "$out/suite.tap" || true)
	echo "$(calc "$t1 - $t0") $(calc "${cpu% *} + ${cpu#* }") $q $h $n"
}
suite "$jobs" > /dev/null	# warm: every snapshot the suite needs
read -r w1 c1 q1 h1 n1 < <(suite 1)
read -r wn cn qn hn nn < <(suite "$jobs")
printf '\n| suite (restore) | wall | runs ok | QEMU CPU | harness CPU in the runs | whole oomtest tree less QEMU |\n|---|---|---|---|---|---|\n'
printf '| -j 1 | %.1f s | %s | %.1f s | %.2f s (%.1f%%) | %.1f s (%.1f%%) |\n' "$w1" "$n1" "$q1" "$h1" \
	"$(calc "100 * $h1 / $q1")" "$(calc "$c1 - $q1")" "$(calc "100 * ($c1 - $q1) / $q1")"
printf '| -j %s | %.1f s | %s | %.1f s | %.2f s (%.1f%%) | %.1f s (%.1f%%) |\n' "$jobs" "$wn" "$nn" "$qn" "$hn" \
	"$(calc "100 * $hn / $qn")" "$(calc "$cn - $qn")" "$(calc "100 * ($cn - $qn) / $qn")"
printf '\nscaling: -j %s took %.1f s; (-j 1)/%s = %.1f s; ratio %.2f (1.00 is perfect, goal <= 1.10)\n' \
	"$jobs" "$wn" "$jobs" "$(calc "$w1 / $jobs")" "$(calc "$wn / ($w1 / $jobs)")"
