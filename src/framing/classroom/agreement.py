"""Agreement of students' coding with the tool and between students (``framing agreement``).

Reads the answer CSVs the worksheet downloads (long format: ``student, item, label, value``)
and the ``key.csv`` written beside the teacher key. Per student and label: Cohen's kappa with
the tool (scikit-learn); for the group: Krippendorff's alpha per label (the ``krippendorff``
package, nominal level, students only and students plus the tool); a per-sentence table of
disagreements; task answers compared with the tool's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..io.tables import restore_csv_cell

__all__ = ["AgreementResult", "agreement", "is_blank", "read_answers"]

ANSWER_COLUMNS = ["student", "item", "label", "value"]


def read_answers(path: str | Path) -> pd.DataFrame:
    """One answers CSV, checked: the columns, the values (0/1 for codes), a student name."""
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"cannot read answers ({exc})", path=str(path),
                         hint="use the CSV the worksheet downloads or answers_template.csv") from exc
    missing = [c for c in ANSWER_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", path=str(path),
                         hint="columns must be student,item,label,value")
    frame = frame[ANSWER_COLUMNS].copy()
    frame["student"] = frame["student"].map(restore_csv_cell)
    codes = frame["label"] != "answer"
    bad = frame.loc[codes & ~frame["value"].isin(["0", "1", ""]), "value"]
    if len(bad):
        row = int(bad.index[0]) + 2
        raise InputError(f"line {row}: value {bad.iloc[0]!r} is not 0 or 1", path=str(path),
                         hint="tick boxes are 1 (ticked) or 0 (not ticked)")
    name = frame["student"].replace("", np.nan).dropna()
    frame["student"] = name.iloc[0] if len(name) else path.stem
    frame["source_file"] = path.name
    return frame


def is_blank(sheet: pd.DataFrame) -> bool:
    """A sheet with no task answered and no box ticked: the template, or a download made
    before the student did anything. Counting it would look like a student who found nothing."""
    answered = (sheet["label"] == "answer") & (sheet["value"] != "")
    ticked = (sheet["label"] != "answer") & (sheet["value"] == "1")
    return not (answered.any() or ticked.any())


class AgreementResult:
    """Tables of :func:`agreement` (all pandas DataFrames)."""

    def __init__(self, per_student, group, disagreements, tasks, codes, blank=()):
        self.blank = list(blank)            # answer files left out: blank sheets
        self.per_student = per_student      # student, label, n, agree, kappa
        self.group = group                  # label, alpha_students, alpha_with_tool, n_students
        self.disagreements = disagreements  # item, label, tool, yes, no, share_with_tool
        self.tasks = tasks                  # student, task, answer, tool, matches_tool
        self.codes = codes                  # the wide table of codes: item x label x coder

    def figure(self, ax=None):
        """Heatmap of each student's kappa with the tool per label."""
        import matplotlib.pyplot as plt
        import seaborn as sns

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 1.5 + 0.4 * self.per_student["student"].nunique()))
        table = self.per_student.pivot(index="student", columns="label", values="kappa")
        if table.empty:
            ax.text(0.5, 0.5, "No coded sentences.", ha="center", va="center",
                    transform=ax.transAxes)
            return ax
        from ..plot import plain

        sns.heatmap(table.rename(index=plain, columns=plain), ax=ax, vmin=-1, vmax=1, cmap="vlag",
                    annot=True, fmt=".2f", cbar_kws={"label": "Cohen's kappa with the tool"})
        ax.set_title("How far each student agrees with the tool\n(1 = always, 0 = chance, n/a = no variation)")
        ax.set_xlabel("label")
        ax.set_ylabel("student")
        return ax


def _kappa(a: np.ndarray, b: np.ndarray) -> float:
    from sklearn.metrics import cohen_kappa_score

    if len(set(a) | set(b)) < 2:
        return float("nan")  # no variation: kappa is undefined
    return float(cohen_kappa_score(a, b))


