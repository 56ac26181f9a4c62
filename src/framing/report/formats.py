"""The formats figures can be saved in, defined once for the library and the command line (a
module of its own, so that the command line need not import matplotlib to offer them)."""

#: Every format ``--figure-format`` accepts.
FIGURE_FORMATS = ("png", "svg", "pdf")
#: The formats saved when none is asked for.
DEFAULT_FIGURE_FORMATS = ("png", "svg")
