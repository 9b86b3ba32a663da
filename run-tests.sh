#!/usr/bin/env bash
# oomtest CI entry: installs what is missing, fetches the default targets,
# builds, and runs every case on every default target. TAP on stdout,
# everything else on stderr; results/ holds the logs. Exit 0 only when every
# run is ok.
set -euo pipefail
cd "$(dirname "$0")"

usage() {
	cat <<'USAGE'
usage: ./run-tests.sh [--case NAME|FILE]... [--target NAME]... [-j N] [--cold-boot] [--single-console]
                     [--timeout S] [--tap-version 13|14] [--silence S] [--results DIR]
                     [--backend qemu|libvirt|lava-local [--connect URI]]
  --case NAME|FILE  run this case only (cases/NAME.case or a path); repeatable
  --target NAME     run on this target only (see: build/oomtest list); repeatable
  -j N              run N guests at a time (default: the number of CPUs)
  --cold-boot       boot every guest instead of starting it from a saved,
                    booted guest (build/snapshots/)
  --single-console  give each guest its console only, as a lab does: the
                    plan baked into the initramfs, the agent's records
                    read out of the kernel log (boots every guest)
  --timeout S       override every case's timeout (seconds)
  --tap-version N   13 (default; what Debian 12's prove reads) or 14
  --silence S       a run with no console or agent output for S seconds ends
                    as a timeout (default: off)
  --results DIR     where the run directory goes (default: results/)
  --backend B       qemu (default: QEMU started directly), libvirt
                    (transient domains of a libvirt daemon) or lava-local
                    (each guest a LAVA job of this host's lava-run; root)
  --connect URI     the libvirt daemon to use; without it, --backend libvirt
                    starts a private one for the run (images/libvirtd-local.sh)
                    and stops it afterwards
Installs missing Debian packages (as root; otherwise prints the command),
fetches the default targets (make images), builds (make), then runs
build/oomtest run. Results: results/latest/ (or DIR/latest).
USAGE
}

cases=() run_opts=() backend=qemu connect=
while [ $# -gt 0 ]; do
	case $1 in
	--case) [ $# -ge 2 ] || { usage >&2; exit 2; }
		if [ -f "$2" ]; then cases+=("$2"); elif [ -f "cases/$2.case" ]; then cases+=("cases/$2.case")
		else echo "run-tests.sh: no case '$2' (neither a file nor cases/$2.case)" >&2; exit 2; fi
		shift 2 ;;
	--target) [ $# -ge 2 ] || { usage >&2; exit 2; }; run_opts+=(--target "$2"); shift 2 ;;
	-j) [ $# -ge 2 ] || { usage >&2; exit 2; }; run_opts+=(-j "$2"); shift 2 ;;
	-j*) run_opts+=(-j "${1#-j}"); shift ;;
	--cold-boot) run_opts+=(--cold-boot); shift ;;
	--single-console) run_opts+=(--single-console); shift ;;
	--backend) [ $# -ge 2 ] || { usage >&2; exit 2; }; backend=$2; shift 2 ;;
	--connect) [ $# -ge 2 ] || { usage >&2; exit 2; }; connect=$2; shift 2 ;;
	--timeout) [ $# -ge 2 ] || { usage >&2; exit 2; }; run_opts+=(--timeout "$2"); shift 2 ;;
	--tap-version) [ $# -ge 2 ] || { usage >&2; exit 2; }; run_opts+=(--tap-version "$2"); shift 2 ;;
	--silence) [ $# -ge 2 ] || { usage >&2; exit 2; }; run_opts+=(--silence "$2"); shift 2 ;;
	--results) [ $# -ge 2 ] || { usage >&2; exit 2; }; run_opts+=(--results "$2"); shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "run-tests.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
done
[ ${#cases[@]} -gt 0 ] || cases=(cases)

./images/install-deps.sh >&2
make -s all >&2
make -s images >&2
case $backend in
qemu) [ -z "$connect" ] || { echo "run-tests.sh: --connect needs --backend libvirt" >&2; exit 2; }
      exec build/oomtest run "${run_opts[@]}" "${cases[@]}" ;;
lava-local) [ -z "$connect" ] || { echo "run-tests.sh: --connect needs --backend libvirt" >&2; exit 2; }
      exec build/oomtest run --backend lava-local "${run_opts[@]}" "${cases[@]}" ;;
libvirt) ;;
*) echo "run-tests.sh: --backend $backend: qemu, libvirt or lava-local" >&2; exit 2 ;;
esac
daemon=
if [ -z "$connect" ]; then
	# one daemon per invocation: two run-tests.sh in one checkout keep apart
	daemon=build/libvirt/run-tests.$$
	connect=$(images/libvirtd-local.sh start "$daemon")
fi
# oomtest runs as a child here, so that the daemon is stopped after it:
# signals are passed on to it.
build/oomtest run --backend libvirt --connect "$connect" "${run_opts[@]}" "${cases[@]}" &
child=$!
trap 'kill -INT $child 2>/dev/null' INT
trap 'kill -TERM $child 2>/dev/null' TERM
trap 'kill -HUP $child 2>/dev/null' HUP
rc=0
wait $child || rc=$?
# a signal interrupts the first wait; the second collects oomtest's status
while kill -0 $child 2>/dev/null; do wait $child || rc=$?; done
if [ -n "$daemon" ]; then
	images/libvirtd-local.sh stop "$daemon"
	# its log stays when something failed
	[ $rc -ne 0 ] || rm -rf "$daemon"
fi
exit $rc
