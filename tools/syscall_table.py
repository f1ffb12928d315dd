#!/usr/bin/env python3
"""tools/syscall_table.py - the table of system calls in docs/syscalls.md,
from the sources.

A system call exists in Walnut when some kernel file registers it with one
line (include/syscall.h):

    SYSCALL(__NR_getpid, sys_getpid);

and its number is the `#define __NR_getpid 20` in include/syscall.h.  This
script finds every such line under kernel/ mm/ drivers/ fs/ arch/ and prints
one Markdown row per number.  Comments are skipped, and so are conditional
blocks that leave the line out: `#if 0`, and `#ifdef __NR_x` while
include/syscall.h has no such number.  A row:

    | 20 | `getpid` | `kernel/proc.c: sys_getpid` | notes |

Usage, from the top of the tree:

    tools/syscall_table.py                     print the rows (notes empty)
    tools/syscall_table.py --check DOC         exit 1 if DOC's table lacks a
                                               registered call, lists one that
                                               is not registered, or names the
                                               wrong file or function
    tools/syscall_table.py --update DOC        rewrite DOC's table from the
                                               sources, keeping each row's notes

DOC's table is the block between the lines `<!-- syscall-table begin -->` and
`<!-- syscall-table end -->`.  --check prints one line in the form every test
in Walnut prints (docs/testing.md):

    TEST docs_syscalls_table PASS
    TEST docs_syscalls_table FAIL <what is wrong>

The script also fails on a SYSCALL() line whose number has no #define, and on
a number registered twice (the kernel would panic at boot: syscall_init).
"""
import argparse
import os
import re
import sys

SOURCE_DIRS = ("kernel", "mm", "drivers", "fs", "arch")
NUMBERS_HEADER = os.path.join("include", "syscall.h")
BEGIN = "<!-- syscall-table begin -->"
END = "<!-- syscall-table end -->"
HEADER = ["| nr | name | where (file: function) | status and notes |",
          "|---:|---|---|---|"]
TEST_NAME = "docs_syscalls_table"

DEFINE_RE = re.compile(r"^\s*#\s*define\s+__NR_(\w+)\s+(\d+)\b", re.M)
SYSCALL_RE = re.compile(r"^\s*SYSCALL\(\s*__NR_(\w+)\s*,\s*(\w+)\s*\)\s*;", re.M)
ROW_RE = re.compile(r"^\|\s*(\d+)\s*\|\s*`?(\w+)`?\s*\|\s*`?([^|`]*?)`?\s*\|(.*)\|\s*$")


class TableError(Exception):
    pass


def strip_comments(text):
    """C source without comments (kept as blank lines, so line numbers
    stay)."""
    def blank(m):
        return "\n" * m.group(0).count("\n")
    # Strings first, so a "/*" inside one is not taken for a comment.
    token = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*',
                       re.S)
    return token.sub(lambda m: m.group(0) if m.group(0)[0] in "\"'" else blank(m), text)


def preprocess(text, defined):
    """Blank out the lines a conditional leaves out.  What can be decided
    is decided: #if 0/1, #ifdef/#ifndef/#if defined(X), where X is defined
    if include/syscall.h or this file #defines it (so `#ifdef __NR_pipe2`
    counts only once the number exists); any other #if is taken as true."""
    defined = set(defined)
    out, stack = [], []          # stack: [taking this branch, some branch taken]

    def active():
        return all(take for take, _ in stack)

    for line in text.split("\n"):
        s = line.strip()
        m = re.match(r"#\s*(ifdef|ifndef|if|elif|else|endif|define)\b\s*(.*)", s)
        if not m:
            out.append(line if active() else "")
            continue
        kw, rest = m.group(1), m.group(2).strip()
        if kw == "define":
            if active():
                defined.add(rest.split("(")[0].split()[0] if rest else "")
            out.append(line if active() else "")
            continue
        if kw in ("ifdef", "ifndef"):
            cond = (rest.split()[0] in defined) == (kw == "ifdef") if rest else True
            stack.append([cond, cond])
        elif kw == "if":
            cond = evaluate(rest, defined)
            stack.append([cond, cond])
        elif kw == "elif" and stack:
            cond = not stack[-1][1] and evaluate(rest, defined)
            stack[-1] = [cond, stack[-1][1] or cond]
        elif kw == "else" and stack:
            stack[-1] = [not stack[-1][1], True]
        elif kw == "endif" and stack:
            stack.pop()
        out.append("")
    return "\n".join(out)


def evaluate(expr, defined):
    m = re.fullmatch(r"(!)?\s*defined\s*\(?\s*(\w+)\s*\)?", expr)
    if m:
        return (m.group(2) in defined) != bool(m.group(1))
    if re.fullmatch(r"\d+", expr):
        return int(expr) != 0
    return True


