from framing.clean.textmap import TrackedText


def test_identity_map():
    tracked = TrackedText("hello world")
    assert tracked.raw_span(6, 11) == (6, 11)


def test_replacement_of_other_length_maps_to_whole_raw_span():
    tracked = TrackedText("a\r\nb").replace([(1, 3, "\n")])
    assert tracked.text == "a\nb"
    assert tracked.raw_span(2, 3) == (3, 4)  # "b" is still raw offset 3
    assert tracked.raw_span(1, 2) == (1, 3)  # the new "\n" came from "\r\n"


def test_apply_by_line_records_edits_in_raw_offsets():
    tracked = TrackedText("first  line\nsecond\u00a0line")
    new, edits = tracked.apply_by_line(lambda line: " ".join(line.split()))
    assert new.text == "first line\nsecond line"
    assert {(e.raw_start, e.before) for e in edits} == {(5, " "), (18, "\u00a0")} or len(edits) == 2
    # "second" keeps its raw position although text before it shrank
    start = new.text.index("second")
    assert new.raw_span(start, start + 6) == (12, 18)


def test_drop_lines_keeps_map():
    tracked = TrackedText("keep\ndrop me\nalso keep").drop_lines({1})
    assert tracked.text == "keep\nalso keep"
    start = tracked.text.index("also")
    assert tracked.raw_span(start, start + 9) == (13, 22)


def test_drop_last_line():
    tracked = TrackedText("keep\ndrop").drop_lines({1})
    assert tracked.text == "keep"


def test_compact_map_stores_runs_not_characters():
    tracked = TrackedText("keep\ndrop me\nalso  keep\r\nend").drop_lines({1})
    tracked = tracked.replace([(tracked.text.index("\r\n"), tracked.text.index("\r\n") + 2, "\n")])
    compact = tracked.compact()
    assert len(compact.starts) == 4  # "keep\n", "also  keep", the new "\n", "end"
    for start in range(len(tracked) + 1):
        for end in range(start, len(tracked) + 1):
            assert compact.raw_span(start, end) == tracked.raw_span(start, end)
