"""The designer page in a real browser (Debian's headless Chromium, Selenium, system chromedriver)
against ``lgforms designer`` on 127.0.0.1: open it, choose the A4 tax notice, make a field too
long (the warning appears, the preview changes; longer still: TEXT_OVERFLOW at its line and the
field's box in red), drag a box and move it with the arrow keys (the YAML changes), save.

Screenshots go to the test's tmp dir (and to ``$LGFORMS_TEST_SHOTS`` when set). The preview
latency from an edit to the new image is measured in the page and printed, not asserted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import time

import pytest

from designerbrowser import FORM, new_driver, start_local_designer
from formtest import forms_copy

NAME = "葛󠄂城　真理子"
TOO_LONG = "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末食う寝る処に住む処やぶら"  # 40: overflows
ADDRESS = "東雲県みどり野市若葉町三丁目12番5号"
KATAGAKI = "みどり野ハイツ202号室"
# 4 lines in the 宛名's 13 mm: printed only shrunk (10 pt → 8 pt)
LONG_ADDRESS, LONG_KATAGAKI = "東雲県みどり野市若葉町三丁目12番5号みどり野ニュータウン北地区集合住宅", \
    "みどり野ハイツ東棟南側エントランス右手奥202号室（管理人室隣）"


def longer(payload: str) -> str:
    return payload.replace(ADDRESS, LONG_ADDRESS).replace(KATAGAKI, LONG_KATAGAKI)


def wait(driver, cond, timeout=30, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        try:
            v = cond()
            if v:
                return v
        except Exception:  # noqa: BLE001 - the page is still changing
            pass
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def previews(driver) -> int:
    return int(driver.execute_script("return window.lgDesigner ? window.lgDesigner.previews : 0"))


def set_editor(driver, ta_id: str, text: str) -> None:
    """Replace an editor's text as a paste does (one input event)."""
    driver.execute_script(
        "const ta = document.getElementById(arguments[0]); ta.value = arguments[1];"
        "ta.dispatchEvent(new Event('input', {bubbles: true}));", ta_id, text)


def edit_and_wait(driver, ta_id: str, text: str) -> dict:
    n = previews(driver)
    set_editor(driver, ta_id, text)
    wait(driver, lambda: previews(driver) > n, what="a new preview")
    return driver.execute_script("return {state: document.body.dataset.previewState,"
                                 " src: document.getElementById('page-img').src.length,"
                                 " latency: window.lgDesigner.latencies.slice(-1)[0]}")


