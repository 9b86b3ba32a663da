#!/usr/bin/env bash
# Builds the OOM-trigger module for one target and its base initramfs:
#   images/build-initramfs.sh NAME ARCH KDIR KERNEL
# Output: build/targets/NAME/{oom_trigger.ko,oomtest_console.ko,initramfs.cpio}, and
# initramfs-shell.cpio when busybox was fetched ($OOMTEST_STATE/targets/NAME/
# when that is set). Rebuilds only what is older than its inputs, and the
# module (so the initramfs) whenever the kernel is another build: its
# identity (a hash of KDIR/Module.symvers, KERNEL's size and mtime) is kept
# in oom_trigger.kernel beside the module, so a kernel rebuilt with the same
# release string does not keep the old module. The initramfs holds the agent as /init, the
# hog in /bin, the module in /lib/modules, pvpanic in /lib/modules/boot and
# the virtio disk's modules in /lib/modules/payload, oomtest_console (the
# agent's records on a single console) in /lib/modules/console; per-run data
# travels over the agent channel, the payload disk or an archive appended
# for a single-console run, never in the image.
set -euo pipefail
cd "$(dirname "$0")/.."
# where fetched kernels and built targets live: build/ here, elsewhere for an
# installed oomtest (which sets OOMTEST_STATE)
state=${OOMTEST_STATE:-build}
[ $# -eq 4 ] || { echo "usage: $0 NAME ARCH KDIR KERNEL" >&2; exit 2; }
name=$1 arch=$2 kdir=$3 kernel=$4
[ -f "$kdir/Makefile" ] || { echo "oomtest: $kdir: not a kernel build directory (no Makefile)" >&2; exit 1; }
# what Kbuild is told for a module of this arch and compiler
# (harness/target/toolchain.c does the same for a case's modules)
need() { # program package why
	command -v "$1" > /dev/null ||
		{ echo "oomtest: $3 needs $1, which is not installed (Debian package $2)" >&2; exit 1; }
}
case $arch in
x86_64|i386) prefix= ;;
arm64) [ "$(uname -m)" = aarch64 ] && prefix= || prefix=aarch64-linux-gnu- ;;
*) echo "oomtest: unknown arch '$arch' (x86_64, i386, arm64)" >&2; exit 2;;
esac
kmake=()
[ -n "$prefix" ] && kmake+=(ARCH=$arch)
if grep -qsx 'CONFIG_CC_IS_CLANG=y' "$kdir/.config" ||
   { [ ! -f "$kdir/.config" ] && grep -qsx 'CONFIG_CC_IS_CLANG=y' "$kdir/include/config/auto.conf"; }; then
	# a kernel clang built gets modules clang builds
	kmake+=(LLVM=1)
	why="$kdir was built by clang (CONFIG_CC_IS_CLANG): its modules"
	need clang clang "$why"; need ld.lld lld "$why"
	for t in llvm-ar llvm-nm llvm-objcopy; do need $t llvm "$why"; done
elif [ -n "$prefix" ]; then
	kmake+=(CROSS_COMPILE=$prefix)
	need "${prefix}gcc" "gcc-${prefix%-}" "a module for $arch (built on $(uname -m))"
fi
[ -f "$kdir/Module.symvers" ] || {
	echo "oomtest: $kdir/Module.symvers missing: build the kernel's modules first ('make modules', or 'make'; 'make modules_prepare' does not write it)" >&2
	exit 1
}
[ -f "$kernel" ] || { echo "oomtest: $kernel: no kernel image there" >&2; exit 1; }

out=$state/targets/$name
kbuild=$out/kmod
mkdir -p "$kbuild"
agent=build/guest/$arch/oomtest-init
hog=build/guest/$arch/hog
for f in "$agent" "$hog"; do
	[ -x "$f" ] || { echo "oomtest: $f missing: run make" >&2; exit 1; }
done

