"""Names printed on byline and credit lines: writers, the source (outlet) and editors.

A byline line often holds several fields (``来源：当代商报 时间：2019-09-23 作者：张三 举报``), and
the walk joins inline elements without a space between CJK characters, so a value runs from its
label to the next label (a known one, or a Latin word before a colon), a date, a separator or
a button word (``ACTION_WORDS``), and to the end of the link it starts in. Label lists are data
in ``data`` (the editors' labels in ``words``, shared with the rules that drop credit lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from scraper.extract.data import (
    ACTION_WORDS,
    COUNTER_UNITS,
    DOUBLE_SURNAMES,
    HEADLINE_WORDS,
    JOB_TITLE_WORDS,
    NAME_JOINER_WORDS,
    NAME_JOINERS,
    NOT_NAME_WORDS,
    ORG_SUFFIXES,
    OTHER_LABELS,
    OUTLET_SUFFIXES,
    PUBLISHED_LABELS,
    SOURCE_LABELS,
    USER_DATE_LABELS,
    WRITER_LABELS,
    WRITER_PREFIXES,
)
from scraper.extract.words import EDITOR_LABELS


def _labels(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _label_re(words: Iterable[str], spaced: bool = False, not_after: str = "") -> re.Pattern[str]:
    """A label followed by a colon (with ``spaced``, a CJK label may be followed by a space
    and a CJK name instead: 记者 刘涛); a Latin label must start a word, and none may follow
    one of the characters ``not_after``."""
    space = rf"|(?<=[{_CJK}])\s+(?=[{_CJK}])" if spaced else ""
    return re.compile(
        rf"(?:(?<![A-Za-z{not_after}])(?:{_labels(words)}))(?:\s*[：:]\s*{space})", re.IGNORECASE
    )


def _bar_re(words: Iterable[str], not_after: str = "") -> re.Pattern[str]:
    """A CJK label followed by a bar (作者 | 张三, as self-media print it), unless a bar comes
    before it too (a menu). Kept apart from ``_label_re``: one pattern for both shapes searched
    every line twice as slowly."""
    return re.compile(
        rf"(?<![A-Za-z{not_after}|｜])(?<![|｜]\s)(?:{_labels(words)})(?<=[{_CJK}])\s*[|｜]\s*"
    )


_CJK = "\u4e00-\u9fff"
WRITER_RE = _label_re(WRITER_LABELS, spaced=True)
#: Not a photo's or a video's source (图片来源：, 视频来源：).
SOURCE_RE = _label_re(SOURCE_LABELS, not_after="图片频像")
EDITOR_RE = _label_re(EDITOR_LABELS)
#: The bar form of each label pattern, tried on lines that print a bar.
_BARRED = {
    WRITER_RE: _bar_re(WRITER_LABELS),
    SOURCE_RE: _bar_re(SOURCE_LABELS, not_after="图片频像"),
    EDITOR_RE: _bar_re(EDITOR_LABELS),
}
#: "By Jane Doe" at the start of a line (or after an opening bracket).
PREFIX_RE = re.compile(
    rf"^[\s(（\[【]*(?:{_labels(WRITER_PREFIXES)})(?:\s+(?=\S)|(?-i:(?<=By)(?=[A-Z][a-z])))",
    re.IGNORECASE,
)
#: "Edited by Jane Roe", at the start of a line or after the writer's credit.
_EDITED_BY_RE = re.compile(r"(?:^|[\s(（\[【|,;])(?:edited|reviewed) by\s+(?=\S)", re.IGNORECASE)
#: A writer credited inside the story: （记者 胡晓蓉）, (记者 张三 李四).
REPORTER_RE = re.compile(r"[（(]\s*(?:本报)?(?:记者|通讯员|作者)\s*[：:]?\s*([^（）()]{2,30})[）)]")
#: A writer's name alone in brackets closing a story: （袁源）, (张三 李四).
BRACKETED_RE = re.compile(
    r"^[（(]\s*([\u4e00-\u9fff·]{2,4}(?:[\s、]+[\u4e00-\u9fff·]{2,4}){0,3})\s*[）)]$"
)
#: A writer's name in square brackets after a date and time on a date line: 2004年7月16日08:19
#: [ 黄宇 ], 2004-07-16 08:19 【张三 李四】.
DATED_BRACKET_RE = re.compile(
    r"(?:19|20)\d\d(?:年\d{1,2}月\d{1,2}日|[-/.]\d{1,2}[-/.]\d{1,2})\s*(?:\d{1,2}:\d\d(?::\d\d)?)?"
    r"\s*[\[【]\s*([\u4e00-\u9fff·]{2,4}(?:[\s、]+[\u4e00-\u9fff·]{2,4}){0,3})\s*[\]】]"
)
#: A line of writers' names alone: 胡平, 赵延东、风笑天 (2 to 4 CJK characters a name).
NAMES_LINE_RE = re.compile(r"^[\u4e00-\u9fff·]{2,4}(?:(?:、|\s+)[\u4e00-\u9fff·]{2,4}){0,3}$")
#: writer/outlet on a line of its own: 石佳/中国青年报.
WRITER_OUTLET_RE = re.compile(
    rf"^([\u4e00-\u9fff]{{2,4}}(?:\s+[\u4e00-\u9fff]{{2,4}})*)\s*[/／]\s*"
    rf"([\u4e00-\u9fff]{{2,12}}(?:{_labels(OUTLET_SUFFIXES)}))$"
)
#: A credit line without a colon, names glued to the label or spaced: 本报记者罗科苏盈发自北京,
#: 本报实习生刘国栋 周炜, 新京报记者 张三 李四 (an outlet of up to 8 characters before the
#: label; the names end the line, or 发自 + a place, or 报道).
CREDIT_LINE_RE = re.compile(
    r"^[\u4e00-\u9fff]{0,8}?(?:特约|特派|实习|见习)?(?:记者|实习生|通讯员)\s*"
    r"(?P<names>[\u4e00-\u9fff·]{2,4}(?:(?:[\s、]+|\s*(?:实习生|通讯员)\s*)[\u4e00-\u9fff·]{2,4}){0,5}?)"
    r"(?:\s*(?:发自|自)[\u4e00-\u9fff]{1,8}|\s*报道)?$"
)
#: A writer credited after 文 and a slash or bar (文/张三, 文｜本报记者 张三, 文/图 张三); never
#: 图/… alone (a photo credit).
WRITTEN_SLASH_RE = re.compile(
    r"^(?:文\s*[/／]\s*图\s+|(?:文|撰文|文字|图文)\s*[/／|｜]\s*)(?:(?:本报|特约)?记者\s*)?"
    r"(?P<names>[\u4e00-\u9fff·]{2,4}(?:[\s、]+[\u4e00-\u9fff·]{2,4}){0,5})$"
)
_SLASH_STARTS = frozenset(("文/", "文／", "文|", "文｜", "文 ", "撰文", "文字", "图文"))
_INNER_LABEL_RE = re.compile(r"\s*(?:特约|特派|实习|见习)?(?:记者|实习生|通讯员)\s*")
_CREDIT_SPLIT_RE = re.compile(
    r"[\s、]*(?:特约|特派|实习|见习)?(?:记者|实习生|通讯员)[\s、]*|[\s、]+"
)
#: A poster named by a forum or blog line: ``张三 发表于 2005-9-15``, ``本贴由张三于2005年8月12日…
#: 发表``, ``发布时间 2005/05/17 22:11:42 by 张三``.
_POSTED_BEFORE_RE = re.compile(r"^\s*([^\s:：]{2,30})\s+(?:发表于|发布于)\s*(?:19|20)\d\d")
_POSTED_BY_RE = re.compile(r"由\s*([^\s于]{1,20}?)\s*于\s*(?:19|20)\d\d")
#: "Posted by David at December 16, 2025 11:15 AM": the name ends at " at"/" on".
_POSTED_BY_AT_RE = re.compile(r"\bposted by\s+", re.IGNORECASE)
_AT_DATE_RE = re.compile(r"\s+(?:at|on)\s+")
_DATE_THEN_BY_RE = re.compile(
    r"(?:(?:19|20)\d\d\D{1,3}\d{1,2}\D{1,3}\d{1,2}|[A-Za-z]{3,9}\.? \d{1,2},? (?:19|20)\d\d)"
    r"[^A-Za-z]{0,30}?\bby\s+"
)
_ALL_LABELS = (*WRITER_LABELS, *SOURCE_LABELS, *EDITOR_LABELS, *PUBLISHED_LABELS, *OTHER_LABELS)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
#: Where a value ends: the next label, a date or time, a separator, a "time ago", digits run
#: into a word (Nolan22 Dec), a staff code (霍琦_NBJ11279).
_VALUE_END_RE = re.compile(
    rf"(?:{_labels(_ALL_LABELS)})\s*[：:]|\b[A-Za-z]{{2,12}}:"
    r"|\d{1,4}\s*[-/.年]\s*\d{1,2}|\d{1,2}:\d{2}|\d+\s*(?:分钟|小时|天)前"
    rf"|\b(?:{_MONTHS})[a-z]*\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{_MONTHS})"
    r"|\b\d+\s*(?:seconds?|minutes?|hours?|days?|[smhd])\b(?:\s+ago)?"
    r"|(?-i:(?<=[a-z])\d)|_(?=[A-Za-z0-9])"
    r"|\s[-–—|•·]\s|[|｜•·〓]|\s{3,}|\n|出自\s*[\[【《(（：:]|\s(?:edited|reviewed) by\s"
    r"|\s(?:摄影|摄|图|视频|编辑|责编|校对|审核)\s",
    re.IGNORECASE,
)
_ACTION_END_RE = re.compile(rf"(?:\s*(?:{_labels(ACTION_WORDS)}))+\s*$")
_COUNTER_RE = re.compile(rf"\d\s*(?:{_labels(COUNTER_UNITS)})", re.IGNORECASE)
_JOINER = rf"(?:{_labels(NAME_JOINERS)}|\s(?:{_labels(NAME_JOINER_WORDS)})\s)"
_JOINS = frozenset(NAME_JOINER_WORDS)
_NAME_SPLIT_RE = re.compile(rf"\s*{_JOINER}\s*")
#: A link text ending the value unless names go on after it (Kim, Jett).
_JOINED_AT_START_RE = re.compile(rf"^\s*{_JOINER}")
_JOINED_AT_END_RE = re.compile(rf"{_JOINER}\s*$")
_CJK_CHAR_RE = re.compile(f"[{_CJK}]")
_CJK_OUTLET_RE = re.compile(rf"[{_CJK}](?:{_labels(OUTLET_SUFFIXES)})$")
_CJK_ORG_RE = re.compile(rf"[{_CJK}](?:{_labels((*OUTLET_SUFFIXES, *ORG_SUFFIXES))})$")
_CJK_NAME_RE = re.compile(r"^[\u4e00-\u9fff·]{2,8}$")
_OPEN, _CLOSE = "(（[【《〈「<", ")）]】》〉」>"
_TRIM = " \t:：,，、;；.。-—|/\\\"'“”‘’*■□●◆"
#: Labels that are no names when they stand alone (Author, Reporter, 作者).
_LABEL_WORDS = frozenset(
    w.lower() for w in (*WRITER_LABELS, *WRITER_PREFIXES, *EDITOR_LABELS, *SOURCE_LABELS)
) | {"authors", "reporter", "staff", "admin", "name", "anonymous"}
_MONTHS_SET = frozenset(_MONTHS.split("|")) | {
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "sept",
}  # fmt: skip
_USER_BOX_RE = re.compile(
    r"(?<![A-Za-z])(?:{})(?![A-Za-z])".format("|".join(map(re.escape, USER_DATE_LABELS))),
    re.IGNORECASE,
)
#: Label words that are never part of a CJK name (该作者文章: "this writer's articles").
_CJK_LABEL_WORDS = ("作者", "记者", "编辑", "来源", "实习生", "通讯员")
#: Longest value kept as a name or source.
MAX_NAME_CHARS = 40


def _trim(value: str) -> str:
    """Strip punctuation and unbalanced brackets from both ends (``HN666）`` → ``HN666``)."""
    while True:
        before = value
        value = value.strip(_TRIM)
        if value and value[0] in _OPEN and not any(c in value[1:] for c in _CLOSE):
            value = value[1:]
        if value and value[-1] in _CLOSE and not any(c in value[:-1] for c in _OPEN):
            value = value[:-1]
        if value and value[0] in _OPEN and value[-1] in _CLOSE:
            value = value[1:-1]
        if value == before:
            return value


def cut_value(rest: str, links: Iterable[str] = ()) -> str:
    """The value at the start of ``rest`` (what follows a label): up to the next label, date,
    separator or button word, and no further than the end of a link it starts in or the start
    of a link after it (the walk glues 新京报 and the 举报 link that follows)."""
    rest = _trim(rest)
    match = _VALUE_END_RE.search(rest, 1)
    value = _trim(rest[: match.start()] if match else rest)
    for text in links:
        at = value.find(text) if text else -1
        if at > 0 and _trim(value[:at]) and not _JOINED_AT_END_RE.search(value[:at]):
            value = _trim(value[:at])
        elif at >= 0 and at + len(text) < len(value):
            after = value[at + len(text) :]
            if len(value) > MAX_NAME_CHARS or not _JOINED_AT_START_RE.match(after):
                value = _trim(value[: at + len(text)])
    return _trim(_ACTION_END_RE.sub("", value))


def labelled(text: str, pattern: re.Pattern[str], links: Iterable[str] = ()) -> str | None:
    """The value after the first label ``pattern`` finds in a line, or None."""
    bar = "|" in text or "｜" in text
    if ":" not in text and "：" not in text and " " not in text and not bar:
        return None
    match = pattern.search(text)
    if match is None and bar and pattern in _BARRED:
        match = _BARRED[pattern].search(text)
    if match is None:
        return None
    value = cut_value(text[match.end() :], links)
    return value if 0 < len(value) <= MAX_NAME_CHARS else None


def edited_by(text: str) -> str | None:
    """The editor an "Edited by" line names (no colon), or None."""
    match = _EDITED_BY_RE.search(text)
    if match is None:
        return None
    value = cut_value(text[match.end() :])
    return value if 0 < len(value) <= MAX_NAME_CHARS else None


def prefixed(text: str, links: Iterable[str] = ()) -> str | None:
    """The name after a "By" word that starts the line, or None."""
    match = PREFIX_RE.match(text)
    if match is None:
        return None
    value = cut_value(text[match.end() :], links)
    return value if 0 < len(value) <= MAX_NAME_CHARS else None


def split_names(value: str) -> list[str]:
    """Names of a credit value: split on 、 , / and "and", and on spaces between CJK names."""
    names = []
    for part in _NAME_SPLIT_RE.split(value):
        part = _trim(part)
        words = part.split()
        if len(words) > 1 and all(_CJK_NAME_RE.match(w) for w in words):
            names += words
        elif part:
            names.append(part)
    return names


def is_name(value: str, site_names: Iterable[str] = (), longer: Iterable[str] = ()) -> bool:
    """Whether a value may name a person or outlet: not one letter or two capitals (an avatar's
    initials), a counter, a link, a sentence, a job title, nor (in CJK) the site itself: one of
    ``site_names`` or their start, or only the start of one of ``longer`` (网易 on 网易新闻; a
    portal's own name in its author tag), nor a name starting as they do (新浪财经 on 新浪网: a
    channel). A Latin-script name equal to the site's stays: personal blogs and firms name
    their sites after themselves."""
    if len(value) < 2 or len(value) > MAX_NAME_CHARS or _COUNTER_RE.search(value):
        return False
    if len(value) == 2 and value.isascii() and value.isupper():  # an avatar's initials (AE)
        return False
    if "://" in value or ("." in value and " " not in value) or value.endswith(("。", "？", "?")):
        return False
    if any(mark in value for mark in '=<>"{}:：') or not any(ch.isalpha() for ch in value):
        return False
    lowered = value.lower()
    if lowered in _LABEL_WORDS or lowered.endswith(" by") or lowered.rstrip(".") in _MONTHS_SET:
        return False  # a label printed without its colon (Author, Text by), a month (Aug)
    if _USER_BOX_RE.search(value):
        return False  # a forum's user box (Member Joined Dec ...)
    if not _CJK_CHAR_RE.search(value):  # a firm's or blog's own name stays the writer
        return lowered.rsplit(None, 1)[-1] not in JOB_TITLE_WORDS
    if any(word in value for word in _CJK_LABEL_WORDS):
        return False
    if any(site.startswith(value) and len(site) > len(value) for site in longer):
        return False
    brand = value[:2]  # 新浪财经 on 新浪网: the portal's own channel
    sites = (s for s in (*site_names, *longer) if len(s) > 2 and not value.startswith(s))
    if len(value) > 2 and any(s[:2] == brand for s in sites):
        return False
    return not any(site.startswith(value) for site in site_names if site)


def is_counter(value: str) -> bool:
    """Whether a value is a counter (总篇数919 篇, 243 Reaction score): a value listing one is
    an author box's statistics, not a byline."""
    return _COUNTER_RE.search(value) is not None