def _alpha(matrix: np.ndarray) -> float:
    import krippendorff

    valid = ~np.isnan(matrix)
    if matrix.shape[0] < 2 or len(np.unique(matrix[valid])) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def agreement(answer_files: list[str | Path], key_folder: str | Path) -> AgreementResult:
    """Compare every answers file with the tool's key and with each other."""
    key_path = Path(key_folder) / "key.csv"
    if not key_path.is_file():
        raise InputError("no key.csv in the key folder", path=str(key_folder),
                         hint="give the folder `framing classroom` wrote")
    key = read_answers(key_path)
    sheets, blank = [], []
    for path in answer_files:
        sheet = read_answers(path)
        if is_blank(sheet):
            blank.append(str(path))
        else:
            sheets.append(sheet)
    if not sheets:
        raise InputError("every answer sheet is blank (nothing answered, nothing ticked)",
                         path=str(answer_files[0]) if answer_files else None,
                         hint="give the sheets the students filled in, not answers_template.csv",
                         code="E-EMPTY")
    answers = pd.concat(sheets, ignore_index=True)
    if answers["student"].duplicated().any() and answers.groupby("student")["source_file"].nunique().max() > 1:
        # two files with the same name: keep them apart
        answers["student"] = answers["student"] + " (" + answers["source_file"] + ")"
    codes = answers[answers["label"] != "answer"]
    key_codes = key[key["label"] != "answer"].set_index(["item", "label"])["value"]
    unknown = sorted(set(codes["item"]) - set(key_codes.index.get_level_values(0)))
    if unknown:
        raise InputError(f"sentence {unknown[0]} is not in this key",
                         path=str(codes.loc[codes["item"] == unknown[0], "source_file"].iloc[0]),
                         hint="use the key folder made together with this worksheet")
    codes = codes[codes["value"] != ""]
    wide = codes.pivot_table(index=["item", "label"], columns="student", values="value",
                             aggfunc="first").astype(float)
    wide["framing"] = key_codes.reindex(wide.index).astype(float)
    students = [c for c in wide.columns if c != "framing"]
    rows = []
    for student in students:
        for label, part in wide.groupby(level="label"):
            pair = part[[student, "framing"]].dropna()
            rows.append({"student": student, "label": label, "n": len(pair),
                         "agree": float((pair[student] == pair["framing"]).mean()) if len(pair) else np.nan,
                         "kappa": _kappa(pair[student].to_numpy(), pair["framing"].to_numpy())})
    per_student = pd.DataFrame(rows, columns=["student", "label", "n", "agree", "kappa"])
    group = []
    for label, part in wide.groupby(level="label"):
        group.append({"label": label, "n_students": len(students),
                      "alpha_students": _alpha(part[students].to_numpy().T),
                      "alpha_with_tool": _alpha(part[students + ["framing"]].to_numpy().T)})
    group = pd.DataFrame(group, columns=["label", "n_students", "alpha_students", "alpha_with_tool"])
    yes = wide[students].sum(axis=1)
    counted = wide[students].notna().sum(axis=1)
    disagreements = pd.DataFrame({
        "tool": wide["framing"], "yes": yes.astype(int), "no": (counted - yes).astype(int),
        "share_with_tool": (wide[students].eq(wide["framing"], axis=0).sum(axis=1) / counted),
    }).reset_index()
    disagreements = disagreements[disagreements["share_with_tool"] < 1].sort_values(
        ["share_with_tool", "item", "label"]).reset_index(drop=True)
    key_tasks = key[key["label"] == "answer"].set_index("item")["value"]
    tasks = answers[answers["label"] == "answer"][["student", "item", "value"]].rename(
        columns={"item": "task", "value": "answer"})
    tasks["tool"] = tasks["task"].map(key_tasks)
    # a tie ("A/C") agrees with either article
    tasks["matches_tool"] = [answer != "" and (answer == tool or answer in str(tool).split("/"))
                             for answer, tool in zip(tasks["answer"], tasks["tool"])]
    tasks["task"] = tasks["task"].str.removeprefix("task:")
    return AgreementResult(per_student, group, disagreements, tasks.reset_index(drop=True), wide,
                           blank)
