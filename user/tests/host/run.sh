#!/bin/bash
# user/tests/host/run.sh - Walnut's programs, built for Linux and checked there.
#
#   user/tests/host/run.sh [-v] [-k] [-b DIR]
#
#   -v       print both outputs of a failure
#   -k       keep the scratch directory
#   -b DIR   check the programs already built in DIR/bin and DIR/sbin
#            instead of building them with glibc: "make user" then
#            "run.sh -b build/user" checks the newlib-glue builds, which
#            run here too since the glue speaks the Linux ABI
#
# Walnut runs static Linux i386 binaries, so the very sources of user/bin and
# user/sbin, built here with i686-linux-gnu-gcc against glibc, run on this
# host, and Linux -- with dash and coreutils beside them -- is the oracle for
# what they must do.  The script builds every program into a temporary
# directory, runs the checks there, and prints one line per check,
#
#   TEST name PASS
#   TEST name FAIL why
#   TEST name SKIP why        (a tool this host lacks, or the emulator
#                             cannot show it; counts as neither)
#
# then "N passed, N failed", and exits non-zero if anything failed.
#
# The programs run through tools/run-i386: natively where this host runs
# i386 binaries, else under qemu-i386 (I386_EXEC=qemu forces it).  Under the
# emulator every time limit is 15 times longer (each exec starts a new
# qemu-i386); ps's checks are skipped, because every emulated process's
# name in /proc is qemu-i386; and the scratch directory goes to /dev/shm
# when TMPDIR is unset and /tmp is not a tmpfs, because glibc's 32-bit
# readdir fails with EOVERFLOW on ext4's 64-bit directory offsets, which a
# 32-bit process under a 64-bit emulator is given.  TMPDIR=DIR chooses.
#
# Needs i686-linux-gnu-gcc, coreutils and dash; python3 for the terminal
# (pty) checks of job control; unshare, as root, for init's checks as pid 1
# and with our sh as /bin/sh.  poweroff is built but never run: here, it
# could turn this machine off.

set -u
export LC_ALL=C

top=$(cd "$(dirname "$0")/../../.." && pwd)
CC=${CC:-i686-linux-gnu-gcc}
CFLAGS="-static -O2 -Wall -Wextra -Werror"
verbose=0
keep=0
prebuilt=
while [ $# -gt 0 ]; do
	case $1 in
	-v) verbose=1 ;;
	-k) keep=1 ;;
	-b) prebuilt=$(cd "${2:?-b needs a directory}" && pwd) || exit 2; shift ;;
	*) echo "usage: $0 [-v] [-k] [-b DIR]" >&2; exit 2 ;;
	esac
	shift
done

# Natively where this host runs i386 programs, else under qemu-i386: then
# each $bin/NAME is a stand-in that runs $i386/NAME under the emulator, so
# that our sh can exec our ls (tools/run-i386).
run_i386=$top/tools/run-i386
i386_exec=$("$run_i386" --mode) || exit 2
limit=20		# seconds for one command
tmp=${TMPDIR:-/tmp}
if [ "$i386_exec" = qemu ]; then
	limit=300
	if [ -z "${TMPDIR:-}" ] && [ "$(stat -f -c %T /tmp)" != tmpfs ] &&
	   [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && [ -w /dev/shm ]; then
		tmp=/dev/shm
	fi
	echo "# under qemu-i386 (tools/run-i386); scratch in $tmp"
fi

work=$(mktemp -d "$tmp/walnut-user-host.XXXXXX") || exit 2
[ $keep = 1 ] || trap 'rm -rf "$work"' EXIT
i386=$work/i386		# the i386 binaries
bin=$work/bin		# what runs them here: tools/run-i386 --wrap
scratch=$work/scratch	# each check's working directory
mkdir -p "$bin" "$i386"
ourpath=$bin:/usr/bin:/bin

passed=0
failed=0

pass() { echo "TEST $1 PASS"; passed=$((passed + 1)); }
fail() { echo "TEST $1 FAIL $2"; failed=$((failed + 1)); }
skip() { echo "TEST $1 SKIP $2"; }

# same NAME EXPECTED GOT
same() {
	if [ "$2" = "$3" ]; then
		pass "$1"
		return
	fi
	fail "$1" "output differs"
	if [ $verbose = 1 ]; then
		echo "--- expected"; printf '%s\n' "$2"
		echo "--- got"; printf '%s\n' "$3"
		echo "---"
	fi
}

# check NAME CONDITION-COMMAND...: pass if the command succeeds
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name" "$*"; fi
}

fresh() {
	rm -rf "$scratch"
	mkdir -p "$scratch"
	cd "$scratch" || exit 2
}

# Our shell, in the scratch directory, with our programs first in PATH.
wsh() {
	PATH=$ourpath HOME=$scratch timeout $limit "$bin/sh" "$@"
}

# The same, with dash as the shell: the oracle for the shell's checks.
dsh() {
	PATH=$ourpath HOME=$scratch timeout $limit dash "$@"
}

