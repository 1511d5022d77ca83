"""Issue 18 point 4 and 9 in the staff forms: the same ranges as `config check`
(one table in `huishoudboekje.domain.limits`), the digits 0-9 only, no hidden
characters in names, and no household IBAN equal to the pooled account."""

from __future__ import annotations

import pytest

from huishoudboekje.adapters.persistence import UnitOfWork, load_gemeente, load_household
from tests.test_web_staff_forms import HOUSEHOLD_PATH, household_form, stored
from tests.web_fixtures import WebEnv, web  # noqa: F401
from web.staff_forms import CHARGE_FORM, read_form


def test_read_form_keeps_other_digits_as_text_for_the_check_to_refuse() -> None:
    data = read_form(CHARGE_FORM, {"priority": "\u0663", "lead_days": "31"}, {}, is_new=True)
    assert data["priority"] == "\u0663"  # not int("٣") == 3
    assert data["lead_days"] == 31


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("members", "99999999999999999999", "Mag ten hoogste 20 zijn"),
        ("members", "\u0663", "Vul een heel getal in"),
        ("name", "Fam.\u202eJansen", "onzichtbare teken"),
        ("name", "Fam.\x00Jansen", "U+0000"),
        ("start", "9999-12-31", "valt buiten de toegestane datums"),
        ("buffer.target", "\u0661\u0662\u0660\u0660", "cijfers 0 tot en met 9"),
        ("buffer.target", "1000000", "is te hoog"),
        ("iban", "POOLED", "derdengeldenrekening van de gemeente"),
    ],
)
def test_the_household_form_refuses_what_config_check_refuses(
    web: WebEnv,  # noqa: F811 (the fixture)
    field: str,
    typed: str,
    message: str,
) -> None:
    before = stored(web)
    if typed == "POOLED":
        with UnitOfWork(web.engine) as uow:
            gemeente = load_gemeente(uow)
        assert gemeente is not None
        typed = gemeente.account_iban
    form = household_form(web)
    form[field] = typed
    response = web.client("mira").post(HOUSEHOLD_PATH, data=form)
    assert response.status_code == 400, response.status_code
    page = response.data.decode()
    assert message in page, page[-3000:]
    with UnitOfWork(web.engine) as uow:
        assert load_household(uow, "HH-0001") == before
