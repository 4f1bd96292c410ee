"""Which files a batch import reads, and the tally it prints at the end."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspections import batch


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def test_a_folder_is_searched_recursively_for_reports_in_sorted_order(tmp_path):
    touch(tmp_path / "b.pdf")
    touch(tmp_path / "2011" / "z.txt")
    touch(tmp_path / "2011" / "a.MD")
    touch(tmp_path / "a.pdf")
    touch(tmp_path / "notes.docx")
    touch(tmp_path / "NOTICE")

    found = batch.collect_reports([tmp_path])

    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "2011/a.MD",
        "2011/z.txt",
        "a.pdf",
        "b.pdf",
    ]


def test_hidden_files_and_folders_are_left_out(tmp_path):
    touch(tmp_path / "report.pdf")
    touch(tmp_path / "._report.pdf")
    touch(tmp_path / ".git" / "copy.txt")

    assert batch.collect_reports([tmp_path]) == [tmp_path / "report.pdf"]


def test_a_file_named_on_its_own_is_taken_whatever_its_name(tmp_path):
    notes = touch(tmp_path / "notes.docx")

    assert batch.collect_reports([notes]) == [notes]


def test_paths_keep_their_order_and_a_file_reached_twice_is_read_once(tmp_path):
    first = touch(tmp_path / "folder" / "b.pdf")
    second = touch(tmp_path / "a.pdf")

    found = batch.collect_reports([first, tmp_path / "folder", second])

    assert found == [first, second]


def test_a_missing_path_is_refused_by_name(tmp_path):
    with pytest.raises(batch.MissingPath, match=r"missing\.pdf"):
        batch.collect_reports([tmp_path / "missing.pdf"])


def outcome(name: str, status: str, seconds: float, kind: str = batch.UNREAD_KIND, **kw):
    return batch.Outcome(path=Path(name), status=status, seconds=seconds, kind=kind, **kw)


def test_the_summary_tallies_each_kind_and_names_its_slowest_file():
    summary = batch.Summary()
    summary.add(outcome("a.pdf", batch.IMPORTED, 0.2, "ilacs", items=4, warnings=1))
    summary.add(outcome("b.pdf", batch.IMPORTED, 0.5, "ilacs", items=6))
    summary.add(outcome("c.pdf", batch.DUPLICATE, 0.1, "jtai", items=3))
    summary.add(outcome("d.txt", batch.REFUSED, 0.9, message="No recommendations"))

    rows = {t.kind: t for t in summary.by_kind()}

    assert list(rows) == ["ilacs", "jtai", batch.UNREAD_KIND, "all"]
    assert (rows["ilacs"].files, rows["ilacs"].items, rows["ilacs"].warnings) == (2, 10, 1)
    assert rows["ilacs"].slowest.path == Path("b.pdf")
    assert (rows[batch.UNREAD_KIND].files, rows[batch.UNREAD_KIND].refused) == (1, 1)
    assert (rows["all"].files, rows["all"].refused, rows["all"].items) == (4, 1, 13)
    assert rows["all"].slowest.path == Path("d.txt")
    assert [o.path for o in summary.refused] == [Path("d.txt")]


def test_the_summary_table_lines_up_in_a_terminal():
    summary = batch.Summary()
    summary.add(outcome("a-long-report-name.pdf", batch.PARSED, 0.25, "looked_after_children"))
    summary.add(outcome("b.pdf", batch.PARSED, 1.5, "sif", items=12))

    lines = summary.table().splitlines()

    assert lines[0].split() == ["kind", "files", "refused", "items", "warnings", "slowest"]
    assert lines[2].split() == ["looked_after_children", "1", "0", "0", "0", "0.25", "s",
                                "a-long-report-name.pdf"]  # fmt: skip
    assert lines[3].split() == ["sif", "1", "0", "12", "0", "1.50", "s", "b.pdf"]
    # Each count ends under the end of its heading.
    for heading in ("files", "refused", "items", "warnings"):
        end = lines[0].index(heading) + len(heading)
        for row in lines[2:4]:
            assert row[end - 1].isdigit() and row[end] == " ", (heading, row)
    assert lines[-1] == "2 files: 2 parsed."
