"""Write the demo's incoming bank statements to sample_statements/statements/.

Run: `python sample_statements/generate.py` (or `--check` to compare without writing).

What is written (deterministic; a test checks the committed files are exactly this):
- camt053/<day>.xml: one CAMT.053 per bank day of the pooled account, 1 Sep - 30 Nov 2026,
  holding only what came in from outside (the simulated bank adds our own payments);
- mt940/2026-10.mt940 and csv/2026-10-ing.csv: the same October days again as ING
  MT940 and ING CSV, to show that overlapping formats are imported once.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.money import ZERO
from sample_statements.formats import CREDIT_CODE, DayStatement, camt053, ing_csv, mt940
from sample_statements.incoming import ACCOUNT_IBAN, Incoming, bank_days, incoming

HERE = Path(__file__).resolve().parent
STATEMENTS = HERE / "statements"
EXTRA_FORMAT_MONTH = 10


def bank_reference(item: Incoming, sequence: int) -> str:
    """The bank's reference for the `sequence`-th credit of a day (same in every format)."""
    return f"VB{item.day:%y%m%d}C{sequence:04d}"


def transaction(item: Incoming, sequence: int) -> BankTransaction:
    """The credit as the bank books it."""
    return BankTransaction(
        booking_date=item.day,
        value_date=item.day,
        amount=item.amount,
        counterparty_name=item.name,
        counterparty_iban=item.iban,
        counterparty_bic=item.bic,
        description=item.description,
        end_to_end_id=item.end_to_end_id,
        bank_reference=bank_reference(item, sequence),
        bank_transaction_code=CREDIT_CODE,
    )


def incoming_days() -> list[DayStatement]:
    """One statement per bank day with only the incoming credits; running balances from 0."""
    items = incoming()
    balance, days = ZERO, []
    for day in bank_days():
        todays = [item for item in items if item.day == day]
        txs = tuple(transaction(item, n) for n, item in enumerate(todays, start=1))
        statement = DayStatement(ACCOUNT_IBAN, day, balance, txs)
        days.append(statement)
        balance = statement.closing
    stray = {item.day for item in items} - {d.day for d in days}
    if stray:
        raise ValueError(f"incoming credits on days that are not bank days: {sorted(stray)}")
    return days


def camt_message_id(statement: DayStatement) -> str:
    """The message id of the committed (incoming-only) CAMT.053 for a day."""
    return f"VB053-{statement.day:%Y%m%d}"


def render() -> dict[str, bytes]:
    """Every file to write, by path relative to `statements/`."""
    days = incoming_days()
    files = {f"camt053/{d.day}.xml": camt053(d, camt_message_id(d)) for d in days}
    month = [d for d in days if d.day.month == EXTRA_FORMAT_MONTH]
    files[f"mt940/2026-{EXTRA_FORMAT_MONTH:02d}.mt940"] = mt940(month)
    files[f"csv/2026-{EXTRA_FORMAT_MONTH:02d}-ing.csv"] = ing_csv(month)
    return files


def differences(root: Path = STATEMENTS) -> list[str]:
    """Files under `root` that are missing, different or not generated."""
    files = render()
    problems = [name for name, data in files.items() if _read(root / name) != data]
    extra = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} - set(files)
    return sorted(problems) + sorted(f"{name} (not generated)" for name in extra)


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def main(argv: list[str]) -> int:
    """Write the files (or with --check, report differences and exit 1 if any)."""
    if "--check" in argv:
        problems = differences()
        for problem in problems:
            print(f"differs: {problem}")
        return 1 if problems else 0
    files = render()
    for name, data in files.items():
        path = STATEMENTS / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if _read(path) != data:
            path.write_bytes(data)
    print(f"{len(files)} files in {STATEMENTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
