"""Tables that read on a phone: {% stacked_table %} … {% endstacked_table %}.

A data table wider than a phone makes the whole page scroll sideways (WCAG 1.4.10,
reflow). Wrapped in this tag, a `govuk-table` gets the `app-table--stacked` class
(frontend/app.scss): below the GOV.UK tablet breakpoint each row becomes a block and
each cell shows its column's header above its value, as a summary list does. Each body
cell is given its column header as `data-label`, read from the table's own `<thead>`, so
a header is written once and a new column is labelled without anyone remembering to.
At desktop widths the table is untouched, native table semantics included.

A header cell in the body (`<th scope="row">`) heads its stacked row and gets no label.
Only the outermost table is changed.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

STACKED_CLASS = "app-table--stacked"


class _Labeller(HTMLParser):
    """Finds where to write each body cell's label in a table's markup.

    Records edits as (start, end, replacement) offsets into the source, so the markup
    is otherwise returned exactly as written.
    """

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0]
        for index, char in enumerate(source):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.edits: list[tuple[int, int, str]] = []
        self.depth = 0  # tables open; only the outermost (depth 1) is changed
        self.section = ""  # "thead" or "tbody" while inside one
        self.headers: list[str] = []
        self.header_text: list[str] | None = None
        self.header_span = 1
        self.column = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self._add_class(attrs)
            return
        if self.depth != 1:
            return
        attributes = dict(attrs)
        if tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr":
            self.column = 0
            if self.section == "thead":
                self.headers = []
        elif tag in ("th", "td"):
            span = _span(attributes.get("colspan"))
            if self.section == "thead":
                self.header_text, self.header_span = [], span
            elif self.section == "tbody":
                is_row_header = tag == "th" and attributes.get("scope") == "row"
                if not is_row_header and self.column < len(self.headers):
                    self._add_label(self.headers[self.column])
                self.column += span

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.depth -= 1
        elif self.depth != 1:
            return
        elif tag in ("thead", "tbody"):
            self.section = ""
        elif tag in ("th", "td") and self.header_text is not None:
            label = " ".join("".join(self.header_text).split())
            self.headers.extend([label] * self.header_span)
            self.header_text = None

    def handle_data(self, data: str) -> None:
        if self.depth == 1 and self.header_text is not None:
            self.header_text.append(data)

    def _add_class(self, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        classes = dict(attrs).get("class") or ""
        if STACKED_CLASS in classes.split():
            return
        rebuilt = [(name, value) for name, value in attrs if name != "class"]
        rebuilt.insert(0, ("class", f"{classes} {STACKED_CLASS}".strip()))
        text = "".join(
            f" {name}" if value is None else f' {name}="{escape(value)}"' for name, value in rebuilt
        )
        self.edits.append((start, start + len(raw), f"<table{text}>"))

    def _add_label(self, label: str) -> None:
        end_of_tag = self._offset() + len(self.get_starttag_text() or "") - 1
        self.edits.append((end_of_tag, end_of_tag, f' data-label="{escape(label)}"'))


def _span(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def label_cells(html: str) -> str:
    """The table's markup with the stacking class and every body cell's column label."""
    parser = _Labeller(html)
    parser.feed(html)
    parser.close()
    for start, end, replacement in sorted(parser.edits, reverse=True):
        html = html[:start] + replacement + html[end:]
    return html


class StackedTableNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        # The content was rendered (and escaped) by the template engine; labels are
        # escaped here, so the result is as safe as its input.
        return mark_safe(label_cells(self.nodelist.render(context)))  # noqa: S308


@register.tag
def stacked_table(parser: template.base.Parser, token: template.base.Token) -> StackedTableNode:
    """{% stacked_table %}<table class="govuk-table">…</table>{% endstacked_table %}"""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("stacked_table takes no arguments")
    nodelist = parser.parse(("endstacked_table",))
    parser.delete_first_token()
    return StackedTableNode(nodelist)
