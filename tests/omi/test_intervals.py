"""How sure each score is: Wilson intervals, the case bootstrap, band chances, noise in diffs.

Expected values are worked out by hand in each test's docstring, never by
calling the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import subprocess
from fractions import Fraction
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework import WorkingCalendar, load_cases, load_inspection, score_inspection
from casework import intervals as intervals_module
from casework.compare import compare, inspection_figures
from casework.intervals import (
    Interval,
    IntervalOptions,
    bootstrap_figures,
    difference_intervals,
    level_text,
    resample_weights,
    score_intervals,
    wilson_interval,
)
from casework.model import Case
from casework.report import inspection_report
from casework.report.charts import chart1, chart1_bars, chart1_table
from casework.rules import Findings, evaluate
from casework.rules.registry import ruleset
from casework.scoring import GOOD, PRIORITY, URGENT, BandTable, Scorecard
from casework.testing import make_cases
from tests.conftest import EXAMPLES, console_script
from tests.omi.findings import answers, summary

F = Fraction


# ---------------------------------------------------------------------- Wilson


def test_wilson_interval_by_hand() -> None:
    """7 of 10 at 95%: z = 1.9599640, z^2 = 3.8414588, n = 10, p = 0.7.

    denominator = 1 + z^2/n = 1.3841459
    centre = (0.7 + z^2/20) / 1.3841459 = 0.8920729 / 1.3841459 = 0.6444934
    half = z / 1.3841459 x sqrt(0.7 x 0.3 / 10 + z^2 / 400)
         = 1.4160031 x sqrt(0.021 + 0.0096036) = 1.4160031 x 0.1749393 = 0.2477153
    -> 0.3967781 to 0.8922087 (the textbook 0.397 to 0.892).

    0 of 10: p = 0, centre = half = (z^2/20) / 1.3841459 = 0.1387664
    -> 0 to 0.2775328 (= z^2 / (n + z^2) = 3.8414588 / 13.8414588).
    10 of 10 mirrors it: 0.7224672 to 1.

    At 90%, z = 1.6448536, z^2 = 2.7055435; 1 of 2: p = 1/2, centre = 1/2,
    half = z / (1 + 1.3527718) x sqrt(0.125 + 2.7055435/16)
         = 0.6991106 x sqrt(0.125 + 0.1690965) = 0.6991106 x 0.5423067 = 0.3791337
    -> 0.1208663 to 0.8791337.
    """
    seven = wilson_interval(7, 10)
    assert seven is not None
    assert (seven.low, seven.high) == (
        pytest.approx(0.3967781, abs=2e-7),
        pytest.approx(0.8922087, abs=2e-7),
    )
    assert (seven.level, seven.method, seven.display) == (0.95, "wilson", "40% to 89%")
    none = wilson_interval(0, 10)
    assert none is not None
    assert (none.low, none.high) == (0.0, pytest.approx(0.2775328, abs=2e-7))
    every = wilson_interval(10, 10)
    assert every is not None
    assert (every.low, every.high) == (pytest.approx(0.7224672, abs=2e-7), 1.0)
    half = wilson_interval(1, 2, level=0.9)
    assert half is not None
    assert (half.low, half.high) == (
        pytest.approx(0.1208663, abs=2e-7),
        pytest.approx(0.8791337, abs=2e-7),
    )
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError, match="3 above the line of 2"):
        wilson_interval(3, 2)


def test_options_are_checked() -> None:
    assert (level_text(0.95), level_text(0.975), level_text(0.9)) == ("95%", "97.5%", "90%")
    assert IntervalOptions(level="90%").level == pytest.approx(0.9)
    assert IntervalOptions(band_threshold=F(3, 4)).band_threshold == 0.75
    with pytest.raises(ValueError, match="between 0 and 1"):
        IntervalOptions(level=1)
    with pytest.raises(ValueError, match="at least 1"):
        IntervalOptions(resamples=0)
    with pytest.raises(ValueError, match="band_threshold"):
        IntervalOptions(band_threshold=1.5)


# ---------------------------------------------------------------------- the bootstrap


def _small() -> list:  # type: ignore[type-arg]
    return [
        *answers("1.1.a", "yyn"),
        *answers("1.1.b", "yn-"),
        *summary("1.1", "ynn"),
        *answers("1.2.a", "ny?", roh=True),
        *summary("1.2", "yy-", roh=True),
    ]


def test_bootstrap_figures_by_hand() -> None:
    """Cases C1, C2, C3; each row says how many times each is drawn.

    (1, 1, 1), the sample itself:
      1.1.a 2/3, 1.1.b 1/2 -> mean 7/12; summary 1/3 -> 1.1 = 0.8 x 7/12 + 0.2 x 1/3 = 8/15
      1.2.a 1/2 (C3 unanswered), summary 1 (C3 n/a) -> 1.2 = 0.4 + 0.2 = 3/5
      section 1 = (8/15 + 9/15) / 2 = 17/30; RoH thread (1.2.a, 1.2 summary) = 3/4
    (3, 0, 0), C1 three times: 1.1 = 1; 1.2.a 0, summary 1 -> 1.2 = 0.2;
      section 3/5; thread (0 + 1) / 2 = 1/2
    (0, 0, 3), C3 three times: 1.1.a 0, 1.1.b has no relevant case (A7: left out),
      summary 0 -> 1.1 = 0; 1.2 has no relevant case at all -> no score;
      section = 1.1 alone = 0; thread: no question with a relevant case -> none
    (0, 2, 1): 1.1.a (2 + 0) / 3 = 2/3, 1.1.b 0/2 -> mean 1/3; summary 0/3
      -> 1.1 = 4/15; 1.2.a 2/2, summary 2/2 -> 1.2 = 1; section (4/15 + 1) / 2 = 19/30;
      thread 1. Pooled instead: 1.1 individual (2 + 0) / (3 + 2) = 2/5 -> 1.1 = 8/25.
    """
    card = score_inspection(_small())
    rows = [[1, 1, 1], [3, 0, 0], [0, 0, 3], [0, 2, 1]]
    found = bootstrap_figures(card, rows)
    expected = {
        "criterion 1.1": [F(8, 15), 1, 0, F(4, 15)],
        "criterion 1.2": [F(3, 5), F(1, 5), None, 1],
        "section 1": [F(17, 30), F(3, 5), 0, F(19, 30)],
        "RoH thread": [F(3, 4), F(1, 2), None, 1],
        "question 1.1.b": [F(1, 2), 1, None, 0],
    }
    for name, values in expected.items():
        for got, want in zip(found[name], values, strict=True):
            if want is None:
                assert math.isnan(got), name
            else:
                assert got == pytest.approx(float(want), abs=1e-12), name
    pooled = bootstrap_figures(score_inspection(_small(), weighting="pooled"), rows)
    assert pooled["criterion 1.1"][3] == pytest.approx(8 / 25, abs=1e-12)
    with pytest.raises(ValueError, match="one count per case"):
        bootstrap_figures(card, [[1, 1]])


def test_seeded_bootstrap_on_two_cases() -> None:
    """One question, C1 above and C2 below: the criterion is the proportion, 1/2.

    Drawing two cases with replacement gives C1 twice (score 1) with chance 1/4,
    one of each (1/2) with chance 1/2, C2 twice (0) with chance 1/4. So:
    * the 2.5% and 97.5% quantiles fall inside the point masses at 0 and at 1:
      the interval is exactly 0 to 1;
    * the band (good from a displayed 70%, priority from 60%) is good in about 25%
      of resamples and urgent (1/2 and 0) in about 75%: with 2,000 resamples the
      standard error is sqrt(0.25 x 0.75 / 2000) = 0.0097, so 25% +- 4%;
    * the published band, urgent, holds in under 80%: flagged.
    """
    card = score_inspection(answers("1.3.a", "yn"))
    intervals = card.intervals
    assert intervals is not None
    interval = intervals.criterion("1.3")
    assert interval == Interval(0.0, 1.0, 0.95, "bootstrap")
    chances = intervals.band("1.3")
    assert chances is not None
    shares = dict(chances.shares)
    assert set(shares) == {"good", "urgent"}
    assert shares["good"] == pytest.approx(0.25, abs=0.04)
    assert shares["good"] + shares["urgent"] == pytest.approx(1)
    assert chances.published == "urgent"
    assert chances.unstable is True
    assert intervals.unstable() == ("1.3",)
    assert chances.text.startswith("urgent in 7")
    assert "% of resamples, good in 2" in chances.text


def test_one_case_sample_has_no_spread() -> None:
    """With one case every resample is that case: each interval is a single point, and
    the band of every resample is the card's own.

    1.1.a above, summary below: 1.1 = w x 1 + (1 - w) x 0 = w. With w = 4/5, 80%:
    good. With w = 159/200 the score is 79.5%, shown as 80% (half-up). Against a table
    whose good band starts at 80% (priority at 60%): read from the displayed score (the
    default) it is good; read from the exact one, priority.
    """
    findings = [*answers("1.1.a", "y"), *summary("1.1", "n")]
    card = score_inspection(findings)
    intervals = card.intervals
    assert intervals is not None
    assert intervals.criterion("1.1") == Interval(0.8, 0.8, 0.95, "bootstrap")
    assert intervals.band("1.1").shares == (("good", 1.0),)  # type: ignore[union-attr]
    assert intervals.band("1.1").unstable is False  # type: ignore[union-attr]
    table = BandTable(((F(0), URGENT), (F(3, 5), PRIORITY), (F(4, 5), GOOD)))
    for band_on, band in (("displayed", "good"), ("exact", "priority")):
        edge = score_inspection(
            findings, bands=table, individual_weight=F(159, 200), band_on=band_on
        )
        assert edge.criterion("1.1").band.key == band  # type: ignore[union-attr]
        found = edge.intervals.band("1.1")  # type: ignore[union-attr]
        assert found.shares == ((band, 1.0),)  # type: ignore[union-attr]


def test_resample_weights_draw_with_replacement() -> None:
    rows = resample_weights(5, 50, seed=3)
    assert len(rows) == 50
    assert all(len(row) == 5 and sum(row) == 5 for row in rows)
    assert resample_weights(5, 50, seed=3) == rows
    assert resample_weights(5, 50, seed=4) != rows
    assert any(max(row) > 1 for row in rows)  # some case drawn twice


# ---------------------------------------------------------------------- the example sample


@pytest.fixture(scope="module")
def omi_findings(calendar: WorkingCalendar) -> Findings:
    inspection = load_inspection(EXAMPLES / "omi-inspection.json")
    cases = load_cases(EXAMPLES / "omi-sample.json").cases
    return evaluate(cases, "omi-2007", as_of=inspection.as_of, calendar=calendar)


@pytest.fixture(scope="module")
def card(omi_findings: Findings) -> Scorecard:
    return score_inspection(
        omi_findings, inspection=load_inspection(EXAMPLES / "omi-inspection.json")
    )


OPTIONS = [
    {},
    {"weighting": "pooled"},
    {"combine": "summary_as_question"},
    {"groups": "all_of"},
    {"groups": "mean_of", "weighting": "pooled"},
    {"roh_thread_summaries": False, "band_on": "exact"},
    {"individual_weight": F(1, 2), "not_evidenced": "unanswered"},
]


@pytest.mark.parametrize("options", OPTIONS, ids=[str(o) or "default" for o in OPTIONS])
def test_the_whole_sample_once_gives_the_card_itself(
    omi_findings: Findings, options: dict[str, object]
) -> None:
    """The bootstrap rescores with the card's own options: drawing every case once must
    give back every exact figure of the card, and every band."""
    card = score_inspection(omi_findings, **options)  # type: ignore[arg-type]
    found = bootstrap_figures(card, [[1] * len(card.cases)])
    for c in card.criteria:
        assert found[f"criterion {c.id}"][0] == pytest.approx(float(c.score), abs=1e-12)
    for s in card.sections:
        assert found[f"section {s.number}"][0] == pytest.approx(float(s.score), abs=1e-12)
    assert found["RoH thread"][0] == pytest.approx(float(card.roh_thread.score), abs=1e-12)
    for q in card.questions:
        if q.proportion is not None:
            assert found[f"question {q.id}"][0] == pytest.approx(float(q.proportion), abs=1e-12)


def test_python_and_numpy_paths_agree_exactly(card: Scorecard) -> None:
    chosen = IntervalOptions(resamples=300, seed=11)
    assert score_intervals(card, chosen, engine="python") == score_intervals(
        card, chosen, engine="numpy"
    )


def test_without_numpy_the_pure_python_path_is_used(
    card: Scorecard, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    import casework.intervals as module

    chosen = IntervalOptions(resamples=100, seed=1)
    expected = score_intervals(card, chosen, engine="python")
    real = importlib.import_module

    def no_numpy(name: str, *args: object) -> object:
        if name == "numpy":
            raise ImportError("No module named 'numpy'")
        return real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(module.importlib, "import_module", no_numpy)
    assert score_intervals(card, chosen) == expected
    with pytest.raises(ImportError, match="the numpy engine needs numpy"):
        score_intervals(card, chosen, engine="numpy")


def test_neither_order_nor_references_change_the_intervals(
    omi_findings: Findings, card: Scorecard
) -> None:
    """Shuffled findings, and every case renamed (as pseudonymising does, in an order
    of its own), give the same intervals; another seed gives other ones."""
    chosen = IntervalOptions(resamples=200, seed=2)
    first = score_inspection(omi_findings, inspection=card.inspection, intervals=chosen)
    shuffled = list(omi_findings)
    random.Random(5).shuffle(shuffled)
    again = score_inspection(shuffled, inspection=card.inspection, intervals=chosen)
    assert again.intervals == first.intervals
    refs = sorted({f.case_ref for f in omi_findings})
    names = random.Random(9).sample(range(999), len(refs))
    renamed = {ref: f"P-{name:03}" for ref, name in zip(refs, names, strict=True)}
    hidden = [attrs.evolve(f, case_ref=renamed[f.case_ref]) for f in shuffled]
    masked = score_inspection(hidden, inspection=card.inspection, intervals=chosen)
    assert masked.intervals == first.intervals
    other = score_inspection(omi_findings, intervals=IntervalOptions(resamples=200, seed=3))
    assert other.intervals != first.intervals


def test_example_intervals_and_band_chances(omi_findings: Findings, card: Scorecard) -> None:
    """Every scored figure has an interval; each criterion's bands share out all resamples."""
    intervals = card.intervals
    assert intervals is not None
    assert intervals.cases == len(card.cases) == 106
    assert intervals.options == IntervalOptions()
    assert set(intervals.criteria) == {c.id for c in card.criteria}
    assert set(intervals.sections) == {1, 2, 3}
    assert intervals.roh_thread is not None
    for q in card.questions:
        found = intervals.question(q.id)
        assert (found is None) == (q.proportion is None)
        if found is not None:
            assert found.method == "wilson"
            assert found.low <= float(q.proportion) <= found.high
    for c in card.criteria:
        chances = intervals.band(c.id)
        assert chances is not None
        assert sum(share for _key, share in chances.shares) == pytest.approx(1)
        assert chances.published == c.band.key
        assert chances.unstable == (chances.published_share < 0.8)
    # a card scored with the intervals off has none, and says so in its plain form
    off = score_inspection(omi_findings, intervals=False)
    assert off.intervals is None
    assert off.to_dict()["intervals"] is None
    from casework.report.dataframe import question_frame, section_frame

    sections = section_frame(card).set_index("section")
    assert sections.loc["3", "low"] == intervals.section(3).low  # type: ignore[union-attr]
    assert sections.loc["roh_thread", "high"] == intervals.roh_thread.high
    row = question_frame(card).set_index("question_id").loc["1.2.p"]
    assert (row["interval_low"], row["interval_high"]) == (
        intervals.question("1.2.p").low,  # type: ignore[union-attr]
        intervals.question("1.2.p").high,  # type: ignore[union-attr]
    )
    assert section_frame(off)["low"].isna().all()
    plain = card.to_dict()["intervals"]
    assert plain["methods"]["criteria"] == "bootstrap"
    assert json.loads(json.dumps(plain)) == plain