def is_outlet(value: str) -> bool:
    """Whether a CJK name is a news outlet's (新京报, 云南网, 央视新闻客户端)."""
    return len(value) > 2 and _CJK_OUTLET_RE.search(value) is not None


def is_organisation(value: str) -> bool:
    """Whether a CJK name is an organisation's (云南网, 云南日报报业集团): a source, not a
    writer."""
    return len(value) > 2 and _CJK_ORG_RE.search(value) is not None


def reporter_in(text: str) -> list[str]:
    """Writers credited inside a story line: （记者 胡晓蓉）."""
    if "（" not in text and "(" not in text:
        return []
    match = REPORTER_RE.search(text)
    if match is None:
        return []
    names = split_names(cut_value(match.group(1)))  # （记者张三 通讯员李四）: two names
    return [n for name in names for n in _INNER_LABEL_RE.split(name) if n.strip()]


def bracketed_names(text: str) -> list[str]:
    """Writers named alone in brackets on a line (（袁源）), never a note such as （未完待续）."""
    match = BRACKETED_RE.match(text.strip()) if len(text) < 40 else None
    if match is None or any(word in match.group(1) for word in NOT_NAME_WORDS):
        return []
    return [n for n in split_names(match.group(1)) if is_name(n) and not is_organisation(n)]


