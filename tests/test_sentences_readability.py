"""Every household-facing sentence template reads at B1 or easier (issue 23.5).

bench/readability.py fills each template with data from a simulated year and scores it
with Flesch–Douma (textstat, Dutch); the threshold (60) and why are in its docstring.
This test runs it on a smaller sample and fails naming the template and its worst
sentence.
"""

from __future__ import annotations

from bench.readability import THRESHOLD, collect, scores

EXPECTED = {
    "status: set_aside",
    "status: free",
    "status: target",
    "status: why",
    "status: ended",
    "leefgeld",
    "buffer days",
    "payment: paid",
    "payment: returned",
}


def test_every_template_reads_at_b1_or_easier() -> None:
    found = collect(households=3, step_days=7)
    assert set(found) >= EXPECTED, sorted(set(found))
    low = [
        f"{name}: {value:.1f} < {THRESHOLD} for {text!r}"
        for name, value, text, _ in scores(found)
        if value < THRESHOLD
    ]
    assert not low, "\n".join(low)
