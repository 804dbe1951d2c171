"""Re-run the mutants a mutation run left alive against new tests (docs/testing.md, "Mutation testing").

    .venv/bin/python tools/mutation_rerun.py $MUTATION_DIR/pdf-cidfont tests/pdf/test_cidfont.py [more tests …]
    .venv/bin/python tools/mutation_rerun.py --again $MUTATION_DIR/pdf-cidfont tests/pdf/test_cidfont.py
    .venv/bin/python tools/mutation_rerun.py --match _compile_ $MUTATION_DIR/layout-flow tests/spec/test_authoring_mistakes.py -k flow

``tools/mutation.sh`` measures a module against its whole test selection: hours for the code every
render runs. Once tests are added, only the mutants that survived (or had no test) can change
state, and each of them either fails one of the new tests or survives as before. This runs each
of them as mutmut does — ``MUTANT_UNDER_TEST`` set in a process forked after lgforms is imported,
pytest on the given test files with ``-x`` — in the scratch copy mutmut made, with the test files
copied in from this checkout. It prints the counts and writes ``rerun.txt`` (``name: killed`` or
``name: survived``) and the diffs of the mutants still alive (``rerun_survivors.txt``) beside
mutmut's ``results.txt``. The score "after" is (killed before + killed here) over all mutants.
``--again`` runs only those still alive in ``rerun.txt`` (after more tests were written) and
updates it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = int(os.environ.get("MUTATION_RERUN_TIMEOUT", "300"))  # seconds per mutant


def _is_file(p: Path) -> bool:
    try:
        return p.is_file()
    except OSError:  # an option's value too long for a file name (-k "… and not …")
        return False


def main() -> int:
    args = sys.argv[1:]
    again = args[:1] == ["--again"]
    args = args[1:] if again else args
    match = None
    if args[:1] == ["--match"]:  # only the mutants whose name matches (e.g. one function's)
        match, args = re.compile(args[1]), args[2:]
    if len(args) < 2:
        print(__doc__.strip().split("\n\n")[0], file=sys.stderr)
        return 2
    mdir, tests = Path(args[0]).resolve(), args[1:]
    mutants = mdir / "mutants"
    results = mdir / "results.txt"
    if not results.is_file() or not mutants.is_dir():
        print(f"{mdir}: no mutmut results (run tools/mutation.sh first)", file=sys.stderr)
        return 2
    files = [t.split("::")[0] for t in tests if _is_file(ROOT / t.split("::")[0])]  # node ids, options pass through
    for t in files + [str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("*.py")]:
        (mutants / t).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / t, mutants / t)  # the new tests and the helpers they import
    earlier: dict[str, str] = {}
    if again:
        earlier = dict(line.rsplit(": ", 1) for line in (mdir / "rerun.txt").read_text("utf-8").splitlines())
        names = [n for n, state in earlier.items() if state == "survived"]
    else:
        names = [line.split(":")[0].strip() for line in results.read_text("utf-8").splitlines()
                 if re.search(r": (survived|no tests)$", line.strip())]
    if match is not None:
        names = [n for n in names if match.search(n)]
    os.chdir(mutants)
    sys.path[:0] = [str(mutants / "src"), str(mutants / "api"), str(mutants / "tests")]
    os.environ["MUTANT_UNDER_TEST"] = ""
    import pytest

    import lgforms.render  # noqa: F401  (imported once, before the forks)

    def run(name: str) -> int:
        pid = os.fork()
        if pid == 0:
            os.environ["MUTANT_UNDER_TEST"] = name
            signal.alarm(TIMEOUT)  # a mutant that loops forever counts as killed (mutmut: timeout)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            os._exit(int(pytest.main(["-p", "no:cacheprovider", "-x", "-q", *tests])))
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)

    if run("") != 0:  # the tests must pass on the code as it was mutated (the copy mutmut made)
        print(f"{mdir.name}: the tests fail without a mutant in {mutants} (was the source changed since?)",
              file=sys.stderr)
        return 1
    alive = []
    with open(mdir / "rerun.txt", "w", encoding="utf-8") as out:
        for name, state in earlier.items():  # --again: the ones killed before stay killed, the others
            if state != "survived" or name not in names:  # not re-run (--match) keep their state
                out.write(f"{name}: {state}\n")
        for name in names:
            state = "survived" if run(name) == 0 else "killed"
            if state == "survived":
                alive.append(name)
            out.write(f"{name}: {state}\n")
            out.flush()
    os.chdir(mdir)  # mutmut finds its mutants from the module's directory (as tools/mutation.sh does)
    import mutmut.__main__ as mm

    with open(mdir / "rerun_survivors.txt", "w", encoding="utf-8") as diffs:
        for name in alive:
            diffs.write(f"# {name}: survived\n{mm.get_diff_for_mutant(name, path=mm.find_mutant(name).path)}\n\n")
    print(f"{mdir.name}: re-ran {len(names)}, killed {len(names) - len(alive)}, still alive {len(alive)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
