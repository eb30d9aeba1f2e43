"""Hand-made findings for scoring tests: state only what scoring reads."""

from __future__ import annotations

import datetime as dt

from casework.rules import Basis, Evidence, Finding, Outcome, RuleKind

AS_OF = dt.date(2007, 10, 15)

_BASIS = {
    Outcome.MET: Basis.JUDGED,
    Outcome.NOT_MET: Basis.JUDGED,
    Outcome.NOT_APPLICABLE: Basis.OUT_OF_SCOPE,
    Outcome.CANNOT_ASSESS: Basis.UNANSWERED,
}

#: Shorthand outcomes: yes, no, n/a, unanswered.
Y, N, NA, U = Outcome.MET, Outcome.NOT_MET, Outcome.NOT_APPLICABLE, Outcome.CANNOT_ASSESS


def finding(
    case: str,
    rule_id: str,
    outcome: Outcome,
    *,
    kind: RuleKind = RuleKind.QUALITY,
    roh: bool = False,
    group: str | None = None,
    not_evidenced: bool = False,
    criterion: str | None = "",
) -> Finding:
    """A finding for ``rule_id`` (``"1.2.p"``; its criterion is ``"1.2"`` unless given)."""
    answer = "not_evidenced" if not_evidenced else outcome.value
    return Finding(
        case_ref=case,
        rule_id=rule_id,
        question=f"Question {rule_id}?",
        outcome=outcome,
        basis=_BASIS[outcome],
        reason="",
        evidence=(Evidence("answer", answer),),
        source=("004:998",),
        kind=kind,
        roh=roh,
        criterion=rule_id.rsplit(".", 1)[0] if criterion == "" else criterion,
        ruleset="omi-2007",
        ruleset_version="1.0",
        as_of=AS_OF,
        group=group,
    )


def answers(rule_id: str, outcomes: str, **options: object) -> list[Finding]:
    """One finding per case C1, C2, ... from a string of ``y`` / ``n`` / ``-`` (n/a) / ``?``."""
    codes = {"y": Y, "n": N, "-": NA, "?": U, "e": N}
    return [
        finding(
            f"C{index}",
            rule_id,
            codes[code],
            not_evidenced=code == "e",
            **options,  # type: ignore[arg-type]
        )
        for index, code in enumerate(outcomes, start=1)
    ]


def summary(criterion: str, outcomes: str, *, roh: bool = False) -> list[Finding]:
    """The summary question's findings for ``criterion``."""
    return answers(f"{criterion}.summary", outcomes, kind=RuleKind.SUMMARY, roh=roh)
