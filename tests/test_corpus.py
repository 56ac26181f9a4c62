"""Each loader and each bad input named in the foundation issue."""

import json

import pandas as pd
import pytest

from framing import InputError, load_corpus
from framing.errors import ConfigurationError


def write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


PROSE_A = ("DeepSeek is based in Hangzhou. It was founded by Liang Wenfeng in 2023, and its "
           "engineers released a model that rivals much larger systems.")
PROSE_B = ("Experts warn that new rules may restrict access to American user data. Officials "
           "said the review would take several months to complete.")


@pytest.fixture
def folder(tmp_path):
    write(tmp_path / "corpus" / "b.txt", PROSE_B)
    write(tmp_path / "corpus" / "a.txt", PROSE_A)
    write(tmp_path / "corpus" / "sub" / "c.md", "# A Heading\n\n" + PROSE_A)
    return tmp_path / "corpus"


def test_folder_without_manifest_recursive_sorted(folder):
    corpus = load_corpus(folder)
    assert corpus.articles["article_id"].tolist() == ["a", "b", "sub/c"]
    assert set(corpus.articles["outlet"]) == {"unknown"}
    assert corpus.sentences.query("article_id == 'sub/c'")["is_heading"].tolist()[0]


def test_folder_with_csv_manifest_keeps_manifest_order_and_columns(folder, tmp_path):
    manifest = write(tmp_path / "m.csv", "filename,source,publisher\nb.txt,Outlet B,Pub B\n"
                     "a.txt,,Pub A\nsub/c.md,Outlet C,Pub C\n")
    corpus = load_corpus(folder, manifest, file_column="filename", outlet_column="source")
    articles = corpus.articles
    assert articles["article_id"].tolist() == ["b", "a", "sub/c"]
    # an empty outlet falls back to the publisher
    assert articles["outlet"].tolist() == ["Outlet B", "Pub A", "Outlet C"]
    assert articles["publisher"].tolist() == ["Pub B", "Pub A", "Pub C"]


@pytest.mark.parametrize("suffix", ["json", "yaml", "jsonl"])
def test_manifest_formats(folder, tmp_path, suffix):
    records = [{"file": "a.txt", "outlet": "A"}, {"file": "b.txt", "outlet": "B"},
               {"file": "sub/c.md", "outlet": "C"}]
    if suffix == "json":
        text = json.dumps(records)
    elif suffix == "jsonl":
        text = "\n".join(json.dumps(r) for r in records)
    else:
        text = "\n".join(f"- file: {r['file']}\n  outlet: {r['outlet']}" for r in records)
    corpus = load_corpus(folder, write(tmp_path / f"m.{suffix}", text))
    assert corpus.articles["outlet"].tolist() == ["A", "B", "C"]


def test_csv_table(tmp_path):
    table = pd.DataFrame({"doc": ["x1", "x2"], "body": [PROSE_A, PROSE_B], "site": ["S1", "S2"]})
    path = tmp_path / "t.csv"
    table.to_csv(path, index=False)
    corpus = load_corpus(path, text_column="body", id_column="doc", outlet_column="site")
    assert corpus.articles["article_id"].tolist() == ["x1", "x2"]
    assert corpus.articles["outlet"].tolist() == ["S1", "S2"]
    assert len(corpus.sentences) == 4


def test_jsonl_and_parquet_give_the_same_tables(tmp_path):
    table = pd.DataFrame({"id": ["x1", "x2"], "text": [PROSE_A, PROSE_B], "outlet": ["A", "B"]})
    table.to_json(tmp_path / "t.jsonl", orient="records", lines=True)
    table.to_parquet(tmp_path / "t.parquet")
    from_jsonl = load_corpus(tmp_path / "t.jsonl")
    from_parquet = load_corpus(tmp_path / "t.parquet")
    columns = ["article_id", "outlet", "text", "n_sentences"]
    pd.testing.assert_frame_equal(from_jsonl.articles[columns], from_parquet.articles[columns])
    pd.testing.assert_frame_equal(from_jsonl.sentences, from_parquet.sentences)


def test_list_and_dataframe(tmp_path):
    from_list = load_corpus([PROSE_A, PROSE_B])
    assert from_list.articles["article_id"].tolist() == ["article-1", "article-2"]
    frame = pd.DataFrame({"text": [PROSE_A, PROSE_B], "outlet": ["A", "B"]})
    from_frame = load_corpus(frame)
    assert from_frame.articles["outlet"].tolist() == ["A", "B"]
    pd.testing.assert_frame_equal(from_list.sentences, from_frame.sentences)