def dated_bracket(text: str) -> list[str]:
    """Writers named in brackets just after the date on a date line (2004年7月16日08:19 [ 黄宇 ]),
    never a label or an outlet there (【来源】, [新华社])."""
    match = DATED_BRACKET_RE.search(text) if "[" in text or "【" in text else None
    if match is None or any(word in match.group(1) for word in NOT_NAME_WORDS):
        return []
    names = split_names(match.group(1))
    return [n for n in names if is_name(n) and not is_organisation(n) and n not in _LABEL_WORDS]


def names_alone(text: str) -> list[str]:
    """Writers of a line that prints only their names (胡平, 赵延东、风笑天), never a word a
    page prints alone under its headline (``HEADLINE_WORDS``) or a note's word."""
    text = text.strip()
    if len(text) > 20 or NAMES_LINE_RE.match(text) is None:
        return []
    if any(word in text for word in (*NOT_NAME_WORDS, *HEADLINE_WORDS)):
        return []
    names = split_names(text)
    return names if all(is_name(n) and not is_organisation(n) for n in names) else []


def writer_outlet(text: str) -> tuple[str, str] | None:
    """``(writer, outlet)`` of a 石佳/中国青年报 line, or None."""
    if "/" not in text and "／" not in text:
        return None
    match = WRITER_OUTLET_RE.match(text)
    return (match.group(1), match.group(2)) if match else None


