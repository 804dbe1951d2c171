#!/usr/bin/env bash
# Mutation testing of lgforms' core modules with mutmut (docs/testing.md, "Mutation testing").
#
#   tools/mutation.sh                 # every module below (hours on a small machine)
#   tools/mutation.sh codes barcode   # only these modules
#   tools/mutation.sh pdf/writer.py   # one file of a module, with the module's tests
#   tools/mutation.sh --list          # the modules and the tests each one runs
#
# Not part of CI. Each module is mutated in a scratch copy of the repository
# ($MUTATION_DIR/<module>, default /tmp/lgforms-mutation) against only the tests that exercise it,
# so that a run stays within minutes per small module. Prints one line per module:
#   module  killed  survived  timeout  no-tests  total  score
# (score = killed + timeout over all mutants, in %), and writes the surviving mutants' diffs to
# $MUTATION_DIR/<module>/survivors.txt. Needs mutmut in the project's venv (pip install mutmut).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
OUT="${MUTATION_DIR:-/tmp/lgforms-mutation}"
JOBS="${MUTATION_JOBS:-2}"

# module name | files to mutate (globs, relative to the repository) | the tests to run | optional
# pytest -k expression (timing-sensitive tests flake on a loaded machine and make mutmut's clean run fail;
# tenants: the PostgreSQL variants would start a PostgreSQL cluster in every mutant's test run)
#
# elements/, layout/, pdf/: their unit tests plus the golden and end-to-end tests of a few forms
# chosen by line coverage (each adds lines of the module no unit test reaches: tables, grids, flows,
# 付票's long lists, 圧着はがき panels, 戸籍 vertical text), not the whole end-to-end test (52 forms ×
# deliveries per mutant: hours on a 2-core machine).
# MUTATION_TESTS="tests/a.py tests/b" replaces the module's test selection (and its -k expression) for
# one run: a quicker selection for a large file (elements/table.py: docs/testing.md, "Scores").
G=tests/golden/test_golden.py::test_typical_sample_matches_its_golden_pages
E=tests/forms/test_forms_e2e.py::test_every_value_is_in_its_own_box
E_CID=tests/forms/test_forms_e2e.py::test_every_cid_draws_the_glyph_its_text_selects
E_T0=tests/forms/test_forms_e2e.py::test_pdf_is_type0_identity_h_with_embedded_subset
FORMS_ELEMENTS="$G[koseki_zenbu_jiko_shomeisho] $G[kotei_nozei_tsuchisho] $G[kaigo_hokenryo_kettei_tsuchisho] $G[fuhyo_utsushi] $G[keiji_nozei_tsuchisho@pressure-seal-Z] $G[kaigo_hihokenshasho] $G[common_tokusokujo] $E[koseki_zenbu_jiko_shomeisho/koseki_typical] $E[kotei_nozei_tsuchisho/kotei_jitaku_typical] $E[kaigo_hokenryo_kettei_tsuchisho/kaigo_heicho] $E[fuhyo_utsushi/fuhyo_kazoku]"
FORMS_LAYOUT="$G[fuhyo_utsushi] $G[kaigo_hokenryo_kettei_tsuchisho] $G[koseki_zenbu_jiko_shomeisho] $G[common_risai_shomeisho] $E[fuhyo_utsushi/fuhyo_kazoku] $E[kaigo_hokenryo_kettei_tsuchisho/kaigo_heicho] $E[koseki_zenbu_jiko_shomeisho/koseki_typical] $E[common_risai_shomeisho/risai_hankai]"
FORMS_PDF="$G[common_tokusokujo@pressure-seal-Z] $G[common_tokusokujo] $G[koseki_zenbu_jiko_shomeisho] $E_CID[common_tokusokujo/tokusoku_1ki] $E_T0[common_tokusokujo/tokusoku_1ki] $E[common_tokusokujo/tokusoku_1ki]"
MODULES=(
  "codes|src/lgforms/codes/*|tests/codes tests/bind/test_identifier_formats.py"
  "barcode|src/lgforms/postal/customer_barcode.py|tests/postal/test_customer_barcode.py"
  "tenants|src/lgforms/tenants/profile.py src/lgforms/tenants/store.py src/lgforms/tenants/db.py|tests/tenants tests/test_service_library.py tests/api/test_service.py|not postgresql"
  "guard|src/lgforms/tenants/guard.py api/lgforms_api/payloads.py|tests/test_guard_check_payload.py tests/test_service_library.py tests/api/test_service.py tests/api/test_review_fixes.py|not time_limit and not rate_limit and not metric"
  "elements|src/lgforms/elements/*|tests/elements tests/postal/test_postal_elements.py tests/postal/test_customer_barcode.py tests/pdf/test_image_placement.py $FORMS_ELEMENTS"
  "layout|src/lgforms/layout/*|tests/layout $FORMS_LAYOUT"
  "pdf|src/lgforms/pdf/*|tests/pdf $FORMS_PDF"
)

