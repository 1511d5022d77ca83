"""The CAMT.053 file the import speed benchmark parses: any number of entries, balanced.

Deterministic (the same `entries` give the same bytes) and realistic in shape:
one line per TxDtls as many bank exports write it, every 50th entry a batch.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
ACCOUNT = "NL88BNGH6091390996"
BATCH_EVERY = 50  # every 50th entry is a batch of three TxDtls

COUNTERPARTIES = [
    ("Woonstichting De Linde", "NL56RABO9314170586"),
    ("Energiebedrijf Noordstroom B.V.", "NL08ABNA4529841537"),
    ("Zorgverzekeraar Lindeboom", "NL61ABNA1564041042"),
    ("UWV", "NL07INGB7612220297"),
    ("Belastingdienst/Toeslagen", "NL88INGB0182633043"),
    ("K. de Vries", "NL39INGB2997528820"),
    ("J. Bakker-Yilmaz", "NL96RABO7407188181"),
    ("A. Öztürk & Zn.", "NL13TRIO1687731322"),
]


def _remittance(index: int, part: int) -> str:
    return (
        f"Betaling {index} deel {part} periode {index % 12 + 1}-2024 klant {index * 7919 % 99991}"
    )


def _details(index: int, part: int, cents: int, credit: bool) -> str:
    name, iban = COUNTERPARTIES[(index + part) % len(COUNTERPARTIES)]
    side = "Dbtr" if credit else "Cdtr"
    return (
        f"<TxDtls><Refs><EndToEndId>HHB-{index:08d}-{part}</EndToEndId></Refs>"
        f'<AmtDtls><TxAmt><Amt Ccy="EUR">{cents // 100}.{cents % 100:02d}</Amt></TxAmt></AmtDtls>'
        f"<RltdPties><{side}><Nm>{escape(name)}</Nm></{side}>"
        f"<{side}Acct><Id><IBAN>{iban}</IBAN></Id></{side}Acct></RltdPties>"
        f"<RmtInf><Ustrd>{_remittance(index, part)}</Ustrd></RmtInf></TxDtls>\n"
    )


def _amounts(index: int) -> tuple[bool, list[int]]:
    """Whether entry `index` is a credit, and its TxDtls amounts in cents."""
    parts = 3 if index % BATCH_EVERY == 0 else 1
    return index % 2 == 0, [(index * 37 + part * 101) % 90000 + 100 for part in range(parts)]


def _entry(index: int) -> str:
    """One Ntry (compact: one line per TxDtls, like many bank exports)."""
    credit, amounts = _amounts(index)
    total = sum(amounts)
    day = f"2024-{index % 12 + 1:02d}-{index % 28 + 1:02d}"
    details = "".join(_details(index, part, amounts[part], credit) for part in range(len(amounts)))
    return (
        f'<Ntry><Amt Ccy="EUR">{total // 100}.{total % 100:02d}</Amt>'
        f"<CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>"
        f"<AcctSvcrRef>BNG-{index:08d}</AcctSvcrRef>"
        f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{'RCDT' if credit else 'ICDT'}</Cd>"
        f"<SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\n"
        f"<NtryDtls>\n{details}</NtryDtls></Ntry>\n"
    )


def _balance(code: str, cents: int, day: str) -> str:
    indicator = "CRDT" if cents >= 0 else "DBIT"
    value = abs(cents)
    return f"""      <Bal>
        <Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">{value // 100}.{value % 100:02d}</Amt>
        <CdtDbtInd>{indicator}</CdtDbtInd>
        <Dt><Dt>{day}</Dt></Dt>
      </Bal>
"""


def generate(path: Path, entries: int) -> None:
    """Write a balanced CAMT.053.001.02 statement with `entries` entries to `path`."""
    opening = 100_000_000
    closing = opening
    for index in range(entries):
        credit, amounts = _amounts(index)
        closing += sum(amounts) if credit else -sum(amounts)
    with path.open("w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{NAMESPACE}">\n')
        out.write("  <BkToCstmrStmt>\n    <GrpHdr>\n      <MsgId>BENCH-1</MsgId>\n")
        out.write("      <CreDtTm>2024-12-31T22:00:00+01:00</CreDtTm>\n    </GrpHdr>\n")
        out.write(f"    <Stmt>\n      <Id>BENCH-{entries}</Id>\n")
        out.write("      <CreDtTm>2024-12-31T22:00:00+01:00</CreDtTm>\n")
        out.write(f"      <Acct><Id><IBAN>{ACCOUNT}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n")
        out.write(_balance("OPBD", opening, "2023-12-31"))
        out.write(_balance("CLBD", closing, "2024-12-31"))
        for index in range(entries):
            out.write(_entry(index))
        out.write("    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n")
