"""Reading the consent fields of a form (the household's page and the intake's last
step): the date signed, by whom, the scope and the document (an upload or paper)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import FileStorage, MultiDict

from huishoudboekje.domain.consent import DocumentKind
from huishoudboekje.services.consent import Upload
from web.parsing import typed_day


@dataclass(frozen=True)
class ConsentFields:
    """What the consent fields show: values, problems by field, and the rules to choose."""

    values: dict[str, Any]
    incomes: tuple[tuple[str, str], ...] = ()  # (id, label)
    charges: tuple[tuple[str, str], ...] = ()
    errors: dict[str, str] = field(default_factory=dict)


def default_values(today: str, signer: str = "") -> dict[str, Any]:
    return {
        "signed_on": today,
        "signed_by": signer,
        "scope_all": True,
        "scope_incomes": [],
        "scope_charges": [],
        "document": DocumentKind.UPLOAD.value,
    }


def read_values(form: MultiDict[str, str]) -> dict[str, Any]:
    """The consent fields as submitted (kept as typed, to show them again)."""
    return {
        "signed_on": form.get("signed_on", "")[:40].strip(),
        "signed_by": form.get("signed_by", "")[:300],
        "scope_all": form.get("scope_all") == "1",
        "scope_incomes": [v[:40] for v in form.getlist("scope_incomes")][:100],
        "scope_charges": [v[:40] for v in form.getlist("scope_charges")][:100],
        "document": form.get("document", ""),
    }


def consent_data(values: Mapping[str, Any]) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The plain-data (YAML) form of the consent in `values`, or problems by field."""
    errors: dict[str, str] = {}
    day = typed_day(str(values["signed_on"]))
    if day is None:
        errors["signed_on"] = "Vul de datum in waarop is getekend, zoals 2026-03-01."
    if not str(values["signed_by"]).strip():
        errors["signed_by"] = "Vul in wie heeft getekend."
    if values["document"] not in {k.value for k in DocumentKind}:
        errors["document"] = "Kies: getekend document uploaden, of op papier getekend."
    if errors or day is None:
        return None, errors
    scope: str | dict[str, list[str]] = "all"
    if not values["scope_all"]:
        scope = {"incomes": list(values["scope_incomes"]), "charges": list(values["scope_charges"])}
    data = {
        "signed_on": day.isoformat(),
        "signed_by": str(values["signed_by"]).strip(),
        "scope": scope,
        "document": values["document"],
    }
    return data, {}


def read_upload(files: Mapping[str, FileStorage], values: Mapping[str, Any]) -> Upload | None:
    """The uploaded document when "uploaden" was chosen and a file was sent."""
    if values.get("document") != DocumentKind.UPLOAD.value:
        return None
    sent = files.get("document_file")
    if sent is None or not sent.filename:
        return None
    return Upload(sent.filename, sent.read())


def rule_choices(rules: Sequence[Mapping[str, Any]], label_key: str) -> tuple[tuple[str, str], ...]:
    """(id, label) of the incomes or charges to choose in the scope."""
    return tuple(
        (str(r["id"]), f"{r['id']} ({r.get(label_key) or r.get('kind', '')})") for r in rules
    )