# ---------------------------------------------------------------------- reports


def test_report_shows_intervals_and_flags(omi_findings: Findings, card: Scorecard) -> None:
    intervals = card.intervals
    assert intervals is not None
    text = inspection_report(card, chart=False).render("text")
    assert "95% interval" in text
    assert "Same conclusion in" in text
    assert "percentile bootstrap over the 106 cases" in text
    for cid in intervals.unstable():
        assert cid in text.split("Flagged:")[1].split(")")[0]
    chances = intervals.band("1.3")
    assert chances is not None
    assert chances.text in " ".join(text.split())
    table = chart1_table(card)
    assert [column.key for column in table.columns] == ["bar", "score", "interval"]
    off = score_inspection(omi_findings, intervals=False)
    plain = inspection_report(off, chart=False).render("text")
    assert "95% interval" not in plain
    assert "Same conclusion in" not in plain


def test_chart1_has_an_error_bar_per_bar(omi_findings: Findings, card: Scorecard) -> None:
    intervals = card.intervals
    assert intervals is not None
    figure = chart1(card)
    (axes,) = figure.axes
    gids = {collection.get_gid() for collection in axes.collections}
    bars = chart1_bars(card)
    assert {f"errorbar-{bar.key}" for bar in bars} <= gids
    for bar in bars:
        found = (
            intervals.section(int(bar.key.split("-")[1]))
            if bar.is_section
            else intervals.criterion(bar.key)
        )
        assert found is not None
        assert (bar.low, bar.high) == (found.low, found.high)
        low, high = bar.error  # type: ignore[misc]
        assert bar.percent - low == pytest.approx(found.low * 100)
        assert bar.percent + high == pytest.approx(found.high * 100)
    off = score_inspection(omi_findings, intervals=False)
    assert all(bar.error is None for bar in chart1_bars(off))


