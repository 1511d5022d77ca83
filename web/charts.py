"""The buffer chart: past months and the forecast, as SVG (pygal), no scripts."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from decimal import Decimal

import pygal
from pygal.style import Style

from huishoudboekje.domain.forecast import ForecastPoint
from huishoudboekje.domain.money import Money
from web.formatting import money, tick_day

# pygal puts an import hook for its optional map plugins on sys.meta_path; it lacks
# find_spec, so every later failed import raises an ImportWarning. No maps here.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]
_SCRIPT = re.compile(rb"<script\b.*?</script>", re.S)
_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#555555",
    colors=("#00589c", "#b35900"),
    font_family="sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
)


def _euros(point: ForecastPoint) -> Decimal:
    # pygal computes the scale with floats internally; the chart only draws, the
    # amounts people read are in the text table beside it (exact, from Money).
    return point.balance.amount


def buffer_chart(history: Sequence[ForecastPoint], forecast: Sequence[ForecastPoint]) -> bytes:
    """An SVG line chart of the buffer: history (blue) then forecast (orange)."""
    chart = pygal.Line(
        style=_STYLE,
        js=[],  # no JavaScript: the chart is shown through <img>
        width=800,
        height=360,
        show_dots=False,
        x_label_rotation=0,
        show_minor_x_labels=False,
        legend_at_bottom=True,
        truncate_label=-1,
        value_formatter=lambda v: money_text(v),
        disable_xml_declaration=False,
    )
    weekly_forecast = list(forecast[6::7]) if len(forecast) > 7 else list(forecast)
    labels = [tick_day(p.day) for p in history] + [tick_day(p.day) for p in weekly_forecast]
    chart.x_labels = labels
    chart.x_labels_major = labels[:: max(1, len(labels) // 6)]
    gap = [None] * len(weekly_forecast)
    chart.add("Uw buffer", [_euros(p) for p in history] + gap)
    chart.add(
        "Verwacht",
        [None] * (len(history) - 1)
        + [_euros(history[-1]) if history else None]
        + [_euros(p) for p in weekly_forecast],
    )
    # pygal always embeds a small config <script>; shown through <img> it would
    # never run, but the chart needs no script at all, so it is taken out.
    return _SCRIPT.sub(b"", bytes(chart.render()))


def money_text(value: object) -> str:
    """Label text for a chart value. pygal hands the axis ticks over as floats it
    computed itself; they are only drawn, rounded to whole euros, never used as money."""
    if isinstance(value, Decimal):
        return money(Money(value))
    if isinstance(value, int | float):
        return money(Money(round(value)))
    return ""
