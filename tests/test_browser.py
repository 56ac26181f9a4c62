"""The classroom pages in a real browser: headless Chromium loads the worksheet, ticks boxes,
downloads the answers CSV (made by the page's own JavaScript), and the teacher key renders.

Needs Debian's `chromium` and `chromium-driver` (.ci/run installs them when missing) and
selenium (test extras); skips with the reason otherwise.
"""

import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

import framing
from framing.classroom import CODE_LABELS, build_kit, render_kit
from framing.classroom.agreement import agreement

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium missing: pip install -e '.[test]'")
Image = pytest.importorskip("PIL.Image", reason="pillow missing: pip install -e '.[test]'")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                 reason="headless Chromium not installed (apt-get install chromium "
                                        "chromium-driver; .ci/run does this)")]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1200,1600"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.downloads = downloads
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def lesson(seed_corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lesson")
    kit = build_kit(framing.analyze(seed_corpus), n_sentences=6, seed=5)
    render_kit(kit, folder)
    return kit, folder


def _not_blank(path: Path) -> bool:
    image = Image.open(path).convert("L")
    histogram = image.histogram()
    return image.size[0] > 100 and sum(1 for count in histogram if count) > 20


def test_worksheet_ticks_and_downloads_answers(browser, lesson, tmp_path):
    from selenium.webdriver.common.by import By

    kit, folder = lesson
    browser.get((folder / "worksheet.html").as_uri())
    assert "same story" in browser.title
    browser.find_element(By.ID, "student").send_keys("Ada Lovelace")
    first = kit.coded["item"].iloc[0]
    browser.find_element(By.CSS_SELECTOR, f'input[name="{first}"][value="hedge"]').click()
    browser.find_element(By.CSS_SELECTOR, f'input[name="{first}"][value="nationalist"]').click()
    browser.find_element(By.CSS_SELECTOR, 'input[name="task:contest"][value="B"]').click()
    browser.save_screenshot(str(tmp_path / "worksheet.png"))
    assert _not_blank(tmp_path / "worksheet.png")
    browser.find_element(By.ID, "download").click()
    target = browser.downloads / "answers_Ada_Lovelace.csv"
    for _ in range(50):
        if target.is_file() and target.stat().st_size:
            break
        time.sleep(0.1)
    answers = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert list(answers.columns) == ["student", "item", "label", "value"]
    assert set(answers["student"]) == {"Ada Lovelace"}
    ticked = answers[answers["value"] == "1"][["item", "label"]].values.tolist()
    assert sorted(ticked) == sorted([[first, "hedge"], [first, "nationalist"]])
    assert answers.set_index("item").loc["task:contest", "value"] == "B"
    assert len(answers) == 5 + 6 * len(CODE_LABELS)
    # the downloaded file is what `framing agreement` reads
    result = agreement([target], folder)
    assert set(result.per_student["student"]) == {"Ada Lovelace"}


def test_teacher_key_renders(browser, lesson, tmp_path):
    from selenium.webdriver.common.by import By

    kit, folder = lesson
    browser.get((folder / "teacher_key.html").as_uri())
    reveal = browser.find_element(By.ID, "reveal").text
    for outlet in kit.articles["outlet"]:
        assert outlet in reveal
    marks = browser.find_elements(By.CSS_SELECTOR, ".fr-article mark")
    assert len(marks) > 50 and marks[0].get_attribute("title")
    browser.save_screenshot(str(tmp_path / "key.png"))
    assert _not_blank(tmp_path / "key.png")
