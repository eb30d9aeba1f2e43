"""``json_text``: a value written as ``json.dumps(indent=2)`` writes it, at any depth."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from casework.report.output import _plain, json_text

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        | st.dictionaries(st.integers(), inner, max_size=2)
    ),
    max_leaves=20,
)


@given(value=_VALUES, depth=st.integers(0, 3))
def test_a_value_is_written_as_json_dumps_writes_it_at_its_depth(value: object, depth: int) -> None:
    pad = "\n" + "  " * depth
    expected = json.dumps(value, indent=2, ensure_ascii=False, default=_plain)
    assert json_text(value, pad) == expected.replace("\n", pad)


def test_a_finding_record_is_written_at_once_as_json_dumps_writes_it() -> None:
    record = {
        "case_ref": 'X-1 \u00e9"\\',
        "late_by": 3,
        "roh": False,
        "unit": None,
        "source": ["004:951", "002:10"],
        "evidence": [{"label": "Sentenced", "value": "2007-05-01", "source": None}],
        "empty": [],
        "nothing": {},
    }
    expected = json.dumps(record, indent=2, ensure_ascii=False, default=_plain)
    assert json_text(record) == expected
    assert json_text(record, "\n    ") == expected.replace("\n", "\n    ")
