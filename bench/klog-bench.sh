#!/bin/sh
# klog-bench.sh [SIZE_MIB]: throughput and peak memory of `oomtest parse`
# against `grep -c 'invoked oom-killer'` over the same generated kernel log,
# in the same run. Not a test: it prints numbers, it asserts nothing.
#
# The log (default 1024 MiB) goes to build/bench/: serial-console lines of
# the usual kinds (USB, network, filesystems, audit, firewall) with one full
# OOM report (Mem-Info, zones, buddy lists, task table, kill) per ~1 MiB.
# A second run over a quarter of the log shows whether memory stays flat.
#
# Uses build/oomtest (make build/oomtest), or $OOMTEST. Peak RSS comes from
# /usr/bin/time -v, or from a tiny getrusage() wrapper built on the spot.
set -eu

size_mib=${1:-1024}
case $size_mib in
'' | *[!0-9]*) echo "usage: $0 [SIZE_MIB]" >&2; exit 2 ;;
esac
[ "$size_mib" -ge 4 ] || { echo "$0: SIZE_MIB must be at least 4" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/bench
oomtest=${OOMTEST:-$root/build/oomtest}
[ -x "$oomtest" ] || { echo "$0: $oomtest not found: run 'make build/oomtest' first" >&2; exit 2; }
mkdir -p "$out"

# ---- the log ----

block=$out/block.log
log=$out/klog-${size_mib}MiB.log
quarter=$out/klog-$((size_mib / 4))MiB.log

# One ~4 MiB block: ordinary lines with an OOM report every ~1 MiB.
gen_block() {
	awk 'BEGIN {
		srand(42)
		n = split("usb 1-1: new high-speed USB device number %d using xhci_hcd|" \
			"EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.|" \
			"audit: type=1400 audit(1700000000.%d:42): apparmor=\"STATUS\" operation=\"profile_load\" profile=\"unconfined\" name=\"nvidia_modprobe\" pid=%d comm=\"apparmor_parser\"|" \
			"IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready|" \
			"[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=10.0.2.%d DST=10.0.2.15 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=0 DF PROTO=TCP SPT=443 DPT=51234 WINDOW=0 RES=0x00 RST URGP=0|" \
			"docker0: port %d(veth3f2a1b7) entered forwarding state|" \
			"perf: interrupt took too long (%d > 2500), lowering kernel.perf_event_max_sample_rate to 79750|" \
			"nf_conntrack: default automatic helper assignment has been turned off for security reasons|" \
			"TCP: request_sock_TCP: Possible SYN flooding on port %d. Sending cookies.  Check SNMP counters.|" \
			"systemd[1]: Started Session %d of User root.|" \
			"virtio_net virtio0 enp0s3: renamed from eth%d|" \
			"sd 0:0:0:0: [sda] %d 512-byte logical blocks: (34.4 GB/32.0 GiB)|" \
			"oom_trigger: allocated %d pages of order 0|" \
			"device-mapper: uevent: version 1.0.3|" \
			"e1000: eth0 NIC Link is Up %d Mbps Full Duplex, Flow Control: RX", tpl, "|")
		t = 0
		for (i = 0; i < 44000; i++) {
			t += 0.000731
			if (i % 11000 == 5000) {
				report(t)
				continue
			}
			printf("[%12.6f] ", t)
			printf(tpl[1 + int(rand() * n)] "\n", int(rand() * 60000), int(rand() * 60000), int(rand() * 60000))
		}
	}
	function report(t, ts, j) {
		ts = sprintf("[%12.6f] ", t)
		print ts "hog invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0"
		print ts "CPU: 0 PID: 57 Comm: hog Not tainted 6.1.0-26-amd64 #1  Debian 6.1.112-1"
		print ts "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014"
		print ts "Call Trace:"
		print ts " <TASK>"
		print ts " dump_stack_lvl+0x44/0x5c"
		print ts " dump_header+0x4a/0x211"
		print ts " oom_kill_process.cold+0xb/0x10"
		print ts " out_of_memory+0x1f1/0x520"
		print ts " __alloc_pages_slowpath.constprop.0+0xcbd/0xe10"
		print ts " </TASK>"
		print ts "Mem-Info:"
		print ts "active_anon:31 inactive_anon:1522 isolated_anon:0"
		print ts " active_file:0 inactive_file:0 isolated_file:0"
		print ts " unevictable:0 dirty:0 writeback:0"
		print ts " slab_reclaimable:1184 slab_unreclaimable:2961"
		print ts " mapped:0 shmem:1409 pagetables:41"
		print ts " sec_pagetables:0 bounce:0"
		print ts " kernel_misc_reclaimable:0"
		print ts " free:201 free_pcp:12 free_cma:0"
		print ts "Node 0 active_anon:124kB inactive_anon:6088kB active_file:0kB inactive_file:0kB unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:0kB dirty:0kB writeback:0kB shmem:5636kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 0kB writeback_tmp:0kB kernel_stack:656kB pagetables:164kB sec_pagetables:0kB all_unreclaimable? yes"
		print ts "Node 0 DMA free:176kB boost:0kB min:40kB low:48kB high:56kB reserved_highatomic:0KB active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB present:15992kB managed:15360kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB"
		print ts "lowmem_reserve[]: 0 94 94 94 94"
		print ts "Node 0 DMA32 free:628kB boost:0kB min:700kB low:796kB high:892kB reserved_highatomic:0KB active_anon:124kB inactive_anon:6088kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB present:114688kB managed:96800kB mlocked:0kB bounce:0kB free_pcp:48kB local_pcp:48kB free_cma:0kB"
		print ts "lowmem_reserve[]: 0 0 0 0 0"
		print ts "Node 0 DMA: 2*4kB (U) 1*8kB (U) 0*16kB 1*32kB (U) 0*64kB 1*128kB (U) 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 176kB"
		print ts "Node 0 DMA32: 37*4kB (UME) 22*8kB (UME) 9*16kB (UM) 3*32kB (U) 1*64kB (U) 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 628kB"
		print ts "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB"
		print ts "1409 total pagecache pages"
		print ts "Free swap  = 0kB"
		print ts "Total swap = 0kB"
		print ts "32668 pages RAM"
		print ts "4630 pages reserved"
		print ts "Tasks state (memory values in pages):"
		print ts "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"
		for (j = 0; j < 20; j++)
			printf("%s[%7d] %5d %5d %8d %8d %8d %8d %13d %s\n", ts, 100 + j, 0, 100 + j, 1075, 180, 45056, 0, 0, "daemon" j)
		print ts "[     57]     0    57     1075      180    45056        0             0 hog"
		print ts "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=hog,pid=57,uid=0"
		print ts "Out of memory: Killed process 57 (hog) total-vm:4300kB, anon-rss:128kB, file-rss:592kB, shmem-rss:0kB, UID:0 pgtables:44kB oom_score_adj:0"
		print ts "oom_reaper: reaped process 57 (hog), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB"
	}' >"$block"
}