# ---------------------------------------------------------------------- noise in comparisons

AS_OF = dt.date(2007, 10, 15)
BREACHES = [  # reference, breach action taken: 3, 7, 9 and 12 working days after 2 July
    ("B-01", "2007-07-05"),
    ("B-02", "2007-07-11"),
    ("B-03", "2007-07-13"),
    ("B-04", "2007-07-18"),
]


def _breach_sample() -> list[Case]:
    return make_cases(
        *(
            {
                "reference": ref,
                "breaches": [
                    {"failed_on": "2007-07-02", "action_on": action, "resolved_on": "2007-08-20"}
                ],
            }
            for ref, action in BREACHES
        )
    )


def test_a_change_on_two_cases_of_four_is_within_noise(calendar: WorkingCalendar) -> None:
    """Breach action within 10 working days: B-01, B-02, B-03 of 4; within 5, B-01 only.

    Every resample scores the same drawn cases under both rule sets, so 2.4.g's change
    is minus the share of drawn cases that are B-02 or B-03. A resample draws neither
    with chance (2/4)^4 = 1/16 = 6.25%, more than the 2.5% cut at the top: the 97.5%
    quantile of the change is 0 and the interval does not leave 0 out.
    """
    variant = ruleset("omi-2007").derive("omi-five-days", parameters={"omi_breach_action_limit": 5})
    diff = compare(
        _breach_sample(),
        "omi-2007",
        variant,
        as_of=AS_OF,
        calendar=calendar,
        figures={"inspection": inspection_figures()},
    )
    moved = {f.name: f for f in diff.changed_figures()}
    g = moved["question 2.4.g"]
    assert g.noise is not None
    assert g.noise.high == 0.0
    assert g.noise.low < 0
    assert g.beyond_noise is False
    assert "question 2.4.g  0.75 -> 0.25 (-0.50) [within sampling noise]" in diff.to_text()
    plain = g.to_dict()
    assert plain["beyond_noise"] is False
    assert plain["noise"]["method"] == "bootstrap"
    unchanged = [f for f in diff.figures if not f.changed and f.noise is not None]
    assert unchanged
    assert all(f.noise == Interval(0.0, 0.0, 0.95, "bootstrap") for f in unchanged)
    assert all(f.beyond_noise is False for f in unchanged)
    quiet = compare(
        _breach_sample(),
        "omi-2007",
        variant,
        as_of=AS_OF,
        calendar=calendar,
        figures={"inspection": inspection_figures(intervals=False)},
    )
    assert all(f.noise is None and f.beyond_noise is None for f in quiet.figures)


