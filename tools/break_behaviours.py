"""Break each guarded behaviour on purpose and check that its tests fail (docs/testing.md,
"Behaviours guarded"). For each entry: replace one exact snippet of the source (it must occur
once), run the entry's tests, put the file back byte for byte, report. Nothing is committed; the
files are restored even when interrupted.

    python tools/break_behaviours.py            # every behaviour (a few minutes: services start)
    python tools/break_behaviours.py gs1 koin   # the entries whose id starts with one of these

Exit status 1 if a break leaves its tests green (a surviving behaviour)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVC = "tests/api/test_service_behaviours.py"
IMG = "tests/pdf/test_image_placement.py"
GS1 = "tests/elements/test_gs1_128.py"


@dataclass
class Break:
    id: str
    file: str
    old: str
    new: str
    tests: list[str]


BREAKS = [
    Break("gs1-check-digit", "src/lgforms/elements/gs1_128.py", "            check_cvs_barcode(data)\n",
          "            pass\n", [f"{GS1}::test_a_wrong_check_digit_is_refused"]),
    Break("gs1-check-digit-format", "src/lgforms/codes/identifiers.py",
          "    if cd != int(value[43]):\n        raise _wrong_cd(\"コンビニ収納", "    if False:\n        raise _wrong_cd(\"コンビニ収納",
          [f"{GS1}::test_a_wrong_check_digit_is_refused_by_the_schema_format_too"]),
    Break("gs1-amount", "src/lgforms/elements/gs1_128.py", 'if value.get("amount") not in (None, "") and int',
          "if False and int", [f"{GS1}::test_an_amount_other_than_the_barcode_s_is_refused"]),
    Break("gs1-fnc1", "src/lgforms/elements/gs1_128.py", "values = [105, 102] + ", "values = [105] + ",
          [f"{GS1}::test_the_symbol_is_288_modules_wide", f"{GS1}::test_a_scanner_reads_the_44_digits_as_gs1_128"]),
    Break("cbar-table", "src/lgforms/postal/customer_barcode.py", '"1": "FFT", "2": "FDA",', '"1": "FDA", "2": "FFT",',
          ["tests/postal/test_customer_barcode.py::test_decode_from_pixels",
           "tests/postal/test_customer_barcode.py::test_decode_from_pdf_content_stream"]),
    Break("inei-fit", "src/lgforms/elements/image.py", '        if spec.scale == "actual":\n            try:',
          "        if False:\n            try:", [f"{IMG}::test_the_inei_keeps_its_size_and_aspect_whatever_its_pixels"]),
    Break("inei-distorted", "src/lgforms/elements/image.py", 'w, h = float(value["width"]), float(value["height"])',
          'w, h = float(value["width"]), float(value["width"])',
          [f"{IMG}::test_the_inei_keeps_its_size_and_aspect_whatever_its_pixels"]),
    Break("inei-aspect-check", "src/lgforms/elements/image.py",
          "            if abs((w / h) / (pw / ph) - 1) > 0.02:", "            if False:",
          [f"{IMG}::test_an_inei_whose_size_would_distort_its_pixels_is_refused"]),
    Break("koin-box-size", "src/lgforms/elements/seal.py", "        w, h = seal.size_mm\n", "        w, h = box[2], box[3]\n",
          [f"{IMG}::test_the_koin_prints_at_the_profile_s_size_mm"]),
    Break("table-drops-rows", "src/lgforms/elements/table.py", "        if not spec.paginate and (len(chunks) > 1):",
          "        if False:", ["tests/layout/test_table_rows.py"]),
    Break("png-page-library", "src/lgforms/render.py", "res.data = pdf_page_png(data, page, dpi=dpi)",
          "res.data = pdf_page_png(data, 1, dpi=dpi)", ["tests/test_png_pages.py::test_library_png_is_the_requested_page"]),
    Break("png-page-cli", "src/lgforms/cli.py", 'format="png" if args.png else "pdf", page=args.page,',
          'format="png" if args.png else "pdf", page=1,', ["tests/test_png_pages.py::test_cli_png_is_the_requested_page"]),
    Break("png-page-service", "api/lgforms_api/app.py", "format=f, page=q.page, dpi=q.dpi,", "format=f, page=1, dpi=q.dpi,",
          [f"{SVC}::test_png_page_is_the_requested_page", "-k", "sqlite"]),
    Break("time-limit-render", "api/lgforms_api/app.py",
          "        deadline = time.perf_counter() + settings.max_render_seconds\n        headers",
          "        deadline = None\n        headers", [f"{SVC}::test_the_render_time_limit_is_enforced"]),
    Break("time-limit-validate", "api/lgforms_api/app.py",
          "        deadline = time.perf_counter() + settings.max_render_seconds\n        with deadline_scope(deadline):\n"
          "            doc = lg_layout(",
          "        deadline = None\n        with deadline_scope(deadline):\n            doc = lg_layout(",
          [f"{SVC}::test_the_render_time_limit_is_enforced"]),
    Break("time-limit-check", "src/lgforms/limits.py", "    if d is not None and time.perf_counter() > d:", "    if False:",
          [f"{SVC}::test_the_render_time_limit_is_enforced"]),
    Break("rate-limit-shared", "api/lgforms_api/app.py", 'wait = limiter.take(code + ":" + cred.credentials[-8:])',
          'wait = limiter.take("all")', [f"{SVC}::test_the_rate_limit_is_per_tenant"]),
    Break("pages-metric-zero", "api/lgforms_api/app.py", "metrics.pages.labels(form_id).inc(res.pages)",
          "metrics.pages.labels(form_id).inc(0)",
          [f"{SVC}::test_the_pages_metric_moves_by_the_pages_of_each_pdf", "-k", "sqlite"]),
    Break("pages-metric-one", "api/lgforms_api/app.py", "metrics.pages.labels(form_id).inc(res.pages)",
          "metrics.pages.labels(form_id).inc(1)",
          [f"{SVC}::test_the_pages_metric_moves_by_the_pages_of_each_pdf", "-k", "sqlite"]),
    Break("guard-validate", "api/lgforms_api/app.py",
          "        check_payload(form, payload, tenant_given=True, service_owned=issued_fields(form))\n        issue: dict",
          '        if request.url.path.endswith("/render"):\n'
          "            check_payload(form, payload, tenant_given=True, service_owned=issued_fields(form))\n"
          "        issue: dict",
          [f"{SVC}::test_validate_refuses_exactly_what_render_refuses", "-k", "sqlite"]),
    Break("daiko-line", "api/lgforms_api/app.py", '            issue["proxy_name"] = store.tenant(tenant).name',
          "            pass", [f"{SVC}::test_a_member_s_risai_certificate_carries_the_daiko_line",
                            "tests/api/test_service.py::test_risai_group_rule", "-k", "sqlite"]),
    Break("sex-slot", "forms/_blocks/juki_person.yaml", '{id: sex, value: "{{ person.sex }}"',
          "{id: sex, value: \"{{ person.sex if person.birth_date != '2017-05-08' }}\"",
          ["tests/forms/test_juki_sex_slot.py"]),
]


def run(b: Break) -> bool:
    """True when the break makes the tests fail."""
    path = ROOT / b.file
    orig = path.read_bytes()
    text = orig.decode("utf-8")
    if text.count(b.old) != 1:
        raise SystemExit(f"{b.id}: the snippet occurs {text.count(b.old)} times in {b.file} (the source changed?)")
    try:
        path.write_text(text.replace(b.old, b.new), "utf-8")
        r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *b.tests],
                           cwd=ROOT, capture_output=True, text=True)
    finally:
        path.write_bytes(orig)
    failed = [ln for ln in r.stdout.splitlines() if ln.startswith(("FAILED", "ERROR"))]
    print(f"{b.id:24} {'failed' if r.returncode else 'PASSED (survives)'}  {failed[0] if failed else ''}", flush=True)
    return r.returncode != 0


def main(argv: list[str]) -> int:
    chosen = [b for b in BREAKS if not argv or any(b.id.startswith(a) for a in argv)]
    survivors = [b.id for b in chosen if not run(b)]
    if survivors:
        print("surviving:", ", ".join(survivors))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
