"""The team dashboard's charts (issue 21.1): SVG (pygal), no scripts, each shown as
an <img> with the same figures in a table beside it."""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pygal
from pygal.style import Style

from huishoudboekje.services.reports import MonthTrend
from web.charts import money_text  # importing web.charts also tames pygal's import hook
from web.formatting import money

_SCRIPT = re.compile(rb"<script\b.*?</script>", re.S)
_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#555555",
    colors=("#00589c", "#b35900", "#2e7d32", "#6a1b9a"),
    font_family="sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
)
MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart: its title, its SVG as a data URI (for <img>), and the text alternative."""

    title: str
    data_uri: str
    alt: str


def _label(t: MonthTrend) -> str:
    return f"{MONTHS_NL[t.month.month - 1]} {t.month.year}"


def _render(chart: pygal.graph.graph.Graph) -> str:
    svg = _SCRIPT.sub(b"", bytes(chart.render()))
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _chart(kind: type[pygal.graph.graph.Graph], money_axis: bool) -> pygal.graph.graph.Graph:
    return kind(
        style=_STYLE,
        js=[],
        width=640,
        height=300,
        legend_at_bottom=True,
        truncate_label=-1,
        x_label_rotation=0,
        value_formatter=money_text if money_axis else (lambda v: f"{v:.0f}"),
        disable_xml_declaration=False,
    )


def trend_charts(trend: Sequence[MonthTrend]) -> tuple[Chart, ...]:
    """Households, money and signals per month."""
    labels = [_label(t) for t in trend]
    people = _chart(pygal.Bar, money_axis=False)
    people.x_labels = labels
    people.add("Actief", [t.active for t in trend])
    people.add("Gestart", [t.starting for t in trend])
    people.add("Gestopt", [t.ending for t in trend])
    pool = _chart(pygal.Line, money_axis=True)
    pool.x_labels = labels
    # pygal scales with floats; the exact amounts are in the table beside the chart
    pool.add("In vaten en reserveringen", [t.in_pool.amount for t in trend])
    pool.add("Voorschotten", [t.advances.amount for t in trend])
    pool.add("Tussenrekening", [t.suspense.amount for t in trend])
    signals = _chart(pygal.Bar, money_axis=False)
    signals.x_labels = labels
    signals.add("Signalen geopend", [t.signals_opened for t in trend])
    signals.add("Signalen gesloten", [t.signals_closed for t in trend])
    signals.add("Achtergehouden", [t.held_back for t in trend])
    signals.add("Inkomen te laat", [t.late_incomes for t in trend])
    table = "De aantallen staan ook in de tabel hiernaast."
    return (
        Chart("Huishoudens per maand", _render(people), f"Staafgrafiek huishoudens. {table}"),
        Chart(
            "Geld aan het eind van de maand",
            _render(pool),
            f"Lijngrafiek van het geld in de pot. De bedragen staan ook in de tabel hiernaast "
            f"(laatste maand: {money(trend[-1].in_pool)} in vaten en reserveringen).",
        ),
        Chart("Signalen per maand", _render(signals), f"Staafgrafiek signalen. {table}"),
    )