def test_a_change_on_many_cases_is_beyond_noise(omi_findings: Findings, card: Scorecard) -> None:
    """Moving 1.2.p below the line for every case above it lowers 1.2.p in every
    resample that draws one of its 60-odd cases above: all of them, in practice."""
    moved = [
        f if f.rule_id != "1.2.p" or f.outcome.value != "met" else _not_met(f) for f in omi_findings
    ]
    before = score_inspection(omi_findings, intervals=False)
    after = score_inspection(moved, intervals=False)
    found = difference_intervals(before, after, IntervalOptions(resamples=200))
    assert found["question 1.2.p"].high < 0
    assert found["criterion 1.2"].high < 0
    assert found["criterion 2.1"] == Interval(0.0, 0.0, 0.95, "bootstrap")


def _not_met(finding):  # type: ignore[no-untyped-def]
    from casework.rules import Outcome

    return attrs.evolve(finding, outcome=Outcome.NOT_MET)


# ---------------------------------------------------------------------- command line


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*console_script(), *args], capture_output=True, text=True, check=False)


def test_score_command_intervals_options_and_off(examples: Path, tmp_path: Path) -> None:
    whole = json.loads((examples / "omi-sample.json").read_text(encoding="utf-8"))
    small = tmp_path / "small.json"
    small.write_text(json.dumps({**whole, "cases": whole["cases"][:12]}), encoding="utf-8")
    sample = str(small)
    inspection = str(examples / "omi-inspection.json")
    result = _run(
        "score", sample, "-i", inspection, "--resamples", "50", "--seed", "4", "-f", "json"
    )
    assert result.returncode == 0, result.stderr
    plain = json.loads(result.stdout)["scorecard"]["intervals"]
    assert plain["options"] == {"level": 0.95, "resamples": 50, "seed": 4, "band_threshold": 0.8}
    assert set(plain["criteria"]) >= {"1.1", "3.2"}
    off = _run("score", sample, "-i", inspection, "--no-intervals", "-f", "json")
    assert off.returncode == 0, off.stderr
    assert json.loads(off.stdout)["scorecard"]["intervals"] is None
    bad = _run("score", sample, "--level", "150%")
    assert bad.returncode == 2
    assert bad.stdout == ""
    (line,) = [text for text in bad.stderr.splitlines() if text.startswith("Error")]
    assert "'--level': '150%' is not between 0% and 100%" in line
    assert "Traceback" not in bad.stderr


