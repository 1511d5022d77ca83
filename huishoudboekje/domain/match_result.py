"""What matching decided about one credit, and why (plain Dutch for staff)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MatchStatus(StrEnum):
    MATCHED = "matched"
    UNMATCHED = "unmatched"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True, slots=True)
class Candidate:
    household: str
    income_id: str
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MatchResult:
    status: MatchStatus
    candidate: Candidate | None
    runners_up: tuple[Candidate, ...]
    why: str = ""  # the decisive reason when it is not the score

    @property
    def reason(self) -> str:
        """One line for staff: why this was (not) matched."""
        if self.candidate is None:
            return self.why or "geen huishouden past bij deze betaling"
        if self.status is MatchStatus.AMBIGUOUS:
            others = ", ".join(f"{c.household} ({c.score})" for c in self.runners_up[:3])
            lead = f"twijfel tussen {self.candidate.household} ({self.candidate.score}) en {others}"
            return f"{lead}: {self.why}" if self.why else lead
        text = f"score {self.candidate.score}: {'; '.join(self.candidate.reasons)}"
        return f"{self.why}; {text}" if self.why else text
