"""Shared fixtures: paths to the seeds and the shared validation data, figure clean-up."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
VALIDATION = ROOT.parent / "shared" / "validation"


@pytest.fixture(autouse=True)
def _determinism():
    random.seed(0)
    np.random.seed(0)
    yield
    try:
        import matplotlib.pyplot as plt

        plt.close("all")
    except ImportError:  # pragma: no cover
        pass


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_corpus():
    from framing import load_corpus

    return load_corpus(SEEDS, SEEDS / "manifest.csv")


@pytest.fixture(scope="session")
def validation_dir() -> Path:
    if not VALIDATION.is_dir():
        pytest.skip(f"validation data not found at {VALIDATION} (it is present in CI only)")
    return VALIDATION


@pytest.fixture(scope="session")
def extraction_figures(validation_dir) -> dict:
    """``validate_extraction`` on the real pages, computed once (its cross-validation of the
    line model takes about a minute)."""
    from framing.evaluation.validate import validate_extraction

    return validate_extraction(validation_dir)
