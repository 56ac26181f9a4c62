"""Provenance of a run: versions, lexicon hashes, input hashes and options."""

from __future__ import annotations

import hashlib
import platform
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

__all__ = ["config_provenance", "file_sha256", "provenance", "run_provenance"]

PACKAGES = ("framing", "pandas", "numpy", "scipy", "scikit-learn", "nltk", "vaderSentiment",
            "seaborn", "matplotlib", "ftfy", "charset-normalizer", "py3langid")


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def run_provenance() -> dict:
    """When and with which Python, platform and package versions a command ran."""
    return {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": {p: _version(p) for p in PACKAGES},
    }


def config_provenance(config) -> dict:
    """Versions, lexicons and models of a run (the part that does not depend on the data)."""
    return {
        **run_provenance(),
        "lexicons": {name: {"label": lex.label, "sha256": lex.sha256, "origin": lex.origin,
                            "extended_by": list(lex.extra_origins), "sources": list(lex.sources)}
                     for name, lex in config.lexicons.items()},
        "models": {name: {"label": m.label, "sha256": m.sha256, "threshold": m.threshold,
                          "training": m.training}
                   for name, m in config.models.items()},
        **({"frame_models": {name: {"label": m.version_label, "sha256": m.sha256,
                                    "threshold": m.threshold, "training": m.training}
                             for name, m in config.frame_models.items()}}
           if getattr(config, "frame_models", None) else {}),
    }


def provenance(analysis) -> dict:
    """Everything needed to reproduce ``analysis``: what ran, on what, with which options."""
    articles = analysis.articles
    source = analysis.options.get("source")
    inputs = []
    if source and Path(source).exists():
        root = Path(source)
        if root.is_dir():
            for rel in articles.get("source_path", []):
                inputs.append({"path": rel, "sha256": file_sha256(root / rel)})
        else:
            inputs.append({"path": str(root), "sha256": file_sha256(root)})
    else:
        for article_id, raw in zip(articles["article_id"], articles["raw_text"]):
            inputs.append({"article_id": article_id,
                           "sha256": hashlib.sha256(raw.encode("utf-8")).hexdigest()})
    manifest = analysis.options.get("manifest")
    if manifest and Path(manifest).is_file():
        inputs.append({"manifest": manifest, "sha256": file_sha256(manifest)})
    return {
        **config_provenance(analysis.config),
        "furniture_rules": {"version": analysis.options.get("furniture_version"),
                            "source": analysis.options.get("furniture"),
                            "line_model": analysis.options.get("line_model"),
                            "line_model_sha256": analysis.options.get("line_model_sha256")},
        "targets": {k: list(v) for k, v in analysis.config.targets.items()},
        "inputs": inputs,
        "options": analysis.options,
        "counts": {"articles": len(articles), "sentences": len(analysis.sentences),
                   "matches": len(analysis.matches), "problems": len(analysis.corpus.problems)},
    }
