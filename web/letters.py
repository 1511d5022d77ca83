"""Letters by post (issue 21.2) as HTML for WeasyPrint, from the web's own templates.

The month's overview in a letter is the `content` block of `household/month.html`,
the template of the household's web page "Overzicht <maand>", rendered with the
same `MonthOverview`; `letters/letters.html` puts the letterhead, the address in
the envelope window, next month, the buffer in days and whom to call around it.
Outside a request (`hhb letters`) the same templates and filters are used through
a bare Flask app that serves nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from flask import Flask, current_app, has_app_context
from jinja2 import Environment
from markupsafe import Markup

from huishoudboekje.services.letters import MonthLetter
from web import formatting

MONTH_TEMPLATE = "household/month.html"  # the web's monthly overview
MONTH_BLOCK = "content"


@cache
def _bare_environment() -> Environment:
    app = Flask("web")  # templates from web/templates, like the real app
    formatting.register(app)
    return app.jinja_env


def environment() -> Environment:
    """The Jinja environment of the running app, or of a bare app outside one."""
    return current_app.jinja_env if has_app_context() else _bare_environment()


def month_content(letter: MonthLetter, env: Environment) -> Markup:
    """The web page's overview of the month (its `content` block), for this letter."""
    template = env.get_template(MONTH_TEMPLATE)
    context = template.new_context(
        {"month": letter.overview, "today": letter.printed_on, "letter": letter}
    )
    return Markup("".join(template.blocks[MONTH_BLOCK](context)))


def letters_html(letters: Sequence[MonthLetter]) -> str:
    """One HTML document with every letter; each starts on a right-hand (odd) page."""
    env = environment()
    template = env.get_template("letters/letters.html")
    return template.render(letters=[(letter, month_content(letter, env)) for letter in letters])