ko=$out/oom_trigger.ko
stamp=$out/oom_trigger.kernel
identity="symvers $(sha256sum < "$kdir/Module.symvers" | cut -d' ' -f1)
kernel $(stat -L -c '%s %Y' "$kernel")"
if [ ! -f "$ko" ] || [ "$(cat "$stamp" 2> /dev/null)" != "$identity" ] ||
   [ kmod/oom_trigger.c -nt "$ko" ] || [ kmod/oomtest_console.c -nt "$ko" ] || [ kmod/Kbuild -nt "$ko" ] ||
   [ "$kdir/Makefile" -nt "$ko" ] || [ ! -f "$out/oomtest_console.ko" ]; then
	# from scratch: no object of the kernel built before is reused
	rm -rf "$kbuild"
	mkdir -p "$kbuild"
	cp kmod/oom_trigger.c kmod/oomtest_console.c kmod/Kbuild "$kbuild/"
	if ! make -s -C "$kdir" "${kmake[@]}" M="$(cd "$kbuild" && pwd)" modules > "$kbuild/build.log" 2>&1; then
		cat "$kbuild/build.log" >&2
		echo "oomtest: building kmod/ against $kdir failed" >&2
		exit 1
	fi
	cp "$kbuild/oomtest_console.ko" "$out/oomtest_console.ko.tmp"
	mv "$out/oomtest_console.ko.tmp" "$out/oomtest_console.ko"
	cp "$kbuild/oom_trigger.ko" "$ko.tmp"
	mv "$ko.tmp" "$ko"
	printf '%s\n' "$identity" > "$stamp.tmp"
	mv "$stamp.tmp" "$stamp"
fi

# pvpanic tells QEMU of a panic even when the console says nothing. It is
# taken from the target's own modules: a Debian package tree (kdir is
# <root>/usr/src/linux-headers-REL) or a kernel build tree. Built in, or
# absent, there is nothing to copy.
pvpanic_dir() {
	local rel
	rel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kdir/include/generated/utsrelease.h" 2>/dev/null)
	for d in "$kdir/drivers/misc/pvpanic" "$kdir/../../../lib/modules/$rel/kernel/drivers/misc/pvpanic"; do
		[ -d "$d" ] && { echo "$d"; return; }
	done
	return 0	# none: under set -e a failed test last would end the script
}
pvdir=$(pvpanic_dir)

# A run that brings its own files gets them on a virtio disk (proto/payload.h):
# (and ext4's modules go to disk-modules/ beside the image, the same way)
# where the target has virtio_blk as a module, it and the modules it needs go
# to lib/modules/payload/ as NN-NAME.ko, NN giving the load order
# (dependencies first). Built in, or absent, nothing goes there and the
# directory stays empty. The modules come from the target's module tree, a
# Debian package's or a kernel build tree's (the built .ko files modules.order
# lists); neither has a modules.dep, so depmod writes one into a scratch
# basedir whose lib/modules/REL links to those files.
payload_modules() {	# STAGE_DIR MODULE...
	local dest=$1 rel tree moddir line path seen="" n=1 m f
	shift
	local PATH=$PATH:/usr/sbin:/sbin	# depmod, modprobe
	rel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kdir/include/generated/utsrelease.h" 2>/dev/null || true)
	[ -n "$rel" ] || return 0
	tree=$kdir/../../../lib/modules/$rel
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/oomtest-depmod.XXXXXX")
	trap 'rm -rf "$scratch"' EXIT
	moddir=$scratch/lib/modules/$rel
	mkdir -p "$moddir" "$scratch/modprobe.d"
	if [ -d "$tree/kernel" ]; then
		ln -s "$(cd "$tree/kernel" && pwd)" "$moddir/kernel"
		for f in modules.builtin modules.builtin.modinfo modules.order; do
			[ ! -f "$tree/$f" ] || cp "$tree/$f" "$moddir/"
		done
	elif [ -f "$kdir/modules.order" ]; then
		# lines name drivers/x/y.o (6.2 on) or drivers/x/y.ko
		while read -r line; do
			path=${line%.o}
			path=${path%.ko}.ko
			[ -f "$kdir/$path" ] || continue
			mkdir -p "$moddir/kernel/$(dirname "$path")"
			ln -s "$(cd "$kdir" && pwd)/$path" "$moddir/kernel/$path"
		done < "$kdir/modules.order"
		[ ! -f "$kdir/modules.builtin" ] || cp "$kdir/modules.builtin" "$moddir/"
		[ ! -f "$kdir/modules.builtin.modinfo" ] || cp "$kdir/modules.builtin.modinfo" "$moddir/"
	fi
	touch "$moddir/modules.order"
	if [ -d "$moddir/kernel" ] && depmod -b "$scratch" "$rel" 2> "$scratch/depmod.log"; then
		for m in "$@"; do
			# "insmod PATH" per module to load, "builtin NAME"; not found: fails
			modprobe -C "$scratch/modprobe.d" -d "$scratch" -S "$rel" --show-depends "$m" 2> /dev/null || true
		done > "$scratch/depends"
		while read -r line; do
			path=${line#insmod }
			path=${path%% *}
			[ "$path" != "$line" ] || continue
			case " $seen " in *" $path "*) continue ;; esac
			seen="$seen $path"
			m=$(basename "$path")
			m=${m%%.ko*}
			f=$dest/$(printf '%02d' "$n")-$m.ko
			case $path in
			*.ko) cp "$path" "$f" ;;
			*.ko.xz) xz -dc "$path" > "$f" ;;
			*.ko.zst) zstd -qdc "$path" > "$f" ;;
			*) continue ;;
			esac
			n=$((n + 1))
		done < "$scratch/depends"
	fi
	rm -rf "$scratch"
	trap - EXIT
}