# vs_dash NAME SCRIPT [ARGS]: stdout and status of sh -c must equal dash's.
vs_dash() {
	local name=$1 script=$2 ours theirs
	shift 2
	fresh
	ours=$(wsh -c "$script" "$@" 2>/dev/null; echo "status $?")
	fresh
	theirs=$(dsh -c "$script" "$@" 2>/dev/null; echo "status $?")
	same "$name" "$theirs" "$ours"
}

# Run a program of ours: stdout and stderr together, then "status N".
run() {
	local prog=$1
	shift
	timeout $limit "$bin/$prog" "$@" 2>&1
	echo "status $?"
}

# ---------------------------------------------------------------------------
# Build

build() {
	local src name
	for src in "$top"/user/sbin/*.c "$top"/user/bin/*.c; do
		name=$(basename "$src" .c)
		if [ -n "$prebuilt" ]; then
			src=${src#"$top"/user/}
			cp "$prebuilt/${src%.c}" "$i386/$name" 2> /dev/null
			check "prebuilt_$name" test -x "$i386/$name"
		elif $CC $CFLAGS -o "$i386/$name" "$src" 2> "$work/build-$name.log"; then
			pass "build_$name"
		else
			fail "build_$name" "$(head -3 "$work/build-$name.log" | tr '\n' ' ')"
		fi
		[ -x "$i386/$name" ] && "$run_i386" --wrap "$i386/$name" "$bin/$name"
	done
}

# ---------------------------------------------------------------------------
# The shell, compared with dash

shell_vs_dash() {
	vs_dash sh_quoting 'x="a  b"
printf "[%s]" $x "$x" '"'"'$x'"'"' "\$x" ${x} "a\nb" "a\\b" '"'"'it'"''"'s'"'"' \" a\ \ b ""; echo'
	vs_dash sh_params 'printf "[%s]" "$#" "$0" "$1" "$@" "x$@y" $* "$*" ${10}; echo' \
		name a 'b c' 3 4 5 6 7 8 9 ten
	vs_dash sh_no_params 'printf "[%s]" "$@" "$#"; echo'
	vs_dash sh_braces 'e=
printf "[%s]" ${u:-def} "${u:-d e f}" ${u:-d e f} ${e:-empty} ${e-unset} ${e:+set} ${HOME:+set}
printf "[%s]" ${v=assigned} "$v" ${#v} ${#u} "${e:=now}" "$e" ${u:-$e} "${u:-$v x}"; echo'
	vs_dash sh_tilde 'printf "[%s]" ~ ~/x "~" x~ a=~; echo'
	vs_dash sh_specials 'printf "[%s]" $ "$" a$ "$"x; echo; [ "$$" -gt 1 ] && echo pid-ok'
	vs_dash sh_and_or 'true && echo a; false && echo b; false || echo c; true || echo d
! false && echo e; ! true || echo f; false && echo g || echo h; true || echo i && echo j'
	vs_dash sh_pipe_status 'false | true; echo $?; true | false; echo $?; ! true | false; echo $?'
	vs_dash sh_exit_status 'false; echo $?; sh -c "exit 42"; echo $?; true; echo $?
sh -c "kill -KILL \$\$"; echo $?; sh -c "kill \$\$"; echo $?'
	vs_dash sh_assign 'a=1 b=2; echo $a$b; a=$b$a; echo $a; c="x y" d=$c; echo "$d"'
	vs_dash sh_export 'export A=1; sh -c "echo [\$A]"; B=2 sh -c "echo [\$B]"; echo "[$B]"
C=3; sh -c "echo [\$C]"; export C; sh -c "echo [\$C]"; unset A; sh -c "echo [\$A]"'
	vs_dash sh_cd 'cd /; pwd; cd; pwd | wc -c; cd /usr; cd -; cd /nonexistent || echo failed; pwd'
	vs_dash sh_redirect 'echo hi > f; echo there >> f; cat < f; wc -l < f
ls nosuch 2> err; echo st $?; wc -l < err
cat nosuch 2>&1 | wc -l; echo x 2>&1 > /dev/null; echo y >| g; cat g
echo one 1> h 2> h2; cat h; cat < nosuch || echo failed; echo z > /nonexistent/f || echo failed'
	vs_dash sh_dup_fds 'exec 3> three; echo to3 >&3; exec 3>&-; cat three
echo err >&2 2> /dev/null; echo $?'
	vs_dash sh_builtin_redirect 'pwd > p; cat p | wc -l; cd / > q; pwd; export > /dev/null; echo ok'
	vs_dash sh_pipeline 'echo a b c | wc -w; echo x | cat | cat | cat | cat | cat | cat | cat | wc -c
printf "3\n1\n2\n" | cat | wc -l | cat'
	vs_dash sh_background 'sleep 0.2 & p=$!; echo started; wait $p; echo waited $?
sh -c "exit 3" & wait $!; echo $?; false && echo no & wait; echo all; wait; echo $?'
	vs_dash sh_test '[ a = a ]; echo $?; [ a = b ]; echo $?; test -d /; echo $?; [ -f / ]; echo $?
[ 3 -lt 10 ]; echo $?; [ ! -e /nope ]; echo $?; [ -n "" ]; echo $?; [ -z "" ]; echo $?
test; echo $?; [ x -eq 1 ]; echo $?; [ a; echo $?; test ! a = a; echo $?; [ -x /bin/sh ]; echo $?'
	vs_dash sh_read 'printf "a b  c\nline2\n" > f; read x y < f; echo "[$x][$y]"; read -r z < f; echo "$z"'
	vs_dash sh_exit_builtin 'echo before; exit 7; echo after'
	vs_dash sh_exit_last 'false; exit'
	vs_dash sh_exec 'exec echo replaced; echo not'
	vs_dash sh_comments 'echo a # comment
# whole line
echo b#c "#d" \#e'
	vs_dash sh_multiline 'echo "a
b"; echo x \
y; echo p |
wc -l; true &&
echo q'
}

# ---------------------------------------------------------------------------
# The shell: its own messages, scripts and input

shell_errors() {
	fresh
	same sh_not_found "$(printf 'sh: nosuchcmd: not found\n127')" \
		"$(wsh -c 'nosuchcmd; echo $?' 2>&1)"
	same sh_not_found_path "$(printf 'sh: ./nosuch: not found\n127')" \
		"$(wsh -c './nosuch; echo $?' 2>&1)"
	echo 'echo no' > noexec
	same sh_not_executable "$(printf 'sh: ./noexec: Permission denied\n126')" \
		"$(wsh -c './noexec; echo $?' 2>&1)"
	printf 'echo from a script without a first line\n' > plain; chmod +x plain
	same sh_enoexec_script "from a script without a first line" "$(wsh -c './plain' 2>&1)"
	same sh_syntax_pipe "$(printf "sh: syntax error: unexpected end of file\nstatus 2")" \
		"$(wsh -c 'echo a |' 2>&1; echo "status $?")"
	same sh_syntax_quote "status 2" "$(wsh -c 'echo "x' 2>/dev/null; echo "status $?")"
	same sh_syntax_token "$(printf "sh: syntax error near unexpected ';'\nstatus 2")" \
		"$(wsh -c 'echo a; ; b' 2>&1; echo "status $?")"
	same sh_unsupported "$(printf 'sh: subshells are not supported\nstatus 2')" \
		"$(wsh -c '(echo x)' 2>&1; echo "status $?")"
	printf 'echo one\necho two |; echo three\necho four\n' > bad.sh
	same sh_script_syntax_stops "$(printf 'one\nstatus 2')" \
		"$(wsh bad.sh 2>/dev/null; echo "status $?")"
	same sh_bad_exit_arg "status 2" "$(wsh -c 'exit abc' 2>/dev/null; echo "status $?")"
	same sh_cd_error "$(printf "sh: cd: /nonexistent: No such file or directory\n1")" \
		"$(wsh -c 'cd /nonexistent; echo $?' 2>&1)"
	same sh_redirect_error "$(printf "sh: /nonexistent/f: No such file or directory\n1")" \
		"$(wsh -c 'echo x > /nonexistent/f; echo $?' 2>&1)"
	same sh_signal_message "$(printf 'Killed\n137')" \
		"$(wsh -c 'sh -c "kill -KILL \$\$"; echo $?' 2>&1)"
	same sh_bad_option "status 2" "$(wsh -Z 2>/dev/null; echo "status $?")"
	same sh_missing_script "status 127" "$(wsh /nonexistent 2>/dev/null; echo "status $?")"
}

shell_scripts() {
	fresh
	cat > script.sh <<'EOF'
# a script with comments, arguments and continuation lines
echo "args: $# [$1] [$2]"   # trailing comment
greeting="hello \
world"
echo $greeting |
	wc -w
# the last line has no newline and sets the status
exit 4
EOF
	same sh_script_file "$(printf 'args: 2 [a] [b c]\n2\nstatus 4')" \
		"$(wsh script.sh a 'b c'; echo "status $?")"
	printf 'echo no newline at the end' > nonl.sh
	same sh_script_no_newline "no newline at the end" "$(wsh nonl.sh)"
	same sh_fixture_pipeline "$(cat "$top/user/tests/data/pipeline.expected")" \
		"$(wsh "$top/user/tests/data/pipeline.sh" "$scratch" 2>&1)"
	check sh_fixture_cleans_up test -z "$(ls "$scratch" | grep pipeline-)"
	# stdin shared with the commands it runs: read must get the next line
	same sh_stdin_pipe_shared "$(printf 'got [hello world]\nafter')" \
		"$(printf 'read x\nhello world\necho "got [$x]"\necho after\n' | wsh)"
	printf 'read x\nhello world\necho "got [$x]"\necho after\n' > in.sh
	same sh_stdin_file_shared "$(printf 'got [hello world]\nafter')" "$(wsh < in.sh)"
	same sh_dash_c_args "[n][a][b]" "$(wsh -c 'printf "[%s]" "$0" "$@"' n a b)"
}

shell_limits() {
	fresh
	# No fixed limits: a 20000-word line, a 100 KB word, a 40-stage pipeline.
	{ printf 'echo'; for i in $(seq 20000); do printf ' w%d' "$i"; done; echo ' | wc -w'; } > long.sh
	same sh_long_line 20000 "$(wsh long.sh)"
	big=$(head -c 100000 /dev/zero | tr '\0' x)
	same sh_long_word 100001 "$(wsh -c "echo $big | wc -c")"
	same sh_long_pipeline 2 "$(wsh -c "echo x $(for i in $(seq 40); do printf '| cat '; done) | wc -c")"
	# 20000 lines must leave the shell's memory and fds as they were.
	{
		echo 'read a rss rest < /proc/$$/statm; echo $rss > rss0; ls /proc/$$/fd | wc -l > fd0'
		for i in $(seq 20000); do
			echo "x=abc$i; export y=\$x; pwd > /dev/null; : \${z:-w} 2> /dev/null"
			[ $((i % 40)) = 0 ] && echo 'true | true; cat < /dev/null'
		done
		echo 'read a rss rest < /proc/$$/statm; echo $rss > rss1; ls /proc/$$/fd | wc -l > fd1'
	} > many.sh
	wsh many.sh
	local r0 r1
	r0=$(cat rss0 2>/dev/null || echo 0)
	r1=$(cat rss1 2>/dev/null || echo 999999)
	check sh_memory_flat test $((r1 - r0)) -lt 64	# pages
	same sh_fds_flat "$(cat fd0 2>/dev/null)" "$(cat fd1 2>/dev/null)"
	# Many background jobs, never waited for, are reaped all the same.
	{ for i in $(seq 200); do echo 'true &'; done; echo 'sleep 0.5'; echo 'ps > ps.out; echo $$'; } > bg.sh
	local shpid
	shpid=$(wsh bg.sh)
	same sh_background_reaped 0 "$(awk -v p="$shpid" '$2 == p && $3 == "Z"' ps.out | wc -l)"
}

# ---------------------------------------------------------------------------
# The shell on a terminal, driven through a pty

# ptydrive ARGV...: run ARGV on a new pty, type the lines of $SCRIPT (and
# @sleep N, @intr for ^C, @susp for ^Z, @kill to end with SIGKILL), then ^D;
# print what the terminal showed, then "EXIT status".
cat > "$work/ptydrive.py" <<'PYTHON'
import os, pty, select, sys, time

pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b''
def drain(t):
    global out
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                d = os.read(fd, 4096)
            except OSError:
                return
            if not d:
                return
            out += d
drain(0.5)
killed = False
for line in os.environ['SCRIPT'].split('\n'):
    if line.startswith('@sleep '):
        drain(float(line[7:]))
    elif line == '@intr':
        os.write(fd, b'\x03'); drain(0.5)
    elif line == '@susp':
        os.write(fd, b'\x1a'); drain(0.5)
    elif line == '@kill':
        os.kill(pid, 9); killed = True; break
    else:
        os.write(fd, line.encode() + b'\n'); drain(0.4)
if not killed:
    os.write(fd, b'\x04'); drain(0.5)
deadline = time.time() + 10
while True:
    p, st = os.waitpid(pid, os.WNOHANG)
    if p:
        break
    if time.time() > deadline:
        os.kill(pid, 9)
    time.sleep(0.05)
sys.stdout.write(out.decode(errors='replace').replace('\r\n', '\n'))
print('EXIT', os.waitstatus_to_exitcode(st))
PYTHON

ptydrive() {
	python3 "$work/ptydrive.py" "$@"
}

# has NAME TEXT PATTERN: pass if the grep -E pattern is in the text
has() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		pass "$1"
	else
		fail "$1" "no /$3/ in the transcript"
		[ $verbose = 1 ] && printf '%s\n' "$2"
	fi
}

shell_tty() {
	if ! command -v python3 > /dev/null; then
		skip sh_tty "no python3 for the pty"
		return
	fi
	fresh
	local t
	t=$(SCRIPT='echo hello
sleep 10
@intr
echo after $?
sleep 0.2 &
@sleep 0.6
echo next
echo more
sleep 10
@susp
jobs
fg
@intr
echo fg-status $?
exit 3' PATH=$ourpath ptydrive "$bin/sh")
	has sh_tty_prompt "$t" '^\$ echo hello$'
	has sh_tty_ctrl_c_kills_job "$t" '^after 130$'
	has sh_tty_background_pid "$t" '^\[[0-9]+\]$'
	has sh_tty_background_done "$t" '^\[[0-9]+\] Done$'
	has sh_tty_ctrl_z_stops "$t" '^\[[0-9]+\] Stopped$'
	has sh_tty_fg_resumes "$t" '^fg-status 130$'
	has sh_tty_exit_status "$t" '^EXIT 3$'
	t=$(SCRIPT='echo a b c | wc -w' PATH=$ourpath ptydrive "$bin/sh")
	has sh_tty_pipeline "$t" '^3$'
	has sh_tty_eof_exits "$t" '^\$ $'
	has sh_tty_eof_status "$t" '^EXIT 0$'
}

# ---------------------------------------------------------------------------
# init

init_checks() {
	fresh
	same init_once_status "$(printf 'init: running sh\nhi\nstatus 3')" \
		"$(PATH=$ourpath run init sh -c 'echo hi; exit 3' < /dev/null)"
	same init_default_env "$(printf 'init: running %s\n/bin:/sbin / vt100 /\nstatus 0' "$bin/sh")" \
		"$(env -i "$bin/init" "$bin/sh" -c 'echo $PATH $HOME $TERM $PWD' < /dev/null 2>&1; echo "status $?")"
	same init_keeps_env "$(printf 'init: running sh\n%s /y z\nstatus 0' "$ourpath")" \
		"$(PATH=$ourpath HOME=/y TERM=z "$bin/init" sh -c 'echo $PATH $HOME $TERM' < /dev/null 2>&1; echo "status $?")"
	same init_not_found "$(printf 'init: running nosuch\ninit: nosuch: No such file or directory\nstatus 127')" \
		"$(run init nosuch < /dev/null)"
	if ! unshare -fp --mount-proc true 2>/dev/null; then
		skip init_pid1 "unshare -p needs root"
		return
	fi
	# As pid 1 of a new pid namespace, init must also reap the orphan sleep.
	local start end
	start=$(date +%s%N)
	same init_pid1_reaps_orphans "$(printf 'init: running sh\n1\nstatus 5')" \
		"$(PATH=$ourpath unshare -fp --mount-proc "$bin/init" sh -c 'sleep 0.5 & echo $PPID; exit 5' < /dev/null 2>&1; echo "status $?")"
	end=$(date +%s%N)
	check init_pid1_waited_for_orphan test $(((end - start) / 1000000)) -ge 450
	if [ "$i386_exec" = qemu ]; then
		skip init_pid1_ps "under qemu-i386 every process in /proc is named qemu-i386"
	else
		same init_pid1_ps "$(printf 'init: running sh\n  PID  PPID S CMD\n    1     0 S init\n    2     1 S sh\n    4     2 R ps\nstatus 0')" \
			"$(PATH=$ourpath unshare -fp --mount-proc "$bin/init" sh -c 'sleep 0.3; ps' < /dev/null 2>&1; echo "status $?")"
	fi
	init_shell_mode
}

# init's usual life: /bin/sh on the terminal, restarted when it exits.  Our
# sh is bind-mounted on /bin/sh in a mount namespace of its own.
init_shell_mode() {
	if ! command -v python3 > /dev/null; then
		skip init_shell "no python3 for the pty"
		return
	fi
	if ! unshare -m dash -c "mount --bind '$bin/sh' /bin/sh" 2>/dev/null; then
		skip init_shell "cannot bind-mount our sh on /bin/sh"
		return
	fi
	local t
	t=$(SCRIPT='echo first $$
kill -INT $PPID; kill -TERM $PPID; echo init-alive
exit
@sleep 1.5
echo second $$
@kill' PATH=$ourpath unshare -m dash -c \
		'mount --bind "$1" /bin/sh && shift && exec python3 "$@"' \
		- "$bin/sh" "$work/ptydrive.py" "$bin/init" 2>&1)
	has init_shell_banner "$t" '^init: Walnut is up, starting /bin/sh$'
	has init_shell_runs_sh "$t" '^first [0-9]+$'
	has init_ignores_int_term "$t" '^init-alive$'
	has init_restarts_shell "$t" '^init: starting a new /bin/sh$'
	has init_second_shell "$t" '^second [0-9]+$'
}

# ---------------------------------------------------------------------------
# Utilities, against coreutils where they overlap

echo_checks() {
	fresh
	local args
	for args in 'a b' '-n a' '-n' '' 'a\nb' '-- x' '-x y' '-n -n z' 'a  b'; do
		# shellcheck disable=SC2086
		same "echo_vs_coreutils[$args]" "$(/bin/echo $args; echo "status $?")" \
			"$(run echo $args)"
	done
	same echo_write_error "$(printf 'echo: write error: No space left on device\nstatus 1')" \
		"$("$bin/echo" hi 2>&1 > /dev/full; echo "status $?")"
}

cat_checks() {
	fresh
	printf 'one\ntwo\n' > f1
	printf 'three' > f2
	same cat_files_and_stdin "$(echo in | /bin/cat f1 - f2)" "$(echo in | "$bin/cat" f1 - f2)"
	same cat_stdin "$(printf 'x\ny\n')" "$(printf 'x\ny\n' | "$bin/cat")"
	same cat_missing "$(printf 'one\ntwo\ncat: nosuch: No such file or directory\nthreestatus 1')" \
		"$(run cat f1 nosuch f2)"
	mkdir d
	same cat_directory "$(printf 'cat: d: Is a directory\nstatus 1')" "$(run cat d)"
	head -c 3000000 /dev/urandom > big
	"$bin/cat" big > big2
	check cat_large_binary cmp -s big big2
}

# wc's counts, whatever the padding, must be coreutils'.
wc_checks() {
	fresh
	printf 'one two\nthree\n\n  four\tfive six  \n' > a
	printf 'no newline at end' > b
	: > empty
	printf 'x\r\ny\vz\fw\n' > c
	local opts norm='tr -s " " | sed "s/^ //"'
	for opts in '' -l -w -c -lw -wc -lwc; do
		# shellcheck disable=SC2086
		same "wc_vs_coreutils[$opts]" \
			"$(/usr/bin/wc $opts a b empty c | eval "$norm")" \
			"$("$bin/wc" $opts a b empty c | eval "$norm")"
		# shellcheck disable=SC2086
		same "wc_stdin_vs_coreutils[$opts]" "$(/usr/bin/wc $opts < a | eval "$norm")" \
			"$("$bin/wc" $opts < a | eval "$norm")"
	done
	same wc_single_unpadded "3" "$(echo a b c | "$bin/wc" -w)"
	same wc_missing "$(printf '      4       6      33 a\nwc: nosuch: No such file or directory\n      4       6      33 total\nstatus 1')" \
		"$(run wc a nosuch)"
}

ls_checks() {
	fresh
	mkdir -p t/sub t/empty && cd t || return
	printf 'hello\n' > file
	head -c 5000 /dev/zero > big
	touch .hidden 'with space' Zupper
	ln -s file link
	ln -s nowhere dangling
	ln file hard
	chmod 4755 big
	chmod 1777 empty
	mkfifo fifo
	touch -d '2020-01-02 03:04' file
	local norm='sed "s/^\([^ ]*\)[.+] /\1 /"'
	same ls_plain_vs_coreutils "$(/bin/ls)" "$("$bin/ls")"
	same ls_a_vs_coreutils "$(/bin/ls -a)" "$("$bin/ls" -a)"
	same ls_la_vs_coreutils \
		"$(/bin/ls -lan --time-style='+%Y-%m-%d %H:%M' | eval "$norm")" \
		"$("$bin/ls" -la)"
	# (coreutils pads the files' sizes to the directories' widths too)
	same ls_l_operands_vs_coreutils \
		"$(/bin/ls -ln --time-style='+%Y-%m-%d %H:%M' file link sub . | eval "$norm" | tr -s ' ')" \
		"$("$bin/ls" -l file link sub . | tr -s ' ')"
	same ls_operands_vs_coreutils "$(/bin/ls file sub empty link)" \
		"$("$bin/ls" file sub empty link)"
	ln -s sub linkdir
	same ls_symlink_to_dir "$(/bin/ls linkdir)" "$("$bin/ls" linkdir)"
	same ls_missing "$(printf 'ls: nosuch: No such file or directory\nfile\nstatus 1')" \
		"$(run ls nosuch file)"
	if [ "$(id -u)" = 0 ]; then
		skip ls_unreadable_dir "root reads every directory"
	else
		same ls_unreadable_dir "status 1" "$(chmod 0 empty; run ls empty | tail -1)"
		chmod 1777 empty
	fi
	cd "$scratch" || return
}

mkdir_rmdir_checks() {
	fresh
	same mkdir_missing_parent "$(printf 'mkdir: a/b: No such file or directory\nstatus 1')" \
		"$(run mkdir a/b)"
	same mkdir_p "status 0" "$(run mkdir -p a/b/c//d/)"
	check mkdir_p_made_all test -d a/b/c/d
	same mkdir_p_again "status 0" "$(run mkdir -p a/b/c/d)"
	same mkdir_exists "$(printf 'mkdir: a: File exists\nstatus 1')" "$(run mkdir a)"
	touch f
	same mkdir_p_through_file "status 1" "$(run mkdir -p f/x 2>&1 | tail -1)"
	same mkdir_several "status 0" "$(run mkdir x y z)"
	(umask 077; "$bin/mkdir" m)
	same mkdir_umask "drwx------" "$(stat -c %A m)"
	same rmdir_not_empty "$(printf 'rmdir: a: Directory not empty\nstatus 1')" "$(run rmdir a)"
	same rmdir_empty "status 0" "$(run rmdir x y z)"
	check rmdir_removed test ! -e x
	same rmdir_missing "$(printf 'rmdir: x: No such file or directory\nstatus 1')" "$(run rmdir x)"
}

rm_checks() {
	fresh
	touch f g
	mkdir -p d/e && touch d/e/x
	same rm_file "status 0" "$(run rm f)"
	check rm_file_gone test ! -e f
	same rm_missing "$(printf 'rm: nosuch: No such file or directory\nstatus 1')" "$(run rm nosuch)"
	same rm_f_missing "status 0" "$(run rm -f nosuch)"
	same rm_f_no_operands "status 0" "$(run rm -f)"
	same rm_directory "$(printf 'rm: d: Is a directory\nstatus 1')" "$(run rm d)"
	same rm_refuses_dot "$(printf 'rm: .: refusing to remove\nrm: d/..: refusing to remove\nstatus 1')" \
		"$(run rm -rf . d/..)"
	check rm_refused_kept test -e d/e/x
	# a tree deeper than any fd limit would allow if directories stayed open
	local deep=deep i
	for i in $(seq 100); do deep=$deep/n; done
	mkdir -p "$deep" && touch "$deep/leaf" && ln -s / deep/root_link
	same rm_r_tree "status 0" "$(run rm -r d deep g)"
	check rm_r_gone test ! -e d -a ! -e deep -a ! -e g
	check rm_r_kept_symlink_target test -d /usr
}

cp_checks() {
	fresh
	head -c 200000 /dev/urandom > src
	chmod 751 src
	same cp_file "status 0" "$(run cp src dst)"
	check cp_same_bytes cmp -s src dst
	same cp_mode "751" "$(stat -c %a dst)"
	echo old > dst2 && chmod 600 dst2
	run cp src dst2 > /dev/null
	check cp_overwrites cmp -s src dst2
	same cp_keeps_target_mode "600" "$(stat -c %a dst2)"
	mkdir dir
	echo a > a && echo b > b
	same cp_into_dir "status 0" "$(run cp a b src dir)"
	check cp_into_dir_bytes cmp -s src dir/src
	same cp_into_dir_slash "status 0" "$(run cp a dir/)"
	same cp_directory_source "$(printf 'cp: dir: is a directory (not copied)\nstatus 1')" "$(run cp dir x)"
	same cp_same_file "$(printf 'cp: a and ./a are the same file\nstatus 1')" "$(run cp a ./a)"
	same cp_missing "$(printf 'cp: nosuch: No such file or directory\nstatus 1')" "$(run cp nosuch x)"
	same cp_many_to_file "$(printf 'cp: b: Not a directory\nstatus 1')" "$(run cp a src b)"
	same cp_usage "status 1" "$(run cp a | tail -1)"
}

mv_checks() {
	fresh
	echo a > a && echo b > b && mkdir -p d/sub e
	same mv_rename "status 0" "$(run mv a a2)"
	check mv_renamed test -e a2 -a ! -e a
	same mv_across_dirs "status 0" "$(run mv a2 d/sub/a3)"
	check mv_moved test -e d/sub/a3
	same mv_into_dir "status 0" "$(run mv b d/sub/a3 e)"
	check mv_into_dir_moved test -e e/b -a -e e/a3 -a ! -e b
	same mv_dir "status 0" "$(run mv d e)"
	check mv_dir_moved test -d e/d/sub
	same mv_missing "$(printf 'mv: nosuch: No such file or directory\nstatus 1')" "$(run mv nosuch x)"
	same mv_bad_target "$(printf 'mv: nodir/x: No such file or directory\nstatus 1')" \
		"$(run mv e/b nodir/x)"
	same mv_dir_into_itself "status 1" "$(run mv e e/d | tail -1)"
	# Across file systems, where this host has a second one in /dev/shm
	# (or in /tmp, when the scratch directory is in /dev/shm).
	local other=/dev/shm
	[ "$(stat -c %d $other 2>/dev/null)" = "$(stat -c %d .)" ] && other=/tmp
	if [ -d $other ] && [ "$(stat -c %d $other)" != "$(stat -c %d .)" ]; then
		echo cross > $other/walnut-mv.$$
		same mv_exdev "status 0" "$(run mv $other/walnut-mv.$$ crossed)"
		check mv_exdev_moved test "$(cat crossed)" = cross -a ! -e $other/walnut-mv.$$
	else
		skip mv_exdev "no second file system"
	fi
}

ln_checks() {
	fresh
	echo x > t && mkdir d
	same ln_hard "status 0" "$(run ln t h)"
	same ln_hard_same_inode "$(stat -c %i t)" "$(stat -c %i h)"
	same ln_symbolic "status 0" "$(run ln -s t s)"
	same ln_symbolic_target "t" "$(readlink s)"
	same ln_dangling_ok "status 0" "$(run ln -s nowhere s2)"
	same ln_exists "$(printf 'ln: s: File exists\nstatus 1')" "$(run ln -s t s)"
	same ln_force "status 0" "$(run ln -sf h s)"
	same ln_force_target "h" "$(readlink s)"
	same ln_into_dir "status 0" "$(run ln t h d)"
	check ln_into_dir_made test -e d/t -a -e d/h
	same ln_one_operand "status 0" "$(cd d && run ln -s ../s2/)"
	same ln_one_operand_target "../s2/" "$(readlink d/s2)"
	same ln_missing_target "$(printf 'ln: nosuch: No such file or directory\nstatus 1')" \
		"$(run ln nosuch x)"
}

ps_checks() {
	fresh
	# comm with blanks and parentheses: parsed from the last ')'
	cp /bin/sleep './x) (y z'
	local out ids
	out=$(wsh -c './x\)\ \(y\ z 3 & p=$!; sleep 0.2; echo "$p $$"; ps; kill $p')
	ids=${out%%$'\n'*}
	# shellcheck disable=SC2086
	same ps_odd_comm "$(printf '%5d %5d S x) (y z' $ids)" \
		"$(printf '%s\n' "$out" | sed 1d | grep "^ *${ids%% *} ")"
	same ps_header "  PID  PPID S CMD" "$("$bin/ps" | head -1)"
	if [ "$i386_exec" = qemu ]; then
		skip ps_lists_itself "under qemu-i386 ps is named qemu-i386, its /proc/self/stat qemu's"
	else
		check ps_lists_itself sh -c "'$bin/ps' | grep -q ' R ps\$'"
	fi
	same ps_option "status 1" "$(run ps -x | tail -1)"
}

kill_checks() {
	fresh
	local sig
	for sig in '' -TERM -15 '-s TERM' -SIGTERM -term; do
		same "kill_term[$sig]" 143 "$(wsh -c "sleep 5 & kill $sig \$!; wait \$!; echo \$?")"
	done
	for sig in -9 -KILL '-s KILL' '-s kill' -SIGKILL; do
		same "kill_kill[$sig]" 137 "$(wsh -c "sleep 5 & kill $sig \$! 2>&1; wait \$!; echo \$?")"
	done
	# (not a background job: without job control those ignore SIGINT)
	same kill_int 130 "$(wsh -c 'sh -c "kill -INT \$\$; sleep 5"; echo $?')"
	same kill_int_background_ignored 0 "$(wsh -c 'sleep 0.3 & kill -INT $!; wait $!; echo $?')"
	same kill_stop_cont "0" "$(wsh -c 'sleep 0.3 & kill -STOP $!; kill -CONT $!; wait $!; echo $?')"
	same kill_usr1_hup "138 129" "$(wsh -c 'sleep 5 & kill -USR1 $!; wait $!; a=$?; sleep 5 & kill -HUP $!; wait $!; echo $a $?')"
	same kill_zero "status 0" "$(run kill -0 $$)"
	same kill_list_status "TERM" "$("$bin/kill" -l 143)"
	# Numbers typed, listed and in $? are Linux's whatever the C library's are.
	same kill_linux_numbers "$(printf '138 140 135\nUSR1')" \
		"$(wsh -c 'sleep 5 & kill -10 $!; wait $!; a=$?; sleep 5 & kill -12 $!; wait $!; b=$?
sleep 5 & kill -7 $!; wait $!; echo $a $b $?; kill -l 138' 2>/dev/null)"
	check kill_list_names sh -c "'$bin/kill' -l | grep -q ' 9 KILL'"
	same kill_no_such_process "$(printf 'kill: 2147483646: No such process\nstatus 1')" \
		"$(run kill 2147483646)"
	same kill_bad_signal "$(printf 'kill: BOGUS: unknown signal\nstatus 1')" "$(run kill -BOGUS 1)"
	same kill_bad_pid "$(printf 'kill: abc: not a pid\nstatus 1')" "$(run kill abc)"
	same kill_group 143 "$(wsh -c 'setsid sh -c "sleep 5 & sleep 5; wait" & sleep 0.3; kill -- -$!; wait $!; echo $?')"
}

sleep_checks() {
	local start end ms
	start=$(date +%s%N)
	same sleep_fraction "status 0" "$(run sleep 0.3)"
	end=$(date +%s%N)
	ms=$(((end - start) / 1000000))
	check sleep_fraction_long_enough test $ms -ge 290
	check sleep_fraction_not_forever test $ms -lt 5000
	same sleep_sum "status 0" "$(run sleep 0.1 .1s 0)"
	same sleep_invalid "$(printf 'sleep: 1x: invalid time\nstatus 1')" "$(run sleep 1x)"
	same sleep_usage "status 1" "$(run sleep | tail -1)"
	same sleep_interrupted 143 "$(wsh -c 'sleep 5 & kill $!; wait $!; echo $?')"
}

misc_checks() {
	same true_status "status 0" "$(run true ignored args)"
	same false_status "status 1" "$(run false)"
	same sync_status "status 0" "$(run sync)"
	check poweroff_built test -x "$bin/poweroff"
}

# Bad input must give a message and status 1 or 2, never a crash (>= 126).
bad_input_checks() {
	fresh
	local cmd st
	while read -r cmd; do
		# shellcheck disable=SC2086
		timeout $((limit / 2)) "$bin"/$cmd < /dev/null > /dev/null 2>&1
		st=$?
		if [ $st -ge 1 ] && [ $st -le 2 ]; then
			pass "bad_input[$cmd]"
		else
			fail "bad_input[$cmd]" "status $st"
		fi
	done <<'LIST'
ls -Z
wc -Z
wc /
cat /
kill
kill -s
kill -l 999
sleep
sleep -1
sleep .
mkdir
mkdir -q x
rmdir
rm
rm -x
cp
cp -r a b
mv
mv x
ln
ln -q a b
ps -e
sh -Z
sh -c
sh -c ${x
sh -c echo${
sh -c echo"
sh -c exit;;
LIST
}

# ---------------------------------------------------------------------------

build
shell_vs_dash
shell_errors
shell_scripts
shell_limits
shell_tty
init_checks
echo_checks
cat_checks
wc_checks
ls_checks
mkdir_rmdir_checks
rm_checks
cp_checks
mv_checks
ln_checks
ps_checks
kill_checks
sleep_checks
misc_checks
bad_input_checks
cd /
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
