"""An article file's bytes to text: UTF-8 (with or without BOM), else GBK/GB18030 or
Big5, told apart by how much of each reading is common Chinese; a file neither reading
makes sense of is refused with a message, never read as garbage.
"""

from __future__ import annotations

from pathlib import Path

from g60kg.errors import InputError, Location

__all__ = ["decode_article"]

# The most frequent Chinese characters in news text, simplified (a traditional reading
# is simplified before it is compared).
_COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
    "多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合"
    "还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只"
    "没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边"
    "流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造"
    "百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例"
    "真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且"
    "究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何"
    "除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满"
    "县局照参红细引听该铁价严龙飞创科企协会城走廊沪浙苏皖湖州嘉兴杭松芜宣合肥"
)
_READINGS = ("gb18030", "big5")
_MIN_SHARE = 0.3  # of Han characters that are common ones, for a reading to make sense


_COMMON_SET = frozenset(_COMMON)


def _share(text: str) -> float:
    """The share of Han characters that are common ones (traditional read as simplified)."""
    from g60kg.text.normalize import to_simplified

    han = [c for c in to_simplified(text) if "\u4e00" <= c <= "\u9fff"]
    return sum(c in _COMMON_SET for c in han) / len(han) if han else 0.0


def decode_article(raw: bytes, where: str | Path = "<bytes>") -> str:
    """The text of an article's bytes.

    >>> decode_article("鬆江區科創走廊發展".encode("big5"))
    '鬆江區科創走廊發展'
    >>> decode_article("松江区科创走廊发展".encode("gbk"))
    '松江区科创走廊发展'
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    readings: dict[str, str] = {}
    for encoding in _READINGS:
        try:
            readings[encoding] = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    scored = sorted(((_share(text), encoding) for encoding, text in readings.items()), reverse=True)
    if not scored or scored[0][0] < _MIN_SHARE:
        tried = ", ".join(f"{e} {s:.0%} common characters" for s, e in scored) or "no reading decodes it"
        raise InputError(Location(str(where)), f"cannot tell the encoding (UTF-8, GBK/GB18030 or Big5 tried: {tried}); "
                                               "save the article as UTF-8")
    return readings[scored[0][1]]
