"""Enumerations of the case model.

Values are lower-case snake_case strings: they are what case files contain.
Where other systems use other spellings (register codes, printed labels),
the model accepts them on input and normalises them; see
:data:`ROH_LEVEL_ALIASES`.
"""

from __future__ import annotations

import enum
from typing import Final


class Sex(enum.StrEnum):
    """Sex as recorded on the case file."""

    MALE = "male"
    FEMALE = "female"


class SentenceKind(enum.StrEnum):
    """The kind of sentence a case is supervised under.

    ``licence`` is a custodial sentence after release; ``custody`` is a custodial
    sentence before release (omi-2007-criteria.md §6.2 ``CaseType``, 004:951).
    """

    COMMUNITY_ORDER = "community_order"
    SUSPENDED_SENTENCE_ORDER = "suspended_sentence_order"
    CUSTODY = "custody"
    LICENCE = "licence"


class OffenceCategory(enum.StrEnum):
    """Offence category that decides statutory victim contact (003:713, 001:373)."""

    SERIOUS_SEXUAL = "serious_sexual"
    SERIOUS_VIOLENT = "serious_violent"
    OTHER = "other"


class RequirementKind(enum.StrEnum):
    """Community order / suspended sentence order requirements (CJA 2003 s.177).

    Named in the seeds: unpaid work, programme, drug rehabilitation, alcohol
    treatment, curfew, exclusion (national-targets.md §2.5); the remainder of
    the s.177 list is marked [EXTERNAL - verify] there.
    """

    UNPAID_WORK = "unpaid_work"
    ACCREDITED_PROGRAMME = "accredited_programme"
    DRUG_REHABILITATION = "drug_rehabilitation"
    ALCOHOL_TREATMENT = "alcohol_treatment"
    SUPERVISION = "supervision"
    CURFEW = "curfew"
    EXCLUSION = "exclusion"
    RESIDENCE = "residence"
    ACTIVITY = "activity"
    PROHIBITED_ACTIVITY = "prohibited_activity"
    MENTAL_HEALTH_TREATMENT = "mental_health_treatment"
    ATTENDANCE_CENTRE = "attendance_centre"
    DTTO = "dtto"


class Programme(enum.StrEnum):
    """Accredited programmes named in the seeds (004:94-95, 004:872; 001:622, 001:650-660)."""

    ASRO = "asro"
    DRINK_IMPAIRED_DRIVERS = "drink_impaired_drivers"
    THINK_FIRST = "think_first"
    ENHANCED_THINKING_SKILLS = "enhanced_thinking_skills"
    OSAP = "osap"
    CALM = "calm"
    COVAID = "covaid"
    IDAP = "idap"
    CDVP = "cdvp"
    SOTP = "sotp"
    SORPG = "sorpg"
    THAMES_VALLEY_SOP = "thames_valley_sop"
    OTHER = "other"


class ProgrammeCategory(enum.StrEnum):
    """Programme categories counted separately in the 2007-08 targets (000:134-136)."""

    GENERAL = "general"
    SEX_OFFENDER = "sex_offender"
    DOMESTIC_VIOLENCE = "domestic_violence"


class LicenceConditionKind(enum.StrEnum):
    """Licence conditions (002:647, 002:700, 004:622)."""

    STANDARD = "standard"
    DRUG_TESTING = "drug_testing"
    DRUG_MISUSE = "drug_misuse"
    EXCLUSION_ZONE = "exclusion_zone"
    RESIDENCE = "residence"
    CURFEW = "curfew"
    ELECTRONIC_MONITORING = "electronic_monitoring"
    NON_CONTACT = "non_contact"
    PROHIBITED_ACTIVITY = "prohibited_activity"
    OTHER = "other"


class TerminationReason(enum.StrEnum):
    """Why an order or licence ended.

    The seeds do not define which reasons count as "successfully completed"
    (national-targets.md §6 item 5): the targets take that set as a parameter.
    """

    COMPLETED = "completed"
    EARLY_TERMINATION_GOOD_PROGRESS = "early_termination_good_progress"
    REVOKED_BREACH = "revoked_breach"
    REVOKED_FURTHER_OFFENCE = "revoked_further_offence"
    RECALLED = "recalled"
    TRANSFERRED_OUT = "transferred_out"
    DIED = "died"
    OTHER = "other"


