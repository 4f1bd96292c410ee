"""The repeat detector: an item of a new report against the authority's earlier items."""

import json
from pathlib import Path

import pytest

from inspections.repeats import MOST_SUGGESTED, find_repeats, normalise

HERE = Path(__file__).parent
# Labelled by reading the reports: the tuning set chose the detector's numbers, the
# held-out set (two other councils, every pair the earlier detector flagged and the
# repeats found by reading) chose nothing. REPORTS holds every item of those reports as
# the importer reads them, so a pair can be put to the detector as import does: among all
# the council's earlier items.
PAIRS = json.loads((HERE / "repeats_pairs.json").read_text())
HELD_OUT = json.loads((HERE / "repeats_pairs_heldout.json").read_text())
REPORTS = json.loads((HERE / "repeats_pairs_reports.json").read_text())

# The figures measured (docs/benchmarks.md, "Finding repeats") less a margin of 0.05:
# (set, way) -> (precision, recall). "alone": the pair by itself; "as imported": the later
# item among all the earlier items of its council, flagged when the earlier is suggested.
FLOORS = {
    ("tuning", "alone"): (0.83, 0.74),  # measured 0.88, 0.79
    ("tuning", "as imported"): (0.89, 0.84),  # measured 0.94, 0.89
    ("heldout", "alone"): (0.30, 0.45),  # measured 0.35, 0.50
    ("heldout", "as imported"): (0.24, 0.38),  # measured 0.29, 0.43
}

OVERSIGHT_2019 = (
    "The consistency of practice, including the effectiveness of front-line management "
    "oversight and supervision."
)
OVERSIGHT_2024 = (
    "The effectiveness of management oversight and supervision in driving practice improvement."
)
LIFE_STORY = "Effective and consistent provision of life-story work."
SUFFICIENCY = (
    "Increasing sufficiency to avoid the use of unregistered children’s homes or "
    "supported accommodation."
)


def test_identical_text_is_a_repeat_with_the_top_score():
    [repeat] = find_repeats(text=OVERSIGHT_2024, earlier=[OVERSIGHT_2024])
    assert repeat.score == 100
    assert repeat.index == 0


def test_reworded_repeat_is_found():
    repeats = find_repeats(text=OVERSIGHT_2024, earlier=[OVERSIGHT_2019])
    assert [r.text for r in repeats] == [OVERSIGHT_2019]


def test_framework_cross_reference_is_ignored():
    plain = "Life-story work for children in long-term care."
    referenced = "Life-story work for children in long-term care (Outcome 4, national framework)."
    assert normalise(plain) == normalise(referenced)
    [repeat] = find_repeats(text=referenced, earlier=[plain])
    assert repeat.score == 100


def test_shared_cross_reference_alone_does_not_make_a_repeat():
    earlier = "Timeliness of early help support (outcome 1, national framework)."
    later = (
        "The completion of mandatory training for approved foster carers "
        "(outcome 1, national framework)."
    )
    assert find_repeats(text=later, earlier=[earlier]) == []


def test_framing_words_do_not_make_a_repeat():
    earlier = "The effectiveness of the quality of the timeliness of life-story work."
    assert normalise(earlier) == normalise("Life-story work")
    assert find_repeats(text="The effectiveness of supervision.", earlier=[earlier]) == []


def test_unrelated_item_is_not_flagged():
    assert find_repeats(text=OVERSIGHT_2024, earlier=[LIFE_STORY, SUFFICIENCY]) == []


def test_repeats_come_best_first_and_keep_their_positions():
    earlier = [SUFFICIENCY, OVERSIGHT_2019, OVERSIGHT_2024]
    repeats = find_repeats(text="Management oversight and supervision.", earlier=earlier)
    assert [r.index for r in repeats] == [2, 1]
    assert repeats[0].score > repeats[1].score


def test_a_weaker_match_is_not_offered_beside_one_that_names_it_again():
    earlier = [SUFFICIENCY, OVERSIGHT_2019, OVERSIGHT_2024]
    assert [r.index for r in find_repeats(text=OVERSIGHT_2024, earlier=earlier)] == [2]


