# pipeline.sh - a fixture for Walnut's in-guest shell test
# (user/tests/shell_script.c), which runs it as
#
#   /bin/sh pipeline.sh DIR [FILTER]     DIR: writable, default /tmp;
#                                        FILTER is not used here
#
# Builds a three-line file with > and >>, then counts it through
# three-stage pipelines that use <, >, >> and 2> redirections.  When the
# shell, pipes and redirections work it prints exactly pipeline.expected:
#
#   lines=3 words=6 bytes=36
#   pipeline: ok
#
# exits 0 and leaves DIR as it found it.  Needs /bin/sh, cat, wc and rm.

dir=${1:-/tmp}
in=$dir/pipeline-in.$$		# $$: two runs never share files
out=$dir/pipeline-out.$$
err=$dir/pipeline-err.$$

# 11 + 12 + 13 bytes, written three ways of quoting.
echo "alpha beta" > $in
echo 'gamma delta' >> $in
echo epsilon\ zeta >> $in

# Each stage's stdin is the previous one's stdout; only the ends redirect.
cat < $in | cat 2> $err | wc -l > $out
read lines < $out
cat $in | cat 2>> $err | wc -w > $out
read words < $out
cat < $in | wc -c | cat > $out 2> $err
read bytes < $out

echo "lines=$lines words=$words bytes=$bytes"
rm $in $out $err && echo "pipeline: ok"
