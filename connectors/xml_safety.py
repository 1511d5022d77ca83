"""The one DOCTYPE check every XML reader here runs before parsing.

Bank XML (CAMT, pain.001) never needs a DTD. A DOCTYPE can only stand in the
prolog, before the root element, so looking for it in the raw bytes first makes
the refusal independent of how a given libxml2 version reacts to the entities
inside it (newer ones stop on "entity amplification" before lxml can report the
DOCTYPE). The parsers keep their own safe settings and post-parse check as a
second line for documents in other encodings.
"""

from __future__ import annotations

import os
import re
from typing import Final, TypedDict

from lxml import etree

from huishoudboekje.domain.limits import InputLimits, input_limits

PROLOG_BYTES = 64 * 1024
DOCTYPE_REFUSAL = (
    "the file has a DOCTYPE declaration; DTDs and entities are refused "
    "(protection against XXE and entity expansion)"
)
_DOCTYPE_RE = re.compile(rb"<!\s*DOCTYPE", re.IGNORECASE)
_ROOT_START_RE = re.compile(rb"<[^?!]")


def doctype_in_prolog(head: bytes) -> bool:
    """Whether the start of an XML document declares a DOCTYPE before its root element."""
    root = _ROOT_START_RE.search(head)
    prolog = head if root is None else head[: root.start()]
    return _DOCTYPE_RE.search(prolog) is not None


class _ParserOptions(TypedDict):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    dtd_validation: bool
    huge_tree: bool
    remove_comments: bool
    remove_pis: bool
    collect_ids: bool


# Shared by the tree parser and the streaming CAMT reader, so both refuse the same.
SAFE_PARSER_OPTIONS: Final[_ParserOptions] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "collect_ids": False,
}


def safe_parser() -> etree.XMLParser:
    """An lxml parser that resolves no entities, loads no DTD and never touches the network."""
    return etree.XMLParser(**SAFE_PARSER_OPTIONS)


def current_limits() -> InputLimits:
    """The input limits in force: the defaults, or the HHB_LIMIT_* variables when set."""
    return input_limits(os.environ)
