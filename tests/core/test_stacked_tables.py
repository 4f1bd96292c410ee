"""{% stacked_table %}: each body cell carries its column's header, written once."""

from django.template import Context, Template

TABLE = """{% load tables %}{% stacked_table %}
<table class="govuk-table">
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Plan</th>
    <th scope="col" class="govuk-table__header" colspan="2">Due <span>date</span></th>
    <th scope="col" class="govuk-table__header">{{ heading }}</th>
  </tr></thead>
  <tbody class="govuk-table__body">
    <tr class="govuk-table__row">
      <td class="govuk-table__cell">{{ plan }}</td>
      <td class="govuk-table__cell">1 May</td><td class="govuk-table__cell">2024</td>
      <td class="govuk-table__cell">3</td>
    </tr>
    <tr class="govuk-table__row">
      <th scope="row" class="govuk-table__header">All plans</th>
      <td class="govuk-table__cell"></td><td class="govuk-table__cell"></td>
      <td class="govuk-table__cell">9</td>
    </tr>
  </tbody>
</table>
{% endstacked_table %}"""


def render(template: str = TABLE, **context) -> str:
    return Template(template).render(Context({"plan": "Kent", "heading": "Red", **context}))


def test_each_body_cell_is_labelled_with_its_column_header():
    html = render()
    assert '<table class="govuk-table app-table--stacked">' in html
    assert '<td class="govuk-table__cell" data-label="Plan">Kent</td>' in html
    assert '<td class="govuk-table__cell" data-label="Due date">1 May</td>' in html
    assert '<td class="govuk-table__cell" data-label="Due date">2024</td>' in html
    assert '<td class="govuk-table__cell" data-label="Red">3</td>' in html


def test_a_row_header_heads_its_row_unlabelled_and_later_cells_keep_their_columns():
    html = render()
    assert '<th scope="row" class="govuk-table__header">All plans</th>' in html
    assert '<td class="govuk-table__cell" data-label="Red">9</td>' in html


def test_headers_and_values_stay_escaped():
    html = render(heading='Red "&" <amber>', plan="<b>Kent</b>")
    assert 'data-label="Red &quot;&amp;&quot; &lt;amber&gt;"' in html
    assert "&lt;b&gt;Kent&lt;/b&gt;" in html
    assert "<b>" not in html


def test_the_header_row_is_left_as_written():
    html = render()
    assert '<th scope="col" class="govuk-table__header">Plan</th>' in html
    assert "data-label" not in html.split("</thead>")[0]


def test_a_table_inside_a_cell_is_left_alone():
    inner = TABLE.replace(
        '<td class="govuk-table__cell">{{ plan }}</td>',
        '<td class="govuk-table__cell"><table class="govuk-table"><tbody><tr>'
        "<td>inner</td></tr></tbody></table></td>",
    )
    html = render(inner)
    assert html.count("app-table--stacked") == 1
    assert "<td>inner</td>" in html
    assert '<td class="govuk-table__cell" data-label="Red">3</td>' in html
