"""The inspection's sections and general criteria, with their statements as printed.

Sections 1 to 3 are scored from the case sample (004:973); section 4 is
graded well / satisfactorily / partly / not met (004:1015). Statements are
quoted from the criterion headings of 004 (omi-2007-criteria.md §2, §4.1).
"""

from __future__ import annotations

import attrs

__all__ = ["CRITERIA", "SECTIONS", "Criterion", "Section", "criterion", "section"]


@attrs.frozen
class Section:
    """A section of the inspection."""

    number: int
    title: str
    scored_from_cases: bool

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready form."""
        return {"number": self.number, "title": self.title}


@attrs.frozen
class Criterion:
    """A general criterion: id, title, statement and where the report prints it."""

    id: str
    title: str
    statement: str
    source: str

    @property
    def section(self) -> int:
        """The section number."""
        return int(self.id.split(".")[0])

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready form."""
        return {
            "id": self.id,
            "title": self.title,
            "statement": self.statement,
            "source": self.source,
        }


SECTIONS: tuple[Section, ...] = (
    Section(1, "Assessment and sentence planning", scored_from_cases=True),
    Section(2, "Implementation of interventions", scored_from_cases=True),
    Section(3, "Achievement and monitoring of outcomes", scored_from_cases=True),
    Section(4, "Leadership and strategic management", scored_from_cases=False),
)

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "1.1",
        "Preparing for sentence",
        "Activity in the phase leading up to sentence is timely, purposeful and effective.",
        "004:335-356",
    ),
    Criterion(
        "1.2",
        "Assessment of risk of harm",
        "RoH is comprehensively and accurately assessed using OASys in each case and additional "
        "specialist assessment tools where relevant.",
        "004:358-384",
    ),
    Criterion(
        "1.3",
        "Assessment of likelihood of reoffending",
        "Likelihood of reoffending is comprehensively and accurately assessed using OASys as "
        "applicable.",
        "004:386-404",
    ),
    Criterion(
        "1.4",
        "Assessment of offender engagement",
        "Potential obstacles or challenges to positive engagement are identified and plans made "
        "to minimise their possible impact.",
        "004:406-429",
    ),
    Criterion(
        "1.5",
        "Sentence planning",
        "The offender manager plans interventions in custody and the community with a view to "
        "addressing criminogenic factors and managing any RoH to others. The initial sentence "
        "plan or unpaid work assessment is designed to describe a structured and coherent plan "
        "of work for each offender.",
        "004:431-466",
    ),
    Criterion(
        "2.1",
        "Delivering the sentence plan",
        "The offender manager facilitates the structured delivery of all relevant elements of "
        "the sentence.",
        "004:470-500",
    ),
    Criterion(
        "2.2",
        "Protecting the public by minimising risk of harm",
        "All reasonable actions have been taken to protect the public by keeping to a minimum "
        "the offender's RoH to others.",
        "004:502-525",
    ),
    Criterion(
        "2.3",
        "Victims",
        "Consistent attention is given to issues concerning victims.",
        "004:527-547",
    ),
    Criterion(
        "2.4",
        "Ensuring containment and promoting compliance (Punish)",
        "Contact with the offender and enforcement of the sentence is planned and implemented "
        "to meet the requirements of national standards and to encourage engagement with the "
        "sentence process.",
        "004:549-576",
    ),
    Criterion(
        "2.5",
        "Constructive interventions (Help and Change)",
        "Interventions are delivered to identified ends and to meet the requirements of the "
        "sentence: help and change.",
        "004:578-604",
    ),
    Criterion(
        "2.6",
        "Restrictive interventions (Control)",
        "Interventions are delivered to identified ends and to meet the requirements of the "
        "sentence: control.",
        "004:606-627",
    ),
    Criterion(
        "2.7",
        "Diversity issues",
        "Full and proper attention is paid to diversity issues.",
        "004:629-646",
    ),
    Criterion(
        "3.1",
        "Achievement of initial outcomes",
        "Planned objectives are efficiently achieved.",
        "004:650-677",
    ),
    Criterion(
        "3.2",
        "Sustainability of progress",
        "Results are capable of being sustained between different phases of a sentence and "
        "beyond the end of supervision.",
        "004:679-702",
    ),
    Criterion(
        "4.1",
        "Leadership and planning",
        "There is active leadership in the implementation of national policies via local "
        "policies and procedures which are regularly monitored and reviewed, through proactive "
        "planning with other key agencies, and by promoting the diversity agenda.",
        "004:706-751",
    ),
    Criterion(
        "4.2",
        "Performance against national and regional targets",
        "Key performance targets are consistently met, with careful attention to diversity "
        "issues throughout.",
        "004:753-800",
    ),
    Criterion(
        "4.3",
        "Resource deployment",
        "There is a strategic approach to deploying resources to deliver effective performance "
        "and support diversity initiatives and there are positive indications in relation to "
        "value for money.",
        "004:802-824",
    ),
    Criterion(
        "4.4",
        "Workforce planning and development",
        "Workforce planning and development leads to a good match between staff profile and "
        "service delivery requirements. Relevant diversity legislation is observed in staff "
        "recruitment and deployment.",
        "004:826-859",
    ),
    Criterion(
        "4.5",
        "Review and evaluation",
        "Outcomes of interventions are assessed and reviewed using available data.",
        "004:861-880",
    ),
    Criterion(
        "4.6",
        "Commissioning of services",
        "There is efficient provision of effective services to support offender management "
        "outcomes and to ensure equal access to provision for offenders.",
        "004:882-906",
    ),
)

_BY_ID = {c.id: c for c in CRITERIA}
_SECTIONS = {s.number: s for s in SECTIONS}


def criterion(criterion_id: str) -> Criterion:
    """The criterion with this id (``"1.2"``); ``KeyError`` if there is none."""
    try:
        return _BY_ID[criterion_id]
    except KeyError:
        raise KeyError(f"no OMI 2007 criterion {criterion_id!r}") from None


def section(number: int) -> Section:
    """The section with this number (1 to 4)."""
    try:
        return _SECTIONS[number]
    except KeyError:
        raise KeyError(f"no OMI 2007 section {number!r}") from None