# Repeats the block up to $2 MiB (the last copy cut to size).
make_log() {
	want=$(($2 * 1024 * 1024))
	bs=$(wc -c <"$block")
	copies=$(((want + bs - 1) / bs))
	i=0
	while [ $i -lt $copies ]; do
		cat "$block"
		i=$((i + 1))
	done | head -c "$want" >"$1"
}

if [ ! -s "$log" ] || [ "$(wc -c <"$log")" -ne $((size_mib * 1024 * 1024)) ]; then
	echo "generating $log ..." >&2
	gen_block
	make_log "$log" "$size_mib"
	make_log "$quarter" $((size_mib / 4))
fi

# ---- measuring ----

# measure CMD...: prints "wall_seconds cpu_seconds max_rss_kib" (cpu = user +
# system: it shows when other jobs took the CPU). stdout goes to a file, not
# /dev/null: GNU grep stops at the first match when it writes to /dev/null.
# /usr/bin/time counts in 10 ms steps, so the wall time comes from date.
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1 &&
	case $(date +%N) in *N*) false ;; esac; then
	measure() {
		t0=$(date +%s%N)
		/usr/bin/time -v -o "$out/time.txt" "$@" >"$out/stdout.txt" || true
		t1=$(date +%s%N)
		awk -F': ' -v ns=$((t1 - t0)) '
			/User time|System time/ { cpu += $2 }
			/Maximum resident set size/ { rss = $2 }
			END { printf "%.4f %.2f %d\n", ns / 1e9, cpu, rss }' "$out/time.txt"
	}
else
	cat >"$out/rusage.c" <<'EOF'
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* rusage CMD...: runs CMD, prints "wall cpu max_rss_kib" on stderr */
int main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	int st;
	pid_t pid;

	if (argc < 2)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "%.4f %.3f %ld\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9,
		ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
		ru.ru_maxrss);
	return 0;
}
EOF
	${CC:-cc} -O2 -o "$out/rusage" "$out/rusage.c"
	measure() { "$out/rusage" "$@" 2>&1 >"$out/stdout.txt"; }
fi

# best of three (page cache, noise): least wall and cpu time, largest RSS
best() {
	best_w= best_c= best_rss=0
	for _ in 1 2 3; do
		set -- $(measure "$@") "$@"
		w=$1 c=$2 rss=$3
		shift 3
		if [ -z "$best_w" ] || awk "BEGIN { exit !($w < $best_w) }"; then
			best_w=$w
		fi
		if [ -z "$best_c" ] || awk "BEGIN { exit !($c < $best_c) }"; then
			best_c=$c
		fi
		[ "$rss" -gt "$best_rss" ] && best_rss=$rss
	done
	echo "$best_w $best_c $best_rss"
}

cat "$log" >/dev/null
events=$(grep -c 'invoked oom-killer' "$log" || true)
echo "log: $log ($events OOM reports in all)"
echo "oomtest: $oomtest"
echo
printf '%6s | %32s | %32s | %s\n' "" "grep -c 'invoked oom-killer'" "oomtest parse" "parse speed"
printf '%6s | %8s %6s %7s %8s | %8s %6s %7s %8s | %s\n' MiB "wall s" "cpu s" MB/s "RSS KiB" \
	"wall s" "cpu s" MB/s "RSS KiB" "/ grep speed"
for f in "$quarter" "$log"; do
	cat "$f" >/dev/null
	g=$(best grep -c 'invoked oom-killer' "$f")
	o=$(best "$oomtest" parse "$f")
	awk -v b="$(wc -c <"$f")" -v g="$g" -v o="$o" 'BEGIN {
		split(g, G, " "); split(o, O, " ")
		gs = G[1] > 0 ? b / G[1] / 1e6 : 0; os = O[1] > 0 ? b / O[1] / 1e6 : 0
		printf "%6d | %8.3f %6.2f %7.0f %8d | %8.3f %6.2f %7.0f %8d | %.2f\n",
			b / 1048576, G[1], G[2], gs, G[3], O[1], O[2], os, O[3], (gs > 0 ? os / gs : 0)
	}'
done