def test_table_with_manifest_joined_by_id(tmp_path):
    frame = pd.DataFrame({"id": ["x1", "x2"], "text": [PROSE_A, PROSE_B]})
    manifest = pd.DataFrame({"id": ["x2", "x1"], "outlet": ["B", "A"]})
    corpus = load_corpus(frame, manifest)
    assert corpus.articles["outlet"].tolist() == ["A", "B"]


def test_single_file(tmp_path):
    corpus = load_corpus(write(tmp_path / "one.txt", PROSE_A))
    assert corpus.articles["article_id"].tolist() == ["one"]


# --- bad input --------------------------------------------------------------------------------

def codes(corpus):
    return sorted(corpus.problems["code"])


def test_empty_file_is_listed_and_others_load(folder):
    write(folder / "empty.txt", "  \n")
    corpus = load_corpus(folder)
    assert "empty" not in corpus.articles["article_id"].tolist()
    assert len(corpus.articles) == 3
    row = corpus.problems.iloc[0]
    assert row["code"] == "E-EMPTY" and row["path"].endswith("empty.txt")


def test_binary_file(folder):
    write(folder / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert codes(load_corpus(folder)) == ["E-BINARY"]


def test_non_utf8_file_is_decoded_and_reported(folder):
    write(folder / "latin.txt", "Café owners in Zürich said the naïve plan would fail, déjà vu.",
          encoding="cp1252")
    corpus = load_corpus(folder)
    text = corpus.articles.set_index("article_id").loc["latin", "text"]
    assert "Café" in text and "Zürich" in text and "naïve" in text
    problem = corpus.problems.iloc[0]
    assert problem["code"] == "W-ENCODING" and problem["action"] == "loaded"


def test_undecodable_bytes(folder, monkeypatch):
    import charset_normalizer

    class NoMatch(list):
        def best(self):
            return None

    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda data: NoMatch())
    write(folder / "bad.txt", b"\xfa broken \xc3\x28 \xff")
    assert "E-DECODE" in codes(load_corpus(folder))


def test_manifest_row_with_missing_file(folder, tmp_path):
    manifest = write(tmp_path / "m.csv", "file,outlet\na.txt,A\nb.txt,B\nsub/c.md,C\ngone.txt,G\n")
    corpus = load_corpus(folder, manifest)
    assert codes(corpus) == ["E-MISSING"]
    assert "gone.txt" in corpus.problems.iloc[0]["problem"]
    assert len(corpus.articles) == 3


def test_file_not_in_manifest(folder, tmp_path):
    manifest = write(tmp_path / "m.csv", "file,outlet\na.txt,A\n")
    corpus = load_corpus(folder, manifest)
    assert codes(corpus) == ["E-UNLISTED", "E-UNLISTED"]
    assert corpus.articles["article_id"].tolist() == ["a"]


def test_duplicate_ids(tmp_path):
    frame = pd.DataFrame({"id": ["x", "x"], "text": [PROSE_A, PROSE_B]})
    corpus = load_corpus(frame)
    assert codes(corpus) == ["E-DUPLICATE-ID"]
    assert corpus.articles["text"].tolist() == [PROSE_A]


def test_duplicate_ids_from_folder(folder):
    write(folder / "a.md", PROSE_B)
    assert codes(load_corpus(folder)) == ["E-DUPLICATE-ID"]


def test_size_limit(folder):
    write(folder / "big.txt", "word " * 1000)
    corpus = load_corpus(folder, max_bytes=2000)
    assert codes(corpus) == ["E-TOO-LARGE"]
    assert "--max-bytes" in corpus.problems.iloc[0]["hint"]


def test_manifest_path_escaping_the_folder(folder, tmp_path):
    write(tmp_path / "secret.txt", "A secret file outside the corpus folder entirely.")
    manifest = write(tmp_path / "m.csv", "file,outlet\na.txt,A\nb.txt,B\nsub/c.md,C\n"
                     "../secret.txt,X\n")
    corpus = load_corpus(folder, manifest)
    assert codes(corpus) == ["E-ESCAPE"]
    assert "secret" not in " ".join(corpus.articles["text"])


