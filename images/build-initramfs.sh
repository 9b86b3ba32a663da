#!/usr/bin/env bash
# Builds the OOM-trigger module for one target and its base initramfs:
#   images/build-initramfs.sh NAME ARCH KDIR
# Output: build/targets/NAME/{oom_trigger.ko,initramfs.cpio}. Rebuilds only
# what is older than its inputs. The initramfs holds the agent as /init, the
# hog in /bin and the module in /lib/modules; per-run data travels over the
# agent channel, never in the image.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 3 ] || { echo "usage: $0 NAME ARCH KDIR" >&2; exit 2; }
name=$1 arch=$2 kdir=$3
case $arch in x86_64|i386) ;; *) echo "oomtest: unknown arch '$arch' (x86_64, i386)" >&2; exit 2;; esac
[ -f "$kdir/Makefile" ] || { echo "oomtest: $kdir: not a kernel build directory (no Makefile)" >&2; exit 1; }

out=build/targets/$name
kbuild=$out/kmod
mkdir -p "$kbuild"
agent=build/guest/$arch/oomtest-init
hog=build/guest/$arch/hog
for f in "$agent" "$hog"; do
	[ -x "$f" ] || { echo "oomtest: $f missing: run make" >&2; exit 1; }
done

ko=$out/oom_trigger.ko
if [ ! -f "$ko" ] || [ kmod/oom_trigger.c -nt "$ko" ] || [ kmod/Kbuild -nt "$ko" ] ||
   [ "$kdir/Makefile" -nt "$ko" ]; then
	cp kmod/oom_trigger.c kmod/Kbuild "$kbuild/"
	if ! make -s -C "$kdir" M="$(pwd)/$kbuild" modules > "$kbuild/build.log" 2>&1; then
		cat "$kbuild/build.log" >&2
		echo "oomtest: building kmod/oom_trigger.c against $kdir failed" >&2
		exit 1
	fi
	cp "$kbuild/oom_trigger.ko" "$ko.tmp"
	mv "$ko.tmp" "$ko"
fi

img=$out/initramfs.cpio
if [ ! -f "$img" ] || [ "$ko" -nt "$img" ] || [ "$agent" -nt "$img" ] || [ "$hog" -nt "$img" ]; then
	stage=$out/stage
	rm -rf "$stage"
	mkdir -p "$stage"/{bin,dev,proc,sys,tmp,lib/modules}
	cp "$agent" "$stage/init"
	cp "$hog" "$stage/bin/hog"
	cp "$ko" "$stage/lib/modules/"
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$img.tmp"
	mv "$img.tmp" "$img"
	rm -rf "$stage"
fi
echo "$img"