class Tier(enum.IntEnum):
    """Offender management tier 1-4 (003:699-701; 004:667)."""

    TIER_1 = 1
    TIER_2 = 2
    TIER_3 = 3
    TIER_4 = 4


class RohLevel(enum.StrEnum):
    """OASys risk of (serious) harm level, ordered low < medium < high < very high.

    Descriptors at 002:1165-1168. Compare with :meth:`rank` or the ``>=``
    helpers, never with string order.
    """

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"

    @property
    def rank(self) -> int:
        """0 for low up to 3 for very high."""
        return _ROH_RANK[self]

    def at_least(self, other: RohLevel) -> bool:
        """Whether this level is ``other`` or higher."""
        return self.rank >= other.rank


_ROH_RANK: Final = {
    RohLevel.LOW: 0,
    RohLevel.MEDIUM: 1,
    RohLevel.HIGH: 2,
    RohLevel.VERY_HIGH: 3,
}

#: Spellings accepted on input for :class:`RohLevel`, case-insensitively.
#: Register codes used by case management systems: RLRH, RMRH, RHRH and both
#: spellings of very high, RVHR and RVRH.
ROH_LEVEL_ALIASES: Final[dict[str, RohLevel]] = {
    "low": RohLevel.LOW,
    "l": RohLevel.LOW,
    "rlrh": RohLevel.LOW,
    "medium": RohLevel.MEDIUM,
    "m": RohLevel.MEDIUM,
    "rmrh": RohLevel.MEDIUM,
    "high": RohLevel.HIGH,
    "h": RohLevel.HIGH,
    "rhrh": RohLevel.HIGH,
    "very_high": RohLevel.VERY_HIGH,
    "very high": RohLevel.VERY_HIGH,
    "very-high": RohLevel.VERY_HIGH,
    "vh": RohLevel.VERY_HIGH,
    "rvhr": RohLevel.VERY_HIGH,
    "rvrh": RohLevel.VERY_HIGH,
}


class RiskGroup(enum.StrEnum):
    """Who is at risk (004:375, 004:518; 002:231, 002:241)."""

    CHILDREN = "children"
    PUBLIC = "public"
    KNOWN_ADULT = "known_adult"
    STAFF = "staff"
    PRISONERS = "prisoners"


class MappaCategory(enum.IntEnum):
    """MAPPA category: named, not defined, in the seeds (002:551); CJA 2003 s.325-327 [EXTERNAL]."""

    CATEGORY_1 = 1
    CATEGORY_2 = 2
    CATEGORY_3 = 3


class MappaLevel(enum.IntEnum):
    """MAPPA management level (002:221): 1 single agency, 2 local multi-agency, 3 MAPPP."""

    LEVEL_1 = 1
    LEVEL_2 = 2
    LEVEL_3 = 3


class AssessmentPurpose(enum.StrEnum):
    """Why an OASys assessment was done (002:274, 002:1170; national-targets.md §5.1)."""

    PSR = "psr"
    START = "start"
    RELEASE = "release"
    REVIEW = "review"
    TRANSFER = "transfer"
    TERMINATION = "termination"


class ReviewTrigger(enum.StrEnum):
    """What prompted a review (issue #2; 004:515-516, 002:658-660, 004:496)."""

    SCHEDULED = "scheduled"
    SIGNIFICANT_INCIDENT = "significant_incident"
    PRE_RELEASE = "pre_release"
    RELEASE = "release"
    TRANSFER = "transfer"


class SentencePlanKind(enum.StrEnum):
    """OASys sentence plan types (002:1170) plus the UPW assessment (004:433)."""

    OUTLINE = "outline"
    INITIAL = "initial"
    REVIEW = "review"
    UNPAID_WORK_ASSESSMENT = "unpaid_work_assessment"
    TERMINATION = "termination"


class StaffRole(enum.StrEnum):
    """Staff roles (004:109-121, 004:366, 004:690)."""

    PO = "po"
    PSO = "pso"
    TPO = "tpo"
    SPO = "spo"
    OFFENDER_SUPERVISOR = "offender_supervisor"
    KEYWORKER = "keyworker"
    VLO = "vlo"
    PSR_WRITER = "psr_writer"
    OTHER = "other"


