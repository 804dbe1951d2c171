"""Payload validation benchmark: what the identifier formats and the 個人番号 scan add to
``validate_payload``, measured in the same run against the schema check alone.

    python benchmarks/validate_bench.py [--n 20000] [--rounds 3]

For every shipped form's first sample, and for a payment-slip style payload with identifier formats
(保険者番号, 法人番号, 団体コード, 44-digit コンビニ収納 data × 12 slips), times per payload:

* "schema":  the compiled fast validator alone (the baseline: what validation cost before);
* "full":    ``validate_payload`` — schema (with the identifier formats) + the 個人番号 scan;
* "jsonschema": the authoritative jsonschema validator, for scale (used only to write reports).

Prints µs per payload and the ratio full / schema. Best of ``--rounds``. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lgforms.bind.payload import validate_payload  # noqa: E402
from lgforms.spec.catalog import default_catalog  # noqa: E402
from lgforms.spec.loader import load_form  # noqa: E402

SLIP_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "hokensha_no": {"type": "string", "format": "hokensha-bango"},
        "hojin_bango": {"type": "string", "format": "hojin-bango"},
        "dantai_code": {"type": "string", "format": "dantai-code"},
        "name": {"type": "string"}, "address": {"type": "string"},
        "slips": {"type": "array", "items": {"type": "object", "additionalProperties": False, "properties": {
            "kibetsu": {"type": "string"}, "amount": {"type": "integer"},
            "cvs": {"type": "string", "format": "cvs-barcode"}, "el_bango": {"type": "string"},
            "el_qr": {"type": "string"}}}},
    },
}
SLIP = {
    "hokensha_no": "992016", "hojin_bango": "7000020992011", "dantai_code": "992011",
    "name": "髙橋 一郎", "address": "東雲県みどり野市白樺町三丁目12番5号",
    "slips": [{"kibetsu": f"第{i + 1}期", "amount": 64100, "cvs": "91912345010800001234560100000026063000641007",
               "el_bango": "01234567890123456789", "el_qr": "ELQR1|992011|0101|20260630|000064100|" + "0" * 40}
              for i in range(12)],
}


def slip_form(tmp: Path):
    import json

    import yaml

    d = tmp / "t" / "slipbench"
    (d / "samples").mkdir(parents=True, exist_ok=True)
    (d / "form.yaml").write_text(yaml.safe_dump({"id": "slipbench", "title": "b", "area": "b", "pages": [
        {"id": "p", "fields": [{"kind": "text", "box": [10, 10, 100, 8], "value": "{{ name }}"}]}]},
        allow_unicode=True), "utf-8")
    (d / "schema.json").write_text(json.dumps(SLIP_SCHEMA, ensure_ascii=False), "utf-8")
    return load_form(d)


def best(fn, payloads, rounds: int) -> float:
    out = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for p in payloads:
            fn(p)
        out = min(out, time.perf_counter() - t)
    return out / len(payloads) * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    import tempfile

    cat = default_catalog()
    cases = [(fid, cat.get(fid), cat.get(fid).sample()) for fid in cat.ids()]
    with tempfile.TemporaryDirectory() as tmp:
        cases.append(("slip (identifier formats)", slip_form(Path(tmp)), SLIP))
        print(f"{'form':38} {'schema µs':>10} {'full µs':>9} {'ratio':>6} {'jsonschema µs':>14}")
        for name, form, sample in cases:
            payloads = [copy.deepcopy(sample) for _ in range(a.n)]
            fast = form.fast_validator
            validate_payload(form, payloads[0])  # warm up; raises if the sample is refused
            js = best(form.validator.validate, payloads[: max(1, a.n // 20)], a.rounds)
            full = best(lambda p: validate_payload(form, p), payloads, a.rounds)
            base = best(fast, payloads, a.rounds) if fast is not None else js
            print(f"{name:38} {base:10.1f} {full:9.1f} {full / base:6.2f} {js:14.1f}"
                  + ("" if fast is not None else "  (no fast validator: baseline is jsonschema)"))


if __name__ == "__main__":
    main()
