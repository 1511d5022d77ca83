"""Hand-over letters (issue 19.6), read back from the PDF with pypdf: to each payer
"Wilt u vanaf [datum] betalen op rekening [eigen IBAN] t.n.v. [naam]?", to each
payee "Vanaf [datum] betaalt [naam] zelf", on the gemeente's letterhead."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from huishoudboekje.adapters.persistence import UnitOfWork, load_household, save_household
from huishoudboekje.domain.household import PostalAddress
from tests.exit_support import LETTERHEAD, ended  # noqa: F401
from tests.web_fixtures import WebEnv, web  # noqa: F401

BASE = "/medewerker/huishouden/HH-0001/einde/brief"


def pdf_text(data: bytes) -> str:
    """The PDF's text with every run of white space as one space."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def letter(env: WebEnv, kind: str, rule_id: str) -> str:
    response = env.client("mira").get(f"{BASE}/{kind}/{rule_id}")
    assert response.status_code == 200, response.data[:200]
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="brief-HH-0001-{kind}-{rule_id}.pdf"'
    return pdf_text(response.data)


def test_the_payer_is_asked_to_pay_the_household_itself(ended: WebEnv) -> None:  # noqa: F811
    text = letter(ended, "inkomen", "loon")
    assert (
        "Wilt u vanaf 14 februari 2026 betalen op rekening NL44 RABO 0123 4567 89 "
        "t.n.v. Fam. Jansen?" in text
    )
    assert "Bakkerij de Korenschoof" in text  # to whom
    assert "De laatste dag is 13 februari 2026." in text
    assert "NL91 ABNA 0417 1643 00" in text  # the account it pays to now
    assert LETTERHEAD.sender in text and "Postbus 100" in text and "14 020" in text
    assert "4 maart 2026" in text  # the letter's date


def test_the_payee_is_told_the_household_pays_itself(ended: WebEnv) -> None:  # noqa: F811
    text = letter(ended, "vaste-last", "huur")
    assert "Vanaf 14 februari 2026 betaalt Fam. Jansen zelf." in text
    assert "Woonstichting Voorbeeld" in text
    assert "€ 725,40" in text and "kenmerk 1234567890123456" in text
    assert "NL44" not in text  # the payee gets no account number of the household
    zorgtoeslag = letter(ended, "inkomen", "zorgtoeslag")
    assert "Belastingdienst/Toeslagen" in zorgtoeslag and "NL44 RABO 0123 4567 89" in zorgtoeslag


def test_the_payee_letter_gives_the_households_postal_address(ended: WebEnv) -> None:  # noqa: F811
    with UnitOfWork(ended.engine) as uow:
        household = load_household(uow, "HH-0001")
        assert household is not None
        address = PostalAddress("Dorpsstraat 1", "1234 AB", "Voorbeeldstad")
        save_household(uow, replace(household, address=address))
        uow.commit()
    text = letter(ended, "vaste-last", "energie")
    assert "Dorpsstraat 1, 1234 AB VOORBEELDSTAD" in text


@pytest.mark.parametrize(
    "path",
    [
        f"{BASE}/inkomen/bestaat-niet",
        f"{BASE}/vaste-last/loon",  # an income is no charge
        f"{BASE}/brief/loon",  # no such kind of letter
        "/medewerker/huishouden/HH-9999/einde/brief/inkomen/loon",
    ],
)
def test_no_letter_for_what_is_not_on_the_checklist(ended: WebEnv, path: str) -> None:  # noqa: F811
    assert ended.client("mira").get(path).status_code == 404


def test_no_letter_while_no_end_is_planned(web: WebEnv) -> None:  # noqa: F811
    url = "/medewerker/huishouden/HH-0002/einde/brief/inkomen/bijstand"
    assert web.client("mira").get(url).status_code == 404
