#!/bin/sh
# user/lib/newlib/build.sh - build and install newlib for Walnut, once.
#
#   build.sh DIR TARBALL JOBS REPLACED -- CONFIGURE-ARGUMENTS...
#
# Run by user/user.mk for DIR/stamp.  Unpacks TARBALL into DIR/src, drops in
# Walnut's machine/_types.h (next to this script), configures and builds in
# DIR/obj, installs into DIR/install (the --prefix among the arguments), and
# takes the objects named in REPLACED out of the installed libc.a, because
# user/lib has its own.  The log is DIR/build.log.
#
# Several makes may want newlib at once (the tree is shared, and one make
# runs rules in parallel): the first takes DIR/lock and builds, the others
# wait for it and then find DIR/stamp up to date.
set -eu

dir=$1 tarball=$2 jobs=$3 replaced=$4
shift 4
[ "$1" = "--" ] && shift
here=$(dirname "$0")

mkdir -p "$dir"
exec 9> "$dir/lock"
flock 9

# Built by another make while we waited?
if [ -f "$dir/stamp" ] && [ "$dir/stamp" -nt "$dir/config" ] &&
   [ "$dir/stamp" -nt "$tarball" ] && [ "$dir/stamp" -nt "$here/machine/_types.h" ] &&
   [ "$dir/stamp" -nt "$0" ]; then
	exit 0
fi

# Measured on the project's two-core build machine, with other people's
# work beside it: 2 min 49 s, 3 min 36 s and 4 min 25 s, for 3 minutes of
# CPU time.
echo "  NEWLIB  $tarball -> $dir/install: C library for i686-elf, built once"
echo "          (about 3 minutes on two cores; progress in $dir/build.log)"
rm -rf "$dir/src" "$dir/obj" "$dir/install" "$dir/stamp"
mkdir -p "$dir/src" "$dir/obj"
tar -xf "$tarball" -C "$dir/src" --strip-components=1
cp "$here/machine/_types.h" "$dir/src/newlib/libc/machine/i386/machine/"

# newlib's own makes get none of the calling make's flags or variables
# (MAKEFLAGS would hand them e.g. a CC=... from our command line).
sub_make() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -j"$jobs" "$@"
}
step() {
	echo "  NEWLIB  $1"
	shift
	if ! ( cd "$dir/obj" && "$@" ) >> "$dir/build.log" 2>&1; then
		tail -30 "$dir/build.log"
		echo "newlib build failed: $dir/build.log" >&2
		exit 1
	fi
}
: > "$dir/build.log"
step "configure" ../src/configure "$@"
step "compile (most of the time)" sub_make all-target-newlib
step "install" sub_make install-target-newlib
# shellcheck disable=SC2086
${AR:-ar} d "$dir/install/i686-elf/lib/libc.a" $replaced
rm -rf "$dir/obj"
touch "$dir/stamp"
