"""docs/national-standards.md keeps up with the rules and the decisions it links to."""

from __future__ import annotations

import re

from casework.rules import ruleset
from tests.conftest import ROOT

DOCS = ROOT / "docs"


def test_every_rule_and_parameter_is_documented() -> None:
    text = (DOCS / "national-standards.md").read_text(encoding="utf-8")
    for name in ("national-standards-2005", "national-standards-2007"):
        rs = ruleset(name)
        row = re.search(rf"^\| `{name}` \|.*\| (\d+) \|$", text, flags=re.MULTILINE)
        assert row is not None, name
        assert int(row.group(1)) == len(rs), name
        for rule in rs:
            assert f"`{rule.id}`" in text, rule.id
            for parameter in rule.parameters:
                assert f"`{parameter}`" in text, (rule.id, parameter)


def test_every_decision_linked_from_the_standards_docs_exists() -> None:
    decisions = (DOCS / "decisions.md").read_text(encoding="utf-8")
    slugs = set(re.findall(r"^## ([a-z0-9-]+)$", decisions, flags=re.MULTILINE))
    text = (DOCS / "national-standards.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"decisions\.md#([a-z0-9-]+)", text))
    assert linked
    assert linked <= slugs, linked - slugs
