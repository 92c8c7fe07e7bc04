"""What the news extractor accepts as input: UTF-8, GBK and Big5 files told apart (or
refused with a message), HTML with its tags and character references removed while
offsets still point into the file as given, and an empty article refused with a
non-zero exit."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from g60kg.cli import main
from g60kg.errors import InputError
from g60kg.news import extract
from g60kg.news.decoding import decode_article
from g60kg.news.review import read_article

pytest.importorskip("jieba")

TRADITIONAL = "鬆江區聚集星海科技等企業八百四十二家,長三角G60科創走廊九城市共同發展。"
SIMPLIFIED = "松江区聚集星海科技等企业八百四十二家,长三角G60科创走廊九城市共同发展。"


@pytest.mark.parametrize("text, encoding", [(TRADITIONAL, "big5"), (TRADITIONAL, "gb18030"), (SIMPLIFIED, "gbk"),
                                            (SIMPLIFIED, "utf-8"), (SIMPLIFIED, "utf-8-sig")])
def test_each_encoding_reads_back_as_written(text: str, encoding: str) -> None:
    assert decode_article(text.encode(encoding)) == text


def test_big5_is_not_read_as_gbk() -> None:
    raw = TRADITIONAL.encode("big5")
    assert raw.decode("gb18030") != TRADITIONAL  # GBK would accept these bytes: they must not be read so
    assert decode_article(raw) == TRADITIONAL


def test_bytes_no_reading_makes_sense_of_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(0x81, 0xFF)) * 4)
    with pytest.raises(InputError, match="cannot tell the encoding"):
        read_article(path)


def test_html_tags_are_dropped_and_offsets_point_into_the_file() -> None:
    page = ('<html><head><style>p{color:red}</style></head><body><div class="a"><p>星海科技有限公司'
            '<b>在</b>松江成立。</p><!-- 广告 --><p>总投资超20亿元&nbsp;,建设研发中心。</p></div></body></html>')
    x = extract(page, link=None)
    assert "<" not in x.article.text and "color" not in x.article.text and "广告" not in x.article.text
    assert {e.name for e in x.entities} >= {"星海科技有限公司", "松江"}
    for m in x.mentions:
        a, b = x.article.original_span(m.start, m.end)
        assert page[a:b] == m.text, m
    located = next(r for r in x.relations if r.predicate == "locatedIn")
    sentence = x.article.sentences[located.sentence]
    assert x.article.source_words(sentence.start, sentence.end) == "星海科技有限公司在松江成立。"


@pytest.mark.parametrize("content", [b"", b"   \n\n", "<p> </p>".encode()])
def test_an_empty_article_is_an_error_with_a_non_zero_exit(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["extract", str(path), "--output-dir", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "empty" in result.output
    assert not (tmp_path / "out").exists()
