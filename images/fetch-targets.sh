#!/usr/bin/env bash
# Fetches the default targets from Debian's archive: Linux 6.1 for x86_64
# (-amd64) and i386 (-686). Image, headers and kbuild are downloaded with
# apt-get (which checks them against the signed archive index) and unpacked
# under build/images/<abi>/, never installed on the host. Writes
# build/images/targets.list. Does nothing when the targets are already there.
#
#   OOMTEST_KERNEL_ABI=6.1.0-50   pin an ABI (default: the newest ABI Debian
#                                 has for both amd64 and 686)
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/images
list=$out/targets.list

abi=${OOMTEST_KERNEL_ABI:-}
if [ -f "$list" ] && { [ -z "$abi" ] || grep -q "^# abi $abi\$" "$list"; }; then
	exit 0
fi

apt_refreshed=0
refresh_apt() {
	[ $apt_refreshed -eq 1 ] && return 0
	apt_refreshed=1
	[ "$(id -u)" = 0 ] || return 0
	apt-get update -qq || echo "oomtest: apt-get update reported errors; going on with what resolves" >&2
}

abis_for() { # flavour -> ABIs in the archive, one per line
	apt-cache search --names-only "^linux-image-6\.1\.0-[0-9]+-$1\$" 2>/dev/null |
		sed -n "s/^linux-image-\(6\.1\.0-[0-9]*\)-$1 .*/\1/p" | sort -V -u
}

if [ -z "$abi" ]; then
	common=$(comm -12 <(abis_for amd64 | sort) <(abis_for 686 | sort) | sort -V | tail -n 1)
	if [ -z "$common" ]; then
		refresh_apt
		common=$(comm -12 <(abis_for amd64 | sort) <(abis_for 686 | sort) | sort -V | tail -n 1)
	fi
	if [ -z "$common" ]; then
		echo "oomtest: no Linux 6.1 ABI found for both amd64 and 686 in apt's lists." >&2
		echo "oomtest: is the i386 architecture enabled (dpkg --add-architecture i386; apt-get update)?" >&2
		exit 1
	fi
	abi=$common
fi

dir=$out/$abi
debs=$out/debs
mkdir -p "$debs" "$dir"
pkgs=(linux-image-$abi-amd64 linux-headers-$abi-amd64 linux-image-$abi-686:i386
      linux-headers-$abi-686:i386 linux-headers-$abi-common linux-kbuild-6.1)
echo "oomtest: fetching Linux $abi for x86_64 and i386 from Debian"
if ! (cd "$debs" && apt-get download -q "${pkgs[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed'); then
	refresh_apt
	(cd "$debs" && apt-get download -q "${pkgs[@]}") || {
		echo "oomtest: apt-get download failed for ABI $abi (pin another with OOMTEST_KERNEL_ABI)" >&2
		exit 1
	}
fi
for p in "${pkgs[@]}"; do
	name=${p%%:*}
	deb=$(ls -t "$debs/${name}"_*.deb | head -n 1)
	dpkg-deb -x "$deb" "$dir/root"
	echo "# package $name $(dpkg-deb -f "$deb" Version)" >> "$dir/packages.tmp"
done
mv "$dir/packages.tmp" "$dir/packages"

# The flavour headers include the common ones by absolute path: point them
# at the unpacked tree. Their scripts/tools links are relative and resolve
# to the unpacked linux-kbuild.
src=$dir/root/usr/src
for fl in amd64 686; do
	sed -i "s|^include /usr/src/|include $(pwd)/$src/|" "$src/linux-headers-$abi-$fl/Makefile"
done

# x86_64 kernels carry a PVH entry: the uncompressed vmlinux boots through
# it and skips decompression. Find the xz stream inside the bzImage.
bz=$dir/root/boot/vmlinuz-$abi-amd64
off=$(grep -abo $'\xfd7zXZ\x00' "$bz" | head -n 1 | cut -d: -f1)
if [ -n "$off" ] && tail -c +$((off + 1)) "$bz" | xz -dc > "$dir/vmlinux-$abi-amd64.tmp" 2>/dev/null ||
	[ -s "$dir/vmlinux-$abi-amd64.tmp" ]; then
	mv "$dir/vmlinux-$abi-amd64.tmp" "$dir/vmlinux-$abi-amd64"
	kx86=$dir/vmlinux-$abi-amd64
	boot86=pvh
else
	rm -f "$dir/vmlinux-$abi-amd64.tmp"
	kx86=$bz
	boot86=bzimage
fi

{
	echo "# oomtest targets: name arch release kernel kdir boot"
	echo "# abi $abi"
	cat "$dir/packages"
	echo "x86_64 x86_64 $abi-amd64 $kx86 $src/linux-headers-$abi-amd64 $boot86"
	echo "i386 i386 $abi-686 $dir/root/boot/vmlinuz-$abi-686 $src/linux-headers-$abi-686 bzimage"
} > "$list.tmp"
mv "$list.tmp" "$list"
echo "oomtest: targets written to $list"
