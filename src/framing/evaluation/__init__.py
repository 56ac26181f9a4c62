"""Evaluation: validation against public annotated data (``validate``) and training of the
learned models (``training`` for the cue models, ``lines`` for the page-furniture model)."""

#: What ``framing train`` can train: the three cue models and the page-furniture line model.
TRAINABLE = ("hedge", "attribution", "nationalist", "lines")
