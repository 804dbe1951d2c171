"""What a 圧着はがき variant cannot hold is refused by its own rule (RULE_VIOLATED naming the field),
while the A4 window-envelope layout of the same payload still renders: nothing is clipped or dropped."""

from __future__ import annotations

import copy

import pytest

import lgforms
from pdfcheck import ROOT, load_sample

Z = "pressure-seal-Z"


def sample(area: str, form_id: str, name: str) -> dict:
    return load_sample(ROOT / "forms" / area / form_id / "samples" / f"{name}.json")


def tokusoku(n: int) -> dict:
    p = sample("common", "common_tokusokujo", "tokusoku_1ki")
    p["items"] = [copy.deepcopy(p["items"][0]) for _ in range(n)]
    return p


def keiji(n: int) -> dict:
    p = sample("keiji", "keiji_nozei_tsuchisho", "keiji_edge_43dai")
    p.pop("_deliveries", None)
    p.pop("slip", None)
    p["vehicles"] = p["vehicles"][:n]
    p["nenzeigaku"] = sum(v["zeigaku"] for v in p["vehicles"])
    return p


@pytest.mark.parametrize("form_id,make,limit,field", [
    ("common_tokusokujo", tokusoku, 10, "$.items"),
    ("keiji_nozei_tsuchisho", keiji, 12, "$.vehicles"),
])
def test_the_hagaki_takes_its_limit_and_refuses_one_more(form_id, make, limit, field):
    assert lgforms.render_result(form_id, make(limit), delivery=Z).pages == 6  # one mailpiece: six panels
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render(form_id, make(limit + 1), delivery=Z)
    assert ei.value.code == "RULE_VIOLATED" and ei.value.path == field and "window-envelope" in ei.value.message
    assert lgforms.render_result(form_id, make(limit + 1)).data.startswith(b"%PDF")  # the A4 layout takes it
