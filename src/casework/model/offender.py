"""The offender: what the rules need to know, kept apart from who the person is."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from casework.model.base import BirthDay, Day, FreeText, Period, Record
from casework.model.enums import DiversityNeed, Sex


class PersonalDetails(Record):
    """Identifying details. No rule reads them; reports, errors and ``repr`` leave them out."""

    _withheld: ClassVar[frozenset[str]] = frozenset({"name", "date_of_birth", "crn", "pnc"})

    name: FreeText | None = None
    """The offender's name."""
    date_of_birth: BirthDay | None = None
    """Date of birth."""
    crn: str | None = Field(default=None, max_length=32)
    """Case record number in the area's case management system."""
    pnc: str | None = Field(default=None, max_length=32)
    """Police National Computer number."""


class Offender(Record):
    """Non-identifying facts about the offender that decide which questions apply."""

    _withheld: ClassVar[frozenset[str]] = frozenset({"disabilities"})

    sex: Sex | None = None
    """Sex as recorded (RM 2000 does not apply to women, 002:323)."""
    ethnicity_code: str | None = Field(default=None, max_length=8)
    """Race and ethnic monitoring (REM) code, Census 2001 "16+1" classes (001:178; 004:413)."""
    ethnicity_recorded_on: Day | None = None
    """When the REM code was recorded (N16 "returned on time", 003:719)."""
    diversity_needs: tuple[DiversityNeed, ...] = ()
    """Diversity and individual needs identified (004:413-425, 004:636-642)."""
    disabilities: tuple[FreeText, ...] = ()
    """Disabilities recorded, in staff's words."""
    self_harm_risk: bool = False
    """A risk of self-harm is known (004:352, questions 1.1.q-r)."""
    drug_misuse: bool = False
    """Drug misuse is an issue (004:622, question 2.6.g)."""
    skills_for_life_need: bool | None = None
    """A skills-for-life (literacy, numeracy) need was indicated (004:418, 004:598)."""
    ppo: tuple[Period, ...] = ()
    """Periods during which the offender was a Prolific and other Priority Offender.

    PPO status is set by the local scheme, not derived (001:385; 000:254).
    """

    def is_ppo_on(self, day: dt.date) -> bool:
        """Whether the offender was a PPO on ``day``."""
        return any(period.contains(day) for period in self.ppo)