def read_numbers(root):
    with open(os.path.join(root, NUMBERS_HEADER)) as f:
        return {name: int(nr) for name, nr in DEFINE_RE.findall(f.read())}


def source_files(root):
    for top in SOURCE_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for fn in sorted(filenames):
                if fn.endswith(".c"):
                    yield os.path.join(dirpath, fn)


def registered(root):
    """{number: (name, "file: function")} from every SYSCALL() line."""
    numbers = read_numbers(root)
    table, errors = {}, []
    for path in source_files(root):
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        with open(path, errors="replace") as f:
            text = preprocess(strip_comments(f.read()), {"__NR_" + n for n in numbers})
        for m in SYSCALL_RE.finditer(text):
            name, fn = m.group(1), m.group(2)
            line = text.count("\n", 0, m.start()) + 1
            if name not in numbers:
                errors.append(f"{rel}:{line}: __NR_{name} has no #define in {NUMBERS_HEADER}")
                continue
            nr = numbers[name]
            if nr in table:
                errors.append(f"{rel}:{line}: number {nr} ({name}) is registered twice, "
                              f"also by {table[nr][1]}")
                continue
            table[nr] = (name, f"{rel}: {fn}")
    if errors:
        raise TableError("; ".join(errors))
    return table


def row(nr, name, where, notes=""):
    notes = notes.strip()
    return f"| {nr} | `{name}` | `{where}` | " + (notes + " |" if notes else "|")


def rows(table, notes=None):
    notes = notes or {}
    return [row(nr, name, where, notes.get(nr, ""))
            for nr, (name, where) in sorted(table.items())]


def doc_table(lines):
    """(begin index, end index, {nr: (name, where, notes)}) of DOC's table."""
    try:
        begin = next(i for i, l in enumerate(lines) if l.strip() == BEGIN)
        end = next(i for i, l in enumerate(lines) if i > begin and l.strip() == END)
    except StopIteration:
        raise TableError(f"no '{BEGIN}' ... '{END}' block")
    found = {}
    for l in lines[begin + 1:end]:
        m = ROW_RE.match(l.strip())
        if m:
            nr = int(m.group(1))
            if nr in found:
                raise TableError(f"number {nr} has two rows")
            found[nr] = (m.group(2), m.group(3).strip(), m.group(4))
    return begin, end, found


def compare(table, found):
    """What is wrong with the doc's rows, as short phrases."""
    problems = []
    missing = [f"{nr} {name}" for nr, (name, _) in sorted(table.items()) if nr not in found]
    stale = [f"{nr} {found[nr][0]}" for nr in sorted(found) if nr not in table]
    wrong = [f"{nr}: the sources have {name} in {where}, the table "
             f"{found[nr][0]} in {found[nr][1]}"
             for nr, (name, where) in sorted(table.items())
             if nr in found and (found[nr][0], found[nr][1]) != (name, where)]
    if missing:
        problems.append("registered but not in the table: " + ", ".join(missing))
    if stale:
        problems.append("in the table but not registered: " + ", ".join(stale))
    if wrong:
        problems.append("wrong row: " + "; ".join(wrong))
    return problems


def check(root, doc):
    try:
        table = registered(root)
        with open(doc) as f:
            _, _, found = doc_table(f.read().split("\n"))
    except (OSError, TableError) as e:
        print(f"TEST {TEST_NAME} FAIL {e}")
        return 1
    problems = compare(table, found)
    if problems:
        print(f"TEST {TEST_NAME} FAIL {doc}: " + " | ".join(problems)
              + f" (regenerate: tools/syscall_table.py --update {doc})")
        return 1
    print(f"TEST {TEST_NAME} PASS")
    return 0


def update(root, doc):
    table = registered(root)
    with open(doc) as f:
        lines = f.read().split("\n")
    begin, end, found = doc_table(lines)
    notes = {nr: n for nr, (_, _, n) in found.items()}
    new = lines[:begin + 1] + HEADER + rows(table, notes) + lines[end:]
    with open(doc, "w") as f:
        f.write("\n".join(new))
    added = sorted(set(table) - set(found))
    dropped = sorted(set(found) - set(table))
    print(f"{doc}: {len(table)} rows; added {added or 'none'}; dropped {dropped or 'none'}"
          + ("; write the notes of the added rows" if added else ""))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."),
                    help="the top of the Walnut tree (default: this script's ..)")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", metavar="DOC", help="compare DOC's table with the sources")
    mode.add_argument("--update", metavar="DOC", help="rewrite DOC's table, keeping notes")
    opts = ap.parse_args()
    root = os.path.normpath(opts.root)
    if opts.check:
        return check(root, opts.check)
    try:
        if opts.update:
            return update(root, opts.update)
        table = registered(root)
    except (OSError, TableError) as e:
        print(f"syscall_table.py: {e}", file=sys.stderr)
        return 1
    print("\n".join(HEADER + rows(table)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
