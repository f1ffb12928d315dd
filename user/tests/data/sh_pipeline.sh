# sh_pipeline.sh - pipelines and redirections for user/tests/shell_script.c,
# run as: /bin/sh sh_pipeline.sh DIR FILTER
#
# DIR ($1) is a writable directory; the script leaves nothing in it.  FILTER
# ($2) is the test program itself, which filters stdin to stdout when given
# --cat, --upper or --count-lines, so this script needs nothing but the shell
# (pipeline.sh beside it does the same with cat, wc and rm).  The expected
# output is sh_pipeline.expected beside this file.
tmp=$1/sh-pipeline
echo plain echo
echo one two three | "$2" --upper
echo through three stages | "$2" --cat | "$2" --cat | "$2" --upper
echo first > $tmp
echo second >> $tmp
"$2" --count-lines < $tmp
"$2" --cat < $tmp | "$2" --upper
echo a; echo b
"$2" --cat < $tmp > $tmp.copy
"$2" --upper < $tmp.copy
"$2" --unlink $tmp $tmp.copy
echo done