def test_designer_in_chromium(tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    shots = tmp_path / "shots"
    shots.mkdir()
    forms = forms_copy(tmp_path, "zeimu", FORM)  # the local designer may write its form.yaml
    proc, url = start_local_designer(forms, tmp_path / "designer.log")
    driver = new_driver()
    try:
        def shot(name):
            driver.save_screenshot(str(shots / name))

        # a page without the token: refused, nothing of the forms in it
        driver.get(url.split("?")[0])
        assert "起動時に表示された URL" in driver.page_source
        assert FORM not in driver.page_source

        # open, search by 業務, choose the notice
        driver.get(url)
        wait(driver, lambda: driver.find_elements(By.CSS_SELECTOR, f'#form-list button[data-form="{FORM}"]'),
             what="the form list")
        search = driver.find_element(By.ID, "search")
        search.send_keys("個人住民税")
        button = driver.find_element(By.CSS_SELECTOR, f'#form-list button[data-form="{FORM}"]')
        assert "税額決定通知書" in button.text
        search.send_keys(Keys.ENTER)  # the first match opens
        wait(driver, lambda: previews(driver) >= 1, 60, "the first preview")
        assert driver.execute_script("return document.body.dataset.previewState") == "ok"
        assert driver.find_element(By.ID, "pageinfo").text.startswith("1 / 3")
        boxes = driver.find_elements(By.CSS_SELECTOR, "#overlay g.box")
        labels = {b.get_attribute("data-rid") for b in boxes}
        assert len(boxes) >= 25, labels
        assert driver.find_elements(By.CSS_SELECTOR, "#overlay rect.region")  # the flow region
        assert driver.find_elements(By.CSS_SELECTOR, "#overlay g.grid line")  # the mm grid
        shot("01-opened.png")

        payload = driver.find_element(By.ID, "payload").get_attribute("value")
        assert NAME in payload
        before = driver.find_element(By.ID, "page-img").get_attribute("src")

        # an address that fits only shrunk: the warning names the field and its path, the image changes
        assert "atena_address" not in driver.find_element(By.ID, "warning-list").text.split("縮小")[-1]
        r = edit_and_wait(driver, "payload", longer(payload))
        assert r["state"] == "ok"
        assert driver.find_element(By.ID, "page-img").get_attribute("src") != before
        warnings = driver.find_element(By.ID, "warning-list").text
        assert re.search(r"縮小\s*\$\.atena_address 1 ページ atena_address: 縮小: 10 pt → [78](\.\d+)? pt", warnings), \
            warnings
        assert driver.find_elements(By.CSS_SELECTOR, "#overlay g.box.warn")
        shot("02-name-shrunk.png")
        # the warning is a button: it selects the box and shows what the recorder knows
        driver.find_element(By.XPATH, "//ul[@id='warning-list']//button[contains(., 'atena_address: 縮小')]").click()
        sel = wait(driver, lambda: driver.find_element(By.ID, "selection").text, what="the selection panel")
        assert "atena_window" in sel and "_blocks/atena_window.yaml" in sel and "pt" in sel, sel

        # too long for the box even at min_size: TEXT_OVERFLOW at the payload line, the box in red
        r = edit_and_wait(driver, "payload", payload.replace(NAME, TOO_LONG))
        assert r["state"] == "error"
        errors = driver.find_element(By.ID, "error-list").text
        line = payload.splitlines().index(next(x for x in payload.splitlines() if '"atena_name"' in x)) + 1
        assert "TEXT_OVERFLOW" in errors and f"行 {line}" in errors and "$.atena_name" in errors, errors
        assert driver.find_elements(By.CSS_SELECTOR, "#overlay g.box.failed")
        assert driver.find_elements(By.CSS_SELECTOR, "#ed-payload .gutter .err")
        assert "stale" in driver.find_element(By.ID, "stage").get_attribute("class")
        shot("03-overflow-error.png")

        # the latency from an edit to its new image (the A4 notice, page 1): measured, printed
        lat = []
        for i in range(10):
            text = longer(payload) if i % 2 == 0 else payload
            r = edit_and_wait(driver, "payload", text.replace(NAME, NAME + ("　" * (i % 3))))
            assert r["state"] == "ok"
            lat.append(r["latency"])
        ms = sorted(x["ms"] for x in lat)
        server = [x["server"]["render_total"] + x["server"]["png"] for x in lat]
        med = lambda k: round(statistics.median(x[k] for x in lat), 1)  # noqa: E731
        report = {"payload_edit_ms": {"median": round(statistics.median(ms), 1), "max": round(ms[-1], 1),
                                      "min": round(ms[0], 1), "n": len(ms)},
                  "median_parts_ms": {"debounce_wait": med("wait"), "request": med("request"),
                                      "server": round(statistics.median(server), 1), "image_decode": med("decode")}}
        # an edit of form.yaml: the form is loaded again (its own cache key)
        yaml_text = driver.find_element(By.ID, "yaml").get_attribute("value")
        ylat = []
        for i in range(4):
            r = edit_and_wait(driver, "yaml", yaml_text.replace("gap: 2\n", f"gap: {2 + (i % 2) * 0.5}\n", 1)
                              + "\n" * (i + 1))
            assert r["state"] == "ok"
            ylat.append(r["latency"]["ms"])
        report["yaml_edit_ms"] = {"median": round(statistics.median(ylat), 1), "max": round(max(ylat), 1),
                                  "n": len(ylat)}
        print("\nPREVIEW LATENCY (edit -> new image, headless Chromium):", json.dumps(report))
        edit_and_wait(driver, "yaml", yaml_text)
        edit_and_wait(driver, "payload", payload)

        # drag the 発行者欄 (the notice_issuer block, placed at [110, 8]) 10 mm right, 5 mm down
        g = driver.find_element(By.CSS_SELECTOR, '#overlay g.box.movable[aria-label^="notice_date"]')
        scale = driver.execute_script("return 96 / 25.4")
        n = previews(driver)
        ActionChains(driver).move_to_element(g).click_and_hold().move_by_offset(round(10 * scale), round(5 * scale)) \
            .pause(0.1).release().perform()
        wait(driver, lambda: driver.execute_script("return document.body.dataset.moves") == "1", what="the move")
        wait(driver, lambda: previews(driver) > n, what="the preview after the move")
        yaml_now = driver.find_element(By.ID, "yaml").get_attribute("value")
        assert "use: notice_issuer, at: [120, 13]," in yaml_now, re.findall(r".*notice_issuer.*", yaml_now)
        shot("04-dragged.png")

        # the keyboard: the selected box, ArrowRight twice (0.5 mm each), Shift+ArrowUp (5 mm)
        g = driver.find_element(By.CSS_SELECTOR, '#overlay g.box.movable[aria-label^="notice_date"]')
        driver.execute_script("arguments[0].focus()", g)
        ActionChains(driver).send_keys(Keys.ARROW_RIGHT).send_keys(Keys.ARROW_RIGHT) \
            .key_down(Keys.SHIFT).send_keys(Keys.ARROW_UP).key_up(Keys.SHIFT).perform()
        wait(driver, lambda: driver.execute_script("return document.body.dataset.moves") == "2", what="the key move")
        wait(driver, lambda: "at: [121, 8]," in driver.find_element(By.ID, "yaml").get_attribute("value"),
             what="the YAML after the key move")
        wait(driver, lambda: previews(driver) >= n + 2, what="the preview after the key move")
        # flow sections do not move: the selection says why
        driver.find_element(By.CSS_SELECTOR, '#overlay g.box[aria-label^="keisan"]').click()
        assert "位置はフローが決めます" in driver.find_element(By.ID, "selection").text

        # save writes form.yaml (local mode)
        driver.find_element(By.ID, "save").click()
        on_disk = forms / "zeimu" / FORM / "form.yaml"
        wait(driver, lambda: "at: [121, 8]," in on_disk.read_text("utf-8"), what="form.yaml saved")
        wait(driver, lambda: driver.execute_script("return document.body.dataset.saved") == "1", what="saved")
        assert "保存しました" in driver.find_element(By.ID, "status").text
        shot("05-moved-and-saved.png")
        # the YAML tab, with the changed line
        driver.find_element(By.ID, "tab-yaml").click()
        shot("06-yaml-tab.png")
        assert driver.get_log("browser") == [] or all("favicon" in e["message"] for e in driver.get_log("browser"))
    finally:
        driver.quit()
        proc.terminate()
        try:
            proc.wait(10)
        except Exception:  # noqa: BLE001
            proc.kill()
        out = os.environ.get("LGFORMS_TEST_SHOTS")
        if out:
            os.makedirs(out, exist_ok=True)
            for p in sorted(shots.glob("*.png")):
                shutil.copy(p, out)