img=$out/initramfs.cpio
if [ ! -f "$img" ] || [ "$ko" -nt "$img" ] || [ "$stamp" -nt "$img" ] || [ "$agent" -nt "$img" ] || [ "$hog" -nt "$img" ] ||
   [ "$0" -nt "$img" ] || [ ! -d "$out/disk-modules" ]; then
	stage=$out/stage
	rm -rf "$stage"
	mkdir -p "$stage"/{bin,dev,proc,sys,tmp,lib/modules/boot,lib/modules/payload,lib/modules/console}
	cp "$agent" "$stage/init"
	cp "$hog" "$stage/bin/hog"
	cp "$ko" "$stage/lib/modules/"
	# loaded by the agent when it has the console alone (guest/chan.c)
	cp "$out/oomtest_console.ko" "$stage/lib/modules/console/"
	# arm64's virt machine: the agent's channel is a virtio console, whose
	# driver and transport Debian builds as modules; they load first (NN-)
	[ "$arch" != arm64 ] || payload_modules "$stage/lib/modules/boot" virtio_pci virtio_console pvpanic-pci
	# loaded in name order: the common part first
	n=1
	for m in pvpanic pvpanic-mmio; do
		for ext in ko ko.xz ko.zst; do
			f=${pvdir:+$pvdir/$m.$ext}
			[ -n "$f" ] && [ -f "$f" ] || continue
			case $ext in
			ko) cp "$f" "$stage/lib/modules/boot/$n-$m.ko" ;;
			ko.xz) xz -dc "$f" > "$stage/lib/modules/boot/$n-$m.ko" ;;
			ko.zst) zstd -qdc "$f" > "$stage/lib/modules/boot/$n-$m.ko" ;;
			esac
		done
		n=$((n + 1))
	done
	# virtio_pci is the transport, not a dependency of virtio_blk
	payload_modules "$stage/lib/modules/payload" virtio_pci virtio_blk
	# a case's disk (proto/disks.h): its filesystem's modules travel in the
	# payload of the runs that have one, not in every guest's RAM
	rm -rf "$out/disk-modules"
	mkdir -p "$out/disk-modules"
	payload_modules "$out/disk-modules" ext4
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$img.tmp"
	mv "$img.tmp" "$img"
	rm -rf "$stage"
fi
# For `oomtest shell`: the same image with busybox and its applet links
# appended as a second cpio archive (the kernel unpacks them in order), so
# the runs' image, and the snapshots made from it, stay as they are.
bb=$state/images/busybox/$arch/busybox
shimg=$out/initramfs-shell.cpio
if [ -x "$bb" ] && { [ ! -f "$shimg" ] || [ "$img" -nt "$shimg" ] || [ "$bb" -nt "$shimg" ]; }; then
	stage=$out/stage-shell
	rm -rf "$stage"
	mkdir -p "$stage/bin"
	cp "$bb" "$stage/bin/busybox"
	for applet in $("$bb" --list 2>/dev/null || true); do
		[ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
	done
	# an i386 busybox may not run here: the usual applets are enough
	[ -e "$stage/bin/sh" ] || for applet in sh ls cat echo ps free top kill dmesg mount \
		grep head tail sleep mkdir rmdir insmod rmmod lsmod uname vi less; do
		ln -s busybox "$stage/bin/$applet"
	done
	(cat "$img"; cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$shimg.tmp"
	mv "$shimg.tmp" "$shimg"
	rm -rf "$stage"
fi
echo "$img"
