"""Codemod: full-width punctuation (，：；（）？！) next to Chinese text, in every file users read from.

    .venv/bin/python scripts/fullwidth_punctuation.py            # fix the files in place
    .venv/bin/python scripts/fullwidth_punctuation.py --check    # list offences, exit 1 if any
    .venv/bin/python scripts/fullwidth_punctuation.py --tests    # also tests/, so expectations follow the code
    .venv/bin/python scripts/fullwidth_punctuation.py --msgids   # only the msgids of locale/*/LC_MESSAGES/*.po

--msgids is for the lead, right before `makemessages`: the catalogues' msgids then equal the corrected source
strings, so their translations are kept (makemessages would otherwise mark every changed entry fuzzy).

The rule and the file set are in shenbao/core/punctuation.py; tests/core/test_fullwidth_punctuation.py runs the same
check. Re-run after merging branches that add strings, then review the diff (data matched by code must not change).
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shenbao.core.punctuation import check_file_text, fix_po_msgids, repository_files  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="list offences and exit non-zero; change nothing")
    parser.add_argument("--tests", action="store_true", help="include tests/ so test expectations follow")
    parser.add_argument("--msgids", action="store_true", help="only rewrite the msgids of every locale's .po")
    parser.add_argument("paths", nargs="*", type=Path, help="only these files (default: the whole file set)")
    arguments = parser.parse_args(argv)
    if arguments.msgids:
        for path in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
            text = path.read_text(encoding="utf-8")
            path.write_text(fix_po_msgids(text), encoding="utf-8")
            print(f"msgids of {path.relative_to(ROOT)} follow the rule", file=sys.stderr)
        return 0
    paths = [path.resolve() for path in arguments.paths] or repository_files(ROOT, tests=arguments.tests)
    offences = changed = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        fixed, found = check_file_text(path, text)
        if not found:
            continue
        offences += len(found)
        changed += 1
        if arguments.check:
            lines = text.splitlines()
            for offence in found:
                line = lines[offence.line - 1].strip()
                print(f"{path.relative_to(ROOT)}:{offence.line}:{offence.column}: {offence.mark!r} in {line[:80]}")
        else:
            path.write_text(fixed, encoding="utf-8")
    verb = "found" if arguments.check else "fixed"
    print(f"{verb} {offences} half-width marks in {changed} files", file=sys.stderr)
    return 1 if arguments.check and offences else 0


if __name__ == "__main__":
    sys.exit(main())
