#!/usr/bin/env python3
"""tools/check_walker.py - memory rule 1, "one walker", checked.

Only the user-page walker (mm/walk.c) and the page-fault path (mm/fault.c,
mm/memory.c) may look up or fault in user pages by hand: everything else
goes through include/walk.h (get_user_pages, access_process_vm, ...).  So
this script fails if any other kernel source calls

    follow_page(        the page-table look-up
    handle_mm_fault(    the fault resolver

outside those files and the headers that declare them (include/walk.h,
include/vm.h) -- the walker's own self-tests included: they watch the
look-up from outside, through the fault counters.  Comments
and string literals are skipped; a declaration in another header counts as
a use (nobody else should need one).  The Linux threads told in
docs/history.md are why: every private copy of the follow_page /
handle_mm_fault loop had its own bug.

Usage, from the top of the tree (make check runs it):

    tools/check_walker.py [ROOT]

It prints each offending place as "file:line: calls name(" and then one
line in the form every test in Walnut prints (docs/testing.md):

    TEST walker_primitives_only_in_walker PASS
    TEST walker_primitives_only_in_walker FAIL <n> calls outside the walker

and exits 1 on failure.
"""
import os
import re
import sys

TEST_NAME = "walker_primitives_only_in_walker"
SOURCE_DIRS = ("kernel", "mm", "drivers", "fs", "arch", "include", "boot")
SUFFIXES = (".c", ".h", ".S", ".asm")
PRIMITIVES = ("follow_page", "handle_mm_fault")
ALLOWED = {
    "mm/walk.c", "mm/fault.c", "mm/memory.c",
    "include/walk.h", "include/vm.h",
}
CALL_RE = re.compile(r"\b(" + "|".join(PRIMITIVES) + r")\s*\(")
# Comments and literals, replaced by blanks of the same shape so that line
# numbers stay right.
SKIP_RE = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                     re.S)


def blank(m):
    return re.sub(r"[^\n]", " ", m.group(0))


def offences(root):
    """Yield (relative path, line number, name) for each call outside ALLOWED."""
    for top in SOURCE_DIRS:
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if not f.endswith(SUFFIXES):
                    continue
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                if rel in ALLOWED:
                    continue
                with open(path, encoding="utf-8", errors="replace") as fh:
                    text = SKIP_RE.sub(blank, fh.read())
                for m in CALL_RE.finditer(text):
                    yield rel, text.count("\n", 0, m.start()) + 1, m.group(1)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    found = sorted(offences(root))
    for rel, line, name in found:
        print(f"{rel}:{line}: calls {name}( -- only the walker and the fault "
              f"path may (use include/walk.h)")
    if found:
        print(f"TEST {TEST_NAME} FAIL {len(found)} calls outside the walker")
        return 1
    print(f"TEST {TEST_NAME} PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
