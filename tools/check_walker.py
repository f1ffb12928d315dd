#!/usr/bin/env python3
"""tools/check_walker.py - memory rule 1, "one walker", checked.

Only the user-page walker (mm/walk.c) and the page-fault path (mm/fault.c)
may look up or fault in user pages: everything else goes through
include/walk.h (get_user_pages, access_remote_vm, ...).  So this script
fails if any other kernel source uses

    follow_page(        the walker's look-up
    handle_mm_fault(    the fault resolver

outside those two files and the header that declares each (include/walk.h,
include/vm.h) -- the walker's own self-tests included: they watch the
look-up from outside, through the fault counters -- or uses

    mm_get_pte(         a user page table's entry
    mm_page_kva(        (exec's old private way into a new image)

outside mm/, since a PTE read by hand is a look-up that skips the walker.
Comments and string literals are skipped; a declaration in another header
counts as a use (nobody else should need one).  The Linux threads told in
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
# Each name, and where it may appear: the walker's two primitives in the
# walker and the fault path (and the headers that declare them); the page
# tables' own look-up, and mm_page_kva (exec's old way into a new image,
# now gone: exec writes through the walker), in mm/ only.
ALLOWED = {
    "follow_page": {"mm/walk.c", "mm/fault.c", "include/walk.h"},
    "handle_mm_fault": {"mm/walk.c", "mm/fault.c", "include/vm.h"},
    "mm_get_pte": {"mm/"},
    "mm_page_kva": {"mm/"},
}
PRIMITIVES = tuple(ALLOWED)
CALL_RE = re.compile(r"\b(" + "|".join(PRIMITIVES) + r")\s*\(")
# Comments and literals, replaced by blanks of the same shape so that line
# numbers stay right.
SKIP_RE = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                     re.S)


def blank(m):
    return re.sub(r"[^\n]", " ", m.group(0))


def allowed(name, rel):
    """May the file rel (a path, or under a folder ending in /) use name?"""
    return any(rel == a or (a.endswith("/") and rel.startswith(a))
               for a in ALLOWED[name])


def offences(root):
    """Yield (relative path, line number, name) for each use outside ALLOWED."""
    for top in SOURCE_DIRS:
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if not f.endswith(SUFFIXES):
                    continue
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                with open(path, encoding="utf-8", errors="replace") as fh:
                    text = SKIP_RE.sub(blank, fh.read())
                for m in CALL_RE.finditer(text):
                    if not allowed(m.group(1), rel):
                        yield rel, text.count("\n", 0, m.start()) + 1, m.group(1)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    found = sorted(offences(root))
    for rel, line, name in found:
        print(f"{rel}:{line}: calls {name}( -- only "
              f"{', '.join(sorted(ALLOWED[name]))} may (use include/walk.h)")
    if found:
        print(f"TEST {TEST_NAME} FAIL {len(found)} calls outside the walker")
        return 1
    print(f"TEST {TEST_NAME} PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
