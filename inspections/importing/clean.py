"""Characters and markup: what a conversion or a symbol font left in the text.

Markdown and HTML remnants ("**", "<b>", "<sup>") and bullet glyphs from symbol fonts
(private-use characters such as U+F06E and U+F0A7, "◼", "▪", "•") go. A hyphen at a line end
is kept (Ofsted's reports hyphenate compounds such as "multi-agency", not words) unless the
report itself spells the joined word elsewhere without the hyphen.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections import Counter

LINE_HYPHEN = "\ufffe"
# Far longer than any paragraph in a report: text is not joined beyond it.
MAX_PARAGRAPH = 20_000
BULLET_GLYPHS = "•◼▪■□●○◦‣⁃∙·➢➤►▶✓✔❖◆◇" + "\uf06e\uf0a7\uf0b7\uf0a8\uf0d8\uf076\uf0fc\uf0a1\uf02d"
_TEXT_BULLET = re.compile(r"^\s*(?:[-*+•–]|o(?=\s))\s+(?=\S)")
_GLYPH_BULLET = re.compile(rf"^\s*[{BULLET_GLYPHS}\ue000-\uf8ff]\s*")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_HTML_TAG = re.compile(
    r"</?(?:b|i|u|em|strong|sup|sub|span|font|p|div|small|big|mark|s|strike|del|ins|a|li|ul"
    r"|ol|h[1-6]|center|blockquote|table|tr|td|th|tbody|thead)\b[^<>]{0,300}>",
    re.I,
)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]\((?:[^()\s]|\([^()\s]{0,300}\)){1,2000}\)")
_MD_STRONG = re.compile(r"\*\*|__(?=\S)|(?<=\S)__")
_MD_EMPHASIS = re.compile(r"(?<![\w*\\])\*(?![\s*])(.{1,200}?)(?<![\s*\\])\*(?![\w*])")
_MD_CLOSER = re.compile(r"(?<![\s*\\])\*(?![\w*])")
_MD_BOLD_LINE = re.compile(r"(\*\*|__|<b>|<strong>).+(\*\*|__|</b>|</strong>)", re.I)
_MD_TABLE_RULE = re.compile(r"[|:\-\s]+")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)
_QUOTE = re.compile(r"^\s*>\s?")
_WORD = re.compile(r"[\w’'-]+")
_SPLIT_WORD = re.compile(rf"(\w*){LINE_HYPHEN}\s*(\w*)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


@dataclasses.dataclass
class Para:
    """A paragraph, bullet item, heading or table row, with its text as printed."""

    text: str
    page: int = 0
    bullet: bool = False
    heading_hint: bool = False  # bold or larger type, or a markdown heading
    x0: float | None = None
    # In a table whose first column names the body responsible for each row (area SEND
    # reports: "Responsible body | Areas for priority action"): the row's number in the
    # report (0: not in such a table) and that body, as printed.
    row: int = 0
    responsible: str = ""
    # A heading inside a recommendations section over the items of one theme ("Missing
    # children", "Leadership"): kept to name the items' part of the section.
    theme: bool = False

    @property
    def flat(self) -> str:
        return " ".join(self.text.split())


def clean_markup(text: str) -> tuple[str, bool]:
    """Remove markdown and HTML remnants; also say whether the line was marked a heading."""
    heading = bool(_MD_HEADING.match(text))
    text = _MD_HEADING.sub("", text)
    if _MD_RULE.match(text):
        return "", False
    stripped = text.strip()
    if _MD_BOLD_LINE.fullmatch(stripped):
        heading = True
    if len(stripped) > 1 and stripped[0] == "|" and stripped[-1] == "|":
        # a markdown table row: its cells, tab-separated as in a text copy of a table
        if _MD_TABLE_RULE.fullmatch(stripped):
            return "", False
        text = "\t".join(cell.strip() for cell in stripped[1:-1].split("|"))
    if "<" in text:
        text = _HTML_BREAK.sub(" ", text)
        text = _HTML_TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "*" in text or "_" in text:
        text = _unemphasise(_MD_STRONG.sub("", text))
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    if ">" in text:
        text = _QUOTE.sub("", text)
    return text, heading


def _unemphasise(text: str) -> str:
    # Looking for a closing '*' first keeps a line of many opening ones cheap.
    if "*" in text and _MD_CLOSER.search(text):
        return _MD_EMPHASIS.sub(r"\1", text)
    return text


def normalise_chars(text: str) -> str:
    text = text.translate(_INVISIBLE).replace("\x02", LINE_HYPHEN)
    text = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")
    if any(ch in text for ch in _LIGATURES):
        for ligature, letters in _LIGATURES.items():
            text = text.replace(ligature, letters)
    return text


def split_bullet(text: str, pdf: bool) -> tuple[bool, str]:
    """Whether the line starts with a bullet, and its text without the bullet."""
    match = _GLYPH_BULLET.match(text)
    if match:
        return True, text[match.end() :]
    if not pdf or text.lstrip()[:1] in "-•":
        match = _TEXT_BULLET.match(text)
        if match:
            return True, text[match.end() :]
    return False, text


def prepare_line(line: str, pdf: bool) -> tuple[str, bool, bool]:
    """A line's text without markup or bullet; whether it was a heading, a bullet."""
    text, heading = clean_markup(normalise_chars(line))
    bullet, text = split_bullet(text, pdf)
    text = _PRIVATE_USE.sub("", text)
    return text.rstrip(), heading, bullet


def ends_with_word_hyphen(text: str) -> bool:
    return len(text) > 1 and text[-1] in "-" + LINE_HYPHEN and text[-2].isalpha()


def join_lines(text: str, more: str) -> str:
    if ends_with_word_hyphen(text) and more[:1].isalpha():
        return text.rstrip("-" + LINE_HYPHEN) + LINE_HYPHEN + more.lstrip()
    # A full stop or comma read as a line of its own (after a footnote reference that
    # ended the line before) closes the line it follows: "programme" ".", not "programme .".
    if more.lstrip()[:1] in (".", ",", ";", ":") and not more.lstrip()[1:2].isalnum():
        return text.rstrip() + more.lstrip()
    return text.rstrip() + " " + more.lstrip()


def rejoin_markup(text: str) -> str:
    """Emphasis that a line break split in two ("*'Safeguarding" … "staff'*")."""
    if "*" not in text:
        return text
    return _unemphasise(_MD_STRONG.sub("", text))


def resolve_hyphens(paragraphs: list[Para]) -> None:
    """Keep a line-end hyphen unless the report spells the joined word without one."""
    if not any(LINE_HYPHEN in p.text for p in paragraphs):
        return
    words: Counter[str] = Counter()
    for para in paragraphs:
        words.update(_WORD.findall(para.text.replace(LINE_HYPHEN, " ").lower()))

    def decide(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        whole = (left + right).lower()
        if words[whole] > 0 and words[f"{left}-{right}".lower()] == 0:
            return left + right
        return f"{left}-{right}"

    for para in paragraphs:
        if LINE_HYPHEN in para.text:
            para.text = _SPLIT_WORD.sub(decide, para.text)