def test_at_most_a_few_earlier_items_are_suggested():
    earlier = [f"{OVERSIGHT_2024} ({n})" for n in range(6)]
    assert len(find_repeats(text=OVERSIGHT_2024, earlier=earlier)) == MOST_SUGGESTED == 3


def test_no_subject_word_in_common_is_no_repeat():
    earlier = (
        "The consistent quality and effectiveness of assessments and plans for children in "
        "need and children in need of protection."
    )
    assert find_repeats(text="Reduction in the caseloads of PAs.", earlier=[earlier]) == []


def test_one_broad_word_in_common_is_no_repeat():
    earlier = "Contingency planning in child protection plans."
    assert find_repeats(text="Permanence planning for children.", earlier=[earlier]) == []


def test_a_word_the_earlier_items_all_use_weighs_less_than_a_rare_one():
    earlier = [
        "Pathway plans for care leavers.",
        "Plans for children in need.",
        "Care plans for disabled children.",
        "Plans for care leavers who go missing.",
        "Management oversight of case work.",
    ]
    repeats = find_repeats(text="Management oversight of plans for care leavers.", earlier=earlier)
    assert repeats[0].index == 4


def test_verb_forms_meet():
    assert normalise("Stepping up cases from early help") == normalise(
        "Step up case from early help"
    )


def test_threshold_limits_what_is_returned():
    assert find_repeats(text=OVERSIGHT_2024, earlier=[OVERSIGHT_2019], threshold=100.1) == []


def test_empty_inputs_have_no_repeats():
    assert find_repeats(text=OVERSIGHT_2024, earlier=[]) == []
    assert find_repeats(text="", earlier=[OVERSIGHT_2019]) == []
    assert find_repeats(text="The quality of the effectiveness.", earlier=[OVERSIGHT_2019]) == []
    assert find_repeats(text=OVERSIGHT_2024, earlier=[""]) == []


def test_labelled_pairs_are_many_and_varied():
    assert len(PAIRS) >= 40
    assert len({p["authority"] for p in PAIRS}) >= 6
    assert 0.25 <= sum(p["repeat"] for p in PAIRS) / len(PAIRS) <= 0.45
    assert len(HELD_OUT) >= 30
    assert not {p["authority"] for p in HELD_OUT} & {p["authority"] for p in PAIRS}
    assert all(p["why"] for p in PAIRS + HELD_OUT)


def test_every_labelled_item_is_an_item_of_its_report():
    items = {r["file"]: r["items"] for held in REPORTS.values() for r in held}
    for p in PAIRS + HELD_OUT:
        assert p["earlier"]["text"] in items[p["earlier"]["file"]]
        assert p["later"]["text"] in items[p["later"]["file"]]


def _earlier_items(pair):
    held = REPORTS[pair["authority"]]
    when = next(r["date"] for r in held if r["file"] == pair["later"]["file"])
    return [text for r in held if r["date"] < when for text in r["items"]]


def _flagged(pair, way):
    earlier = [pair["earlier"]["text"]] if way == "alone" else _earlier_items(pair)
    found = find_repeats(text=pair["later"]["text"], earlier=earlier)
    return any(earlier[r.index] == pair["earlier"]["text"] for r in found)


@pytest.mark.parametrize(("name", "way"), list(FLOORS))
def test_precision_and_recall_on_labelled_pairs(name, way):
    pairs = {"tuning": PAIRS, "heldout": HELD_OUT}[name]
    found = [_flagged(p, way) for p in pairs]
    true_positives = sum(f and p["repeat"] for f, p in zip(found, pairs, strict=True))
    precision = true_positives / sum(found)
    recall = true_positives / sum(p["repeat"] for p in pairs)
    precision_floor, recall_floor = FLOORS[name, way]
    assert precision >= precision_floor, precision
    assert recall >= recall_floor, recall