list() {
  for m in "${MODULES[@]}"; do IFS='|' read -r name files tests kexpr <<<"$m"; printf '%-9s %-45s %s %s\n' "$name" "$files" "$tests" "${kexpr:+(-k \"$kexpr\")}"; done
}

run_module() {
  local name="$1" files="$2" tests="$3" kexpr="${4:-}" dir="$OUT/$1"
  echo "== $name: mutating $files; tests: $tests" >&2
  rm -rf "$dir" && mkdir -p "$dir"
  # a scratch copy: mutmut writes mutants/ beside the code. The fonts are read from the checkout
  # through a link where lgforms looks for them (resources.py: the top of the tree that holds src/,
  # i.e. mutants/; tests/conftest.py removes LGFORMS_FONT_DIR from the tests' environment)
  (cd "$ROOT" && tar cf - --exclude='__pycache__' --exclude='.venv' src api tests forms tools pyproject.toml) | (cd "$dir" && tar xf -)
  mkdir -p "$dir/mutants" && ln -s "$ROOT/fonts" "$dir/mutants/fonts" && ln -s "$ROOT/fonts" "$dir/fonts"
  # mutmut reads [mutmut] from setup.cfg when pyproject.toml has no [tool.mutmut]
  {
    echo "[mutmut]"
    echo "source_paths="
    echo "    src"
    echo "    api"
    echo "only_mutate="
    set -f
    for f in $files; do echo "    $f"; done
    set +f
    echo "also_copy="
    echo "    forms"
    echo "    tools"
    echo "pytest_add_cli_args="
    echo "    -p"
    echo "    no:cacheprovider"
    echo "    -x"
    echo "    -q"
    echo "pytest_add_cli_args_test_selection="
    set -f  # node ids such as test_golden.py::…[form] are not globs
    for t in $tests; do echo "    $t"; done
    set +f
    if [[ -n "$kexpr" ]]; then echo "    -k"; echo "    $kexpr"; fi
  } >"$dir/setup.cfg"
  (cd "$dir" && HYPOTHESIS_STORAGE_DIRECTORY="$dir/.hypothesis" \
      timeout "${MUTATION_TIMEOUT:-14400}" "$PY" -m mutmut run --max-children "$JOBS" >"$dir/run.log" 2>&1) || echo "   (mutmut exited $?; see $dir/run.log)" >&2
  (cd "$dir" && "$PY" -m mutmut results --all true >"$dir/results.txt" 2>&1) || true
  # the surviving mutants' diffs, in one process (`mutmut show` per mutant costs seconds each)
  (cd "$dir" && "$PY" - >"$dir/survivors.txt" 2>&1 <<'EOF'
import mutmut.__main__ as m
for line in open("results.txt", encoding="utf-8"):
    if line.strip().endswith(": survived"):
        name = line.split(":")[0].strip()
        print(f"# {name}: survived")
        print(m.get_diff_for_mutant(name, path=m.find_mutant(name).path))
        print()
EOF
  ) || true
  "$PY" - "$name" "$dir/results.txt" <<'EOF'
import collections, sys
name, path = sys.argv[1], sys.argv[2]
c = collections.Counter()
for line in open(path, encoding="utf-8"):
    if ": " in line and line.strip().split(": ", 1)[0].count("__mutmut_"):
        c[line.rsplit(": ", 1)[1].strip()] += 1
total = sum(c.values())
killed = c["killed"] + c["timeout"]
score = 100.0 * killed / total if total else 0.0
print(f"{name:9s} killed={c['killed']} survived={c['survived']} timeout={c['timeout']} "
      f"no-tests={c['no tests']} other={total - c['killed'] - c['survived'] - c['timeout'] - c['no tests']} "
      f"total={total} score={score:.1f}%")
EOF
}

if [[ "${1:-}" == "--list" ]]; then list; exit 0; fi
"$PY" -c "import mutmut" 2>/dev/null || { echo "mutmut is not installed in $PY's environment (pip install mutmut)" >&2; exit 2; }
want=("$@")
for m in "${MODULES[@]}"; do
  IFS='|' read -r name files tests kexpr <<<"$m"
  if [[ -n "${MUTATION_TESTS:-}" ]]; then tests="$MUTATION_TESTS"; kexpr=""; fi
  if [[ ${#want[@]} -eq 0 ]] || [[ " ${want[*]} " == *" $name "* ]]; then run_module "$name" "$files" "$tests" "$kexpr"; fi
  # module/file.py: that file alone (a large module in several shorter runs), results in $OUT/module-file
  for w in "${want[@]}"; do
    if [[ "$w" == "$name/"* ]]; then
      f="${w#"$name"/}"
      match=""
      set -f  # $files holds globs (src/lgforms/pdf/*): compare them as text
      for g in $files; do [[ "$g" == */"$f" || "$g" == */'*' ]] && match="$(dirname "$g")/$f"; done
      set +f
      [[ -n "$match" && -f "$ROOT/$match" ]] || { echo "$w: no such file in module $name ($files)" >&2; exit 2; }
      run_module "$name-${f%.py}" "$match" "$tests" "$kexpr"
    fi
  done
done