def test_diff_scores_say_whether_a_change_is_beyond_noise(examples: Path, tmp_path: Path) -> None:
    """Five working days for breach action instead of ten moves 2.4.g on 22 of the
    example's 40 breach cases one way: far more than the four cases from which a
    one-way change shows in 97.5% of resamples (docs/scoring.md)."""
    overlay = tmp_path / "five-days.toml"
    overlay.write_text(
        'name = "five-days"\nbase = "omi-2007"\n'
        '[parameters]\nomi_breach_action_limit = "5 working days"\n',
        encoding="utf-8",
    )
    args = ("diff", str(examples / "omi-sample.json"), "-b", "omi-2007", "-v", str(overlay))
    result = _run(*args, "--scores", "--as-of", "2007-10-15", "--resamples", "200", "-f", "json")
    assert result.returncode == 0, result.stderr
    figures = {f["name"]: f for f in json.loads(result.stdout)["figures"]}
    assert figures["question 2.4.g"]["beyond_noise"] is True
    assert figures["question 2.4.g"]["noise"]["high"] < 0
    assert figures["criterion 1.1"]["beyond_noise"] is False


@given(
    seed=st.integers(min_value=0, max_value=2**80),
    draws=st.lists(st.tuples(st.integers(1, 300), st.integers(1, 2**40)), min_size=1, max_size=6),
)
def test_numpy_draws_are_random_choices_draws(seed: int, draws: list[tuple[int, int]]) -> None:
    # The numpy path draws with numpy's Mersenne Twister set to random.Random(seed)'s
    # state: the same doubles, products and floors as random.Random.choices, piece by piece.
    rng = random.Random(seed)
    draw = intervals_module._python_draws(np, seed)
    for k, n in draws:
        assert draw(k, n).tolist() == rng.choices(range(n), k=k)


