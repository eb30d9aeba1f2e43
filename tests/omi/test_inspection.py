"""Inspection metadata and section 4 grades: recorded, validated, located."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from casework.model.inspection import (
    InspectionFileError,
    Section4Grade,
    load_inspection,
)

VALID: dict[str, Any] = {
    "area": "Example Area",
    "fieldwork": {"start": "2007-10-15", "end": "2007-10-19"},
    "as_of": "2007-10-15",
    "published_on": "2008-01-30",
    "section4": [
        {"criterion": "4.1", "grade": "well_met", "strengths": ["Active leadership."]},
        {"criterion": "4.4", "grade": "partly_met"},
    ],
}


def _write(tmp_path: Path, data: object, name: str = "inspection.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_an_inspection_file_loads(tmp_path: Path) -> None:
    inspection = load_inspection(_write(tmp_path, VALID))
    assert inspection.area == "Example Area"
    assert inspection.ruleset == "omi-2007"
    assert inspection.grade("4.1") is Section4Grade.WELL_MET
    assert inspection.grade("4.2") is None
    assert inspection.section4[0].strengths == ("Active leadership.",)


def test_yaml_works_too(tmp_path: Path) -> None:
    path = tmp_path / "inspection.yaml"
    path.write_text(
        "area: Example Area\nfieldwork: {start: 2007-10-15, end: 2007-10-19}\nas_of: 2007-10-15\n",
        encoding="utf-8",
    )
    assert load_inspection(path).fieldwork.end is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"section4": [{"criterion": "4.1", "grade": "well_met"}] * 2}, "4.1 twice"),
        ({"section4": [{"criterion": "1.1", "grade": "well_met"}]}, "section4\\[0\\].criterion"),
        ({"section4": [{"criterion": "4.1", "grade": "excellent"}]}, "section4\\[0\\].grade"),
        ({"published_on": "2007-10-18"}, "published_on on or after the end of fieldwork"),
        ({"fieldwork": {"start": "2007-10-15"}}, "fieldwork's last day"),
        ({"area": ""}, "area"),
        ({"inspector": "Someone"}, "name of 9 characters.*no such field"),
    ],
)
def test_bad_inspection_files_say_where(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(InspectionFileError, match=message):
        load_inspection(_write(tmp_path, VALID | change))


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "inspection.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InspectionFileError, match=r"inspection\.json: not valid JSON"):
        load_inspection(path)


def test_grades_are_ordered() -> None:
    ranks = [grade.rank for grade in Section4Grade]
    assert ranks == sorted(ranks, reverse=True)
    assert Section4Grade.SATISFACTORILY_MET.label == "Satisfactorily met"
