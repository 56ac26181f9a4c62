"""The public API is exactly what ``framing.__all__`` lists."""

import framing


def test_all_names_exist_and_are_public():
    for name in framing.__all__:
        assert hasattr(framing, name), name
    public = {n for n in dir(framing) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(framing, n)).__name__ == "module"}
    assert public - modules == set(framing.__all__) - {"__version__"}