def test_cases_with_the_same_codes_are_counted_as_one_group() -> None:
    codes = np.array([[0, 2], [0, 2], [1, 2], [0, 2], [0, 2], [0, 2], [2, 2]], dtype=np.uint8)
    for block in (1, 2, 3, 100):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(intervals_module, "CASE_BLOCK", block)
            group_of, distinct = intervals_module._groups(np, codes, len(codes))
        assert group_of.tolist() == [0, 0, 1, 2, 2, 2, 3]
        assert group_of.dtype == np.uint8
        assert distinct.tolist() == [[0, 2], [1, 2], [0, 2], [2, 2]]


def test_a_case_s_group_is_numbered_in_the_smallest_type_that_holds_them() -> None:
    runs = np.repeat(np.arange(300, dtype=np.uint16), 2)  # 300 runs of two cases
    codes = np.stack([runs % 3, runs // 3], axis=1).astype(np.uint8)
    for block in (1, 7, 1000):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(intervals_module, "CASE_BLOCK", block)
            group_of, distinct = intervals_module._groups(np, codes, len(codes))
        assert group_of.dtype == np.uint16
        assert group_of.tolist() == runs.tolist()
        assert len(distinct) == 300


def test_the_groups_of_codes_in_a_file_are_in_a_file_beside_them(tmp_path: Path) -> None:
    codes = np.array([[0, 2], [0, 2], [1, 2], [0, 2], [0, 2], [0, 2], [2, 2]], dtype=np.uint8)
    codes.tofile(tmp_path / "codes.bin")
    in_file = intervals_module._CodesFile(np, tmp_path / "codes.bin", *codes.shape)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(intervals_module, "CASE_BLOCK", 3)
        group_of, distinct = intervals_module._groups(np, in_file, len(codes))
    assert isinstance(distinct, intervals_module._CodesFile)
    assert distinct.path.parent == tmp_path
    assert group_of.tolist() == [0, 0, 1, 2, 2, 2, 3]
    assert distinct[0:4].tolist() == [[0, 2], [1, 2], [0, 2], [2, 2]]
    assert distinct.shape == (4, 2)