def test_strict_stops_at_first_bad_input(folder):
    write(folder / "empty.txt", "")
    with pytest.raises(InputError, match=r"empty.txt: file is empty"):
        load_corpus(folder, strict=True)


def test_missing_path_and_bad_column():
    with pytest.raises(InputError, match="no such file or folder"):
        load_corpus("/nonexistent/folder")
    with pytest.raises(ConfigurationError, match="text column 'body' not found"):
        load_corpus(pd.DataFrame({"text": ["x"]}), text_column="body")


def test_non_english_article_is_flagged():
    chinese = "深度求索是一家位于杭州的人工智能公司。它由梁文锋创立。公司发布了多个开源模型，引起了全世界的关注。"
    with pytest.warns(UserWarning, match="English measures will skip"):
        corpus = load_corpus([PROSE_A, chinese])
    assert corpus.articles["is_english"].tolist() == [True, False]
    assert "W-LANGUAGE" in codes(corpus)


def test_broken_byte_order_mark(folder):
    write(folder / "bom.txt", b"\xff\xfe\xfa broken \xc3\x28")
    corpus = load_corpus(folder)
    assert codes(corpus) == ["E-DECODE"]
    assert "byte-order mark" in corpus.problems.iloc[0]["problem"]


def test_outlet_from_the_one_candidate_column_with_a_warning(tmp_path):
    frame = pd.DataFrame({"text": [PROSE_A, PROSE_B], "source": ["BBC", "CNN"]})
    corpus = load_corpus(frame)
    assert corpus.articles["outlet"].tolist() == ["BBC", "CNN"]
    assert corpus.problems[["code", "action"]].values.tolist() == [["W-OUTLET", "used 'source'"]]
    hosts = load_corpus(pd.DataFrame({"text": [PROSE_A, PROSE_B],
                                      "url": ["https://www.bbc.co.uk/news/1", "http://cnn.com/x"]}))
    assert hosts.articles["outlet"].tolist() == ["bbc.co.uk", "cnn.com"]


def test_several_outlet_candidates_are_an_error_and_none_is_said():
    frame = pd.DataFrame({"text": [PROSE_A], "source": ["BBC"], "publisher": ["BBC News"]})
    with pytest.raises(ConfigurationError, match="'source', 'publisher'"):
        load_corpus(frame)
    assert load_corpus(frame, outlet_column="publisher").articles["outlet"].tolist() == ["BBC News"]
    unknown = load_corpus(pd.DataFrame({"text": [PROSE_A], "section": ["tech"]}))
    assert unknown.articles["outlet"].tolist() == ["unknown"]
    assert "every article's outlet is 'unknown'" in unknown.problems["problem"].iloc[0]
    assert load_corpus([PROSE_A]).problems.empty  # plain texts have no metadata to look at


def test_missing_manifest_files_match_unlisted_files_by_name(tmp_path):
    import unicodedata

    folder = tmp_path / "c"
    write(folder / "DeepSeek_revenue_in_contrast_to_Silicon_Valley.txt", PROSE_A)
    write(folder / "Café report.txt", PROSE_B)
    write(folder / "twin_one.txt", PROSE_A + " One.")
    write(folder / "twin_two.txt", PROSE_A + " Two.")
    cafe = unicodedata.normalize("NFD", "café_report.txt")  # other Unicode form, case, spaces
    manifest = write(tmp_path / "m.csv", "file,outlet\nDeepSeek_revenue_in_contr.txt,A\n"
                                         f"{cafe},B\ntwin.txt,C\n")
    corpus = load_corpus(folder, manifest)
    assert corpus.articles[["article_id", "outlet"]].values.tolist() == [
        ["DeepSeek_revenue_in_contrast_to_Silicon_Valley", "A"], ["Café report", "B"]]
    problems = corpus.problems.set_index("code")["problem"]
    assert "'DeepSeek_revenue_in_contrast_to_Silicon_Valley.txt'" in problems["W-FILENAME"].iloc[0]
    assert "it could be 'twin_one.txt', 'twin_two.txt'" in problems["E-MISSING"]
    assert corpus.problems["code"].tolist().count("E-UNLISTED") == 2  # the twins
    with pytest.raises(InputError, match="matched by name"):
        load_corpus(folder, manifest, strict=True)
