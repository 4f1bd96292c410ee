import pytest

from inspections.grades import normalise_grade


@pytest.mark.parametrize(
    ("printed", "grade"),
    [("4", "outstanding"), ("3", "good"), ("2", "requires_improvement"), ("1", "inadequate")],
)
def test_joint_area_review_numbers_run_from_4_outstanding(printed, grade):
    assert normalise_grade(printed, "jar_4_high") == grade


@pytest.mark.parametrize(
    ("printed", "grade"),
    [
        ("Grade 1 (Outstanding)", "outstanding"),
        ("Grade 2 (Good)", "good"),
        ("Grade 3 (Adequate)", "requires_improvement"),
        ("Grade 4 (Inadequate)", "inadequate"),
        ("Grade 1", "outstanding"),
        ("Grade 4", "inadequate"),
    ],
)
def test_2009_grades_run_from_1_outstanding(printed, grade):
    assert normalise_grade(printed, "grade_1_high") == grade


@pytest.mark.parametrize(
    ("printed", "grade"),
    [
        ("Outstanding", "outstanding"),
        ("Good", "good"),
        ("Requires improvement to be good", "requires_improvement"),
        ("Inadequate", "inadequate"),
        ("Adequate", "requires_improvement"),
    ],
)
def test_words_normalise_on_their_own(printed, grade):
    assert normalise_grade(printed, "words") == grade


def test_an_outcome_sentence_is_not_a_grade():
    text = "There are widespread and/or systemic failings leading to significant concerns"
    assert normalise_grade(text, "outcome") is None


def test_an_unknown_grade_is_none_not_a_guess():
    assert normalise_grade("Not judged", "words") is None
    assert normalise_grade("7", "jar_4_high") is None