def _glued(names: str) -> list[str]:
    """Names of a credit line: split on spaces, 、 and further labels (张三 实习生 李四), a
    four-character run into two names unless it starts with a two-character surname."""
    found = []
    for name in _CREDIT_SPLIT_RE.split(names):
        if len(name) == 4 and name[:2] not in DOUBLE_SURNAMES and "·" not in name:
            found += [name[:2], name[2:]]
        elif name:
            found.append(name)
    return found


def credit_line(text: str) -> list[str]:
    """Writers of a credit line without a colon (本报记者罗科苏盈发自北京, 文/张三), or none."""
    if len(text) > 40:
        return []
    text = text.strip()
    match = WRITTEN_SLASH_RE.match(text) if text[:2] in _SLASH_STARTS else None
    if match is None and any(label in text for label in ("记者", "实习生", "通讯员")):
        match = CREDIT_LINE_RE.match(text)
    return _glued(match.group("names")) if match else []


def poster(text: str) -> str | None:
    """The poster a forum or blog line names beside the date (see ``_POSTED_BEFORE_RE``) or
    after "Posted by"."""
    if "发" in text:
        match = _POSTED_BEFORE_RE.match(text) or _POSTED_BY_RE.search(text)
        if match:
            value = _trim(match.group(1))
            return value if is_name(value) else None
    if "by" in text:
        match = _DATE_THEN_BY_RE.search(text) or _POSTED_BY_AT_RE.search(text)
        if match:
            value = cut_value(_AT_DATE_RE.split(text[match.end() :], 1)[0])
            words = value.split()
            capital = len(words) < 2 or all(w[0].isupper() for w in words if w not in _JOINS)
            return value if capital and 0 < len(value) <= MAX_NAME_CHARS else None
    return None
