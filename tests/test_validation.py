"""Validation figures against human annotations, pinned with floors a little under what we reach.

These need ../shared/validation (present in CI) and skip with a reason when it is absent.
"""

import pytest

from framing.lexicons import load_lexicons
from framing.validate import (render_markdown, run_validation, validate_attribution, validate_gold,
                              validate_hedges)

pytestmark = pytest.mark.validation


def test_hedges_factbank(validation_dir):
    result = validate_hedges(validation_dir, load_lexicons())
    assert result["without conditional cues"]["sentence"]["f1"] >= 0.72
    assert result["with conditional cues"]["sentence"]["f1"] >= 0.76
    # better than the plain word list
    v = result["without conditional cues"]
    assert v["sentence"]["f1"] > v["baseline_sentence"]["f1"] + 0.1


def test_attribution_polnear(validation_dir):
    result = validate_attribution(validation_dir, load_lexicons())
    assert result["sentence"]["f1"] >= 0.76
    assert result["sentence"]["f1"] > result["baseline_sentence"]["f1"] + 0.2
    assert result["direct_quote"]["f1"] >= 0.80


def test_gold_sentences():
    result = validate_gold()
    for label in ("hedge", "booster", "attributed", "nationalist", "cautionary"):
        assert result[label]["f1"] >= 0.85, label


@pytest.mark.slow
def test_full_report_renders(validation_dir):
    results = run_validation(validation_dir)
    assert results["sentiment"]["pearson"] >= 0.49
    text = render_markdown(results, validation_dir)
    assert "Do not edit by hand" in text and "PolNeAR" in text
