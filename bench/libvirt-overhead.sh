#!/usr/bin/env bash
# What the libvirt backend costs per run against the QEMU backend, both
# booting (--cold-boot), taking turns within each repetition, through a
# private daemon (images/libvirtd-local.sh). Prints, per case and arch, the
# median of the run's own time (run.seconds: start to verdict) for each
# backend and the difference. Not a test: numbers only.
#   bench/libvirt-overhead.sh [-n REPS] [CASE...]   (default: 5, four cases)
set -euo pipefail
cd "$(dirname "$0")/.."
reps=5 cases=()
while [ $# -gt 0 ]; do
	case $1 in
	-n) reps=$2; shift 2 ;;
	-h|--help) sed -n '2,8p' "$0"; exit 0 ;;
	*) cases+=("$1"); shift ;;
	esac
done
[ ${#cases[@]} -gt 0 ] || cases=(cases/kmod-order0-backup.case cases/kmod-order3-nobackup.case
				  cases/memcg-v1-kill.case cases/memcg-v2-max-kill.case)
make -s all images >&2
out=$(mktemp -d "${TMPDIR:-/tmp}/oomtest-lvbench.XXXXXX")
daemon=build/libvirt/bench
uri=$(images/libvirtd-local.sh start "$daemon")
trap 'images/libvirtd-local.sh stop "$daemon"; rm -rf "$out"' EXIT

secs() { # results-dir -> run.seconds of its one run
	sed -n 's/.*"run.seconds": "\([0-9.]*\)".*/\1/p' "$1"/latest/*/*/facts.json
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", v[int((NR + 1) / 2)]; else printf "-" }'; }

declare -A t
for i in $(seq "$reps"); do
	for arch in x86_64 i386; do
		for c in "${cases[@]}"; do
			rm -rf "$out/q" "$out/l"
			build/oomtest run --cold-boot -j 1 -t "$arch" --results "$out/q" "$c" > /dev/null 2>&1 || true
			build/oomtest run --backend libvirt --connect "$uri" -j 1 -t "$arch" --results "$out/l" "$c" > /dev/null 2>&1 || true
			t[$arch/$c/q]+="$(secs "$out/q") "
			t[$arch/$c/l]+="$(secs "$out/l") "
		done
	done
	echo "# repetition $i of $reps done" >&2
done
printf '| case | arch | QEMU backend | libvirt backend | libvirt overhead |\n|---|---|---|---|---|\n'
for arch in x86_64 i386; do
	for c in "${cases[@]}"; do
		q=$(tr ' ' '\n' <<< "${t[$arch/$c/q]}" | grep . | median)
		l=$(tr ' ' '\n' <<< "${t[$arch/$c/l]}" | grep . | median)
		printf '| %s | %s | %s s | %s s | %s s |\n' "$(basename "$c" .case)" "$arch" "$q" "$l" \
			"$(awk "BEGIN { printf \"%+.2f\", $l - $q }")"
	done
done
