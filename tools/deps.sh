#!/bin/sh
# tools/deps.sh - install what building and testing Walnut needs, from Debian
# packages only.  Safe to run repeatedly: it installs only what is missing.
# Not root?  It prints the one apt-get line to run, and stops.
set -eu

# libc6-dev-i386-cross: glibc for i686-linux-gnu-gcc -static, to build the
# user tests for Linux as well (make linux-tests).  Not gcc-multilib: Debian
# cannot install it beside gcc-i686-linux-gnu.  qemu-user: qemu-i386, which
# runs those i386 programs on a host whose kernel cannot (tools/run-i386).
PKGS="make gcc libc6-dev qemu-system-x86 qemu-user nasm grub-pc-bin grub-common xorriso
mtools gcc-i686-linux-gnu binutils-i686-linux-gnu libc6-dev-i386-cross newlib-source
xz-utils e2fsprogs python3 gdb"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing" >&2
	echo "deps.sh: run this, then try again:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi

echo "deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
