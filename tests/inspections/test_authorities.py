"""The rule comparing the authority a report prints with a council's name.

Names are real: how Ofsted reports print them and how councils call themselves, and the
councils of the shared report corpus (index.csv).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from inspections.authorities import authority_key, same_authority

INDEX = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "index.csv"


@pytest.mark.parametrize(
    ("printed", "council"),
    [
        ("Wirral", "Wirral Metropolitan Borough Council"),
        ("Barking and Dagenham", "London Borough of Barking and Dagenham"),
        ("Royal Borough of Windsor and Maidenhead", "windsor & maidenhead"),
        ("Kensington and Chelsea", "The Royal Borough of Kensington and Chelsea"),
        ("Telford and Wrekin", "Telford & Wrekin Council"),
        ("Bournemouth, Christchurch and Poole", "bournemouth, christchurch & poole"),
        ("Kingston upon Hull", "Kingston upon Hull City Council"),
        ("Bradford", "City of Bradford Metropolitan District Council"),
        ("York", "City of York Council"),
        ("Durham", "Durham County Council"),
        ("County Durham", "Durham County Council"),
        ("Southend-on-Sea", "Southend-on-Sea City Council"),
        ("Stoke-on-Trent", "Stoke-on-Trent City Council"),
        ("St. Helens", "St Helens Council"),
        ("Brighton and Hove", "Brighton & Hove City Council"),
        ("Richmond upon Thames", "London Borough of Richmond upon Thames"),
        ("East Riding of Yorkshire", "East Riding of Yorkshire Council"),
        ("BURY", "Bury Metropolitan Borough Council"),
        ("  Isle  of Wight ", "Isle of Wight Council"),
        ("Herefordshire", "Herefordshire Council"),
    ],
)
def test_the_same_council_written_two_ways_matches(printed: str, council: str) -> None:
    assert same_authority(printed, council)


@pytest.mark.parametrize(
    ("printed", "council"),
    [
        ("Kingston upon Thames", "Kingston upon Hull City Council"),
        ("North Somerset", "Somerset Council"),
        ("North Lincolnshire", "North East Lincolnshire Council"),
        ("West Northamptonshire", "North Northamptonshire Council"),
        ("Derby", "Derbyshire County Council"),
        ("Chelsea", "Royal Borough of Kensington and Chelsea"),
        ("East Riding local authority", "East Riding of Yorkshire Council"),
        ("Council", "Derby City Council"),
        ("", "Derby City Council"),
    ],
)
def test_different_or_unreadable_names_do_not_match(printed: str, council: str) -> None:
    assert not same_authority(printed, council)


def test_london_is_kept_where_it_is_the_place() -> None:
    assert authority_key("City of London Corporation") == "london corporation"
    assert authority_key("London Borough of Hackney") == "hackney"


@pytest.mark.skipif(not INDEX.is_file(), reason="the report corpus is not here")
def test_no_two_councils_of_the_corpus_share_a_key() -> None:
    with INDEX.open(newline="") as handle:
        names = {row["local_authority"] for row in csv.DictReader(handle)}
    keys = {}
    for name in names:
        keys.setdefault(authority_key(name), set()).add(name)
    assert len(names) > 100
    assert {key: found for key, found in keys.items() if len(found) > 1} == {}
    assert "" not in keys
