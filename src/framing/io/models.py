"""Model files in: fitted scikit-learn estimators built from numbers stored as JSON.

framing ships its learned models as JSON (coefficients, scalers, vocabularies), never pickled:
a pickle runs code when loaded and breaks across scikit-learn versions. These helpers set the
fitted attributes scikit-learn documents for each estimator."""

from __future__ import annotations

import numpy as np

__all__ = ["logistic_regression", "standard_scaler"]


def logistic_regression(coef, intercept: float = 0.0):
    """A fitted binary ``LogisticRegression`` with these coefficients and intercept."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(fit_intercept=bool(intercept))
    model.classes_ = np.array([0, 1])
    model.coef_ = np.array([list(coef)], dtype=float)
    model.intercept_ = np.array([float(intercept)])
    model.n_features_in_ = len(model.coef_[0])
    return model


def standard_scaler(mean, scale):
    """A fitted ``StandardScaler`` with these means and scales."""
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler()
    scaler.mean_ = np.array(mean, dtype=float)
    scaler.scale_ = np.array(scale, dtype=float)
    scaler.var_ = scaler.scale_ ** 2
    scaler.n_features_in_ = len(scaler.mean_)
    scaler.n_samples_seen_ = 1
    return scaler
