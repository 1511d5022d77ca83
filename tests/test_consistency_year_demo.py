"""Every sentence agrees with its data on every demo day (issue 23.4).

The demo gemeente runs all its nights (1 September to 30 November 2026) in process; after
every night, for every household, tests/demo_checked.py renders Vandaag, Betaald en gepland,
Overzicht and the month overview as the household, the staff household page as a
medewerker, and `hhb status --json` (an in-process CLI call), and checks the sentences with
tests/sentence_checks.py. A failure names the household, the day, the sentence and the
figure. The pure check over a whole year of generated households is
tests/test_consistency_year.py.
"""

from __future__ import annotations

from tests.demo_checked import checked_demo


def test_every_sentence_agrees_with_its_data_every_demo_day() -> None:
    seen, _, _ = checked_demo()
    assert seen.days == 91 and seen.pages > 0
    assert seen.ended_days > 0  # HH-0007 ends on 14 November
    assert not seen.problems, "\n".join(seen.problems[:30])