class PsrKind(enum.StrEnum):
    """Pre-sentence report kinds (001:457-459; 004:344)."""

    ORAL = "oral"
    FAST_DELIVERY = "fast_delivery"
    STANDARD_DELIVERY = "standard_delivery"


class ContactKind(enum.StrEnum):
    """Kinds of contact with the offender."""

    OFFICE = "office"
    HOME_VISIT = "home_visit"
    UNPAID_WORK_SESSION = "unpaid_work_session"
    PROGRAMME_SESSION = "programme_session"
    PRE_RELEASE = "pre_release"
    TREATMENT = "treatment"
    OTHER = "other"


class ContactOutcome(enum.StrEnum):
    """Outcome of an arranged appointment (national-targets.md §5.1)."""

    ATTENDED = "attended"
    ACCEPTABLE_ABSENCE = "acceptable_absence"
    UNACCEPTABLE_ABSENCE = "unacceptable_absence"


class BreachResolution(enum.StrEnum):
    """How breach proceedings ended (national-targets.md §5.1)."""

    ORDER_CONTINUED = "order_continued"
    REVOKED_RESENTENCED = "revoked_resentenced"
    WITHDRAWN = "withdrawn"
    RECALLED = "recalled"
    OTHER = "other"


class HomeVisitPurpose(enum.StrEnum):
    """Why a home visit was made (004:521, 004:496)."""

    RISK_OF_HARM = "risk_of_harm"
    CHILD_SAFEGUARDING = "child_safeguarding"
    TRANSFER = "transfer"
    OTHER = "other"


class InterventionKind(enum.StrEnum):
    """Interventions (004:578-627; 002:647, 002:811)."""

    ACCREDITED_PROGRAMME = "accredited_programme"
    SKILLS_FOR_LIFE = "skills_for_life"
    EMPLOYMENT_TRAINING_EDUCATION = "employment_training_education"
    VICTIM_AWARENESS = "victim_awareness"
    CONSTRUCTIVE = "constructive"
    RESTRICTIVE = "restrictive"
    APPROVED_PREMISES_REGIME = "approved_premises_regime"


class EventKind(enum.StrEnum):
    """Significant incidents and changes that call for a review (002:658-660; 004:515)."""

    SIGNIFICANT_INCIDENT = "significant_incident"
    SIGNIFICANT_CHANGE = "significant_change"
    ACUTE_RISK_FACTOR = "acute_risk_factor"


class EmploymentKind(enum.StrEnum):
    """Employment outcomes (001:592 counts vocational training; 003:707 employment only)."""

    EMPLOYMENT = "employment"
    VOCATIONAL_TRAINING = "vocational_training"


class AccommodationStatus(enum.StrEnum):
    """Accommodation at the start and end of supervision (003 S16; 001 PM4)."""

    SETTLED_AND_SUITABLE = "settled_and_suitable"
    NOT_SETTLED = "not_settled"
    UNKNOWN = "unknown"


class Answer(enum.StrEnum):
    """An inspector's answer to one question on one case (004:998, 004:422).

    ``not_evidenced`` means the question applied but nothing on file showed
    the work was done; the scoring treats it as below the line
    (omi-2007-criteria.md §1.3 A2).
    """

    YES = "yes"
    NO = "no"
    NOT_APPLICABLE = "not_applicable"
    NOT_EVIDENCED = "not_evidenced"


class DiversityNeed(enum.StrEnum):
    """Diversity and individual needs (002:791, 002:804-806; 004:636-642)."""

    DISABILITY = "disability"
    LITERACY = "literacy"
    DYSLEXIA = "dyslexia"
    LEARNING_DIFFICULTY = "learning_difficulty"
    LANGUAGE = "language"
    MENTAL_HEALTH = "mental_health"
    OLDER_AGE = "older_age"
    CARING_RESPONSIBILITIES = "caring_responsibilities"
    OTHER = "other"


class OasysPart(enum.StrEnum):
    """The parts of an OASys assessment that timeliness rules look for.

    The 2007-08 targets list "assessment, screening & full risk of harm
    analysis and sentence plan" (003:699-701); the 2005-06 targets add the
    risk management plan (001:371).
    """

    ASSESSMENT = "assessment"
    SCREENING = "screening"
    FULL_ANALYSIS = "full_analysis"
    RMP = "rmp"
    SENTENCE_PLAN = "sentence_plan"
