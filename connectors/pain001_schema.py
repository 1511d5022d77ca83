"""pain.001 versions, namespaces and XSD validation.

The XSDs are the ISO 20022 schemas shipped inside the installed `sepaxml`
package (`sepaxml/schemas/pain.001.001.03.xsd`, `.09.xsd`), loaded through
`importlib.resources`: nothing is downloaded and nothing is copied into this
project. Validation runs on a tree that lxml has already parsed safely, so the
validator never sees a DOCTYPE or resolves anything.

Two validators of the same XSD: libxml2 (lxml's `XMLSchema`, in C) answers "valid
or not" for every message the night writes (a 10,000-payment file in well under a
second, where `xmlschema` in pure Python took seconds); only a message it refuses is
validated again by `xmlschema`, whose errors name the XPath and the reason in words.
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from importlib.resources.abc import Traversable

import xmlschema
from lxml import etree

PAIN_VERSIONS = ("pain.001.001.03", "pain.001.001.09")  # first = default
NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"
CONNECTOR = "pain001"
MAX_REPORTED_ERRORS = 3


def namespace(version: str) -> str:
    """The XML namespace of a pain.001 version."""
    return NAMESPACE_PREFIX + version


def version_of(namespace_uri: str | None) -> str | None:
    """The supported version behind a namespace, or None."""
    if namespace_uri and namespace_uri.startswith(NAMESPACE_PREFIX):
        version = namespace_uri[len(NAMESPACE_PREFIX) :]
        if version in PAIN_VERSIONS:
            return version
    return None


@cache
def schema(version: str) -> xmlschema.XMLSchema:
    """The XSD of `version`, loaded once from the installed sepaxml package."""
    with importlib.resources.as_file(schema_file(version)) as path:
        return xmlschema.XMLSchema(str(path))


def schema_file(version: str) -> Traversable:
    """The XSD file of `version` inside the installed sepaxml package."""
    if version not in PAIN_VERSIONS:
        raise ValueError(f"unsupported pain.001 version {version!r}; use one of {PAIN_VERSIONS}")
    return importlib.resources.files("sepaxml").joinpath("schemas", f"{version}.xsd")


@cache
def fast_schema(version: str) -> etree.XMLSchema:
    """The same XSD as `schema`, compiled by libxml2 (no network, no entities)."""
    with importlib.resources.as_file(schema_file(version)) as path:
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        return etree.XMLSchema(etree.parse(str(path), parser))


def schema_errors(root: etree._Element, version: str) -> list[tuple[str, str]]:
    """XSD violations of `root` as (XPath, reason), at most a few; empty when valid."""
    try:
        fast_schema(version).assertValid(root)
        return []
    except etree.DocumentInvalid as invalid:
        refused = str(invalid)
    errors: list[tuple[str, str]] = []
    for error in schema(version).iter_errors(root):
        errors.append((str(error.path or ""), str(error.reason or error.message)))
        if len(errors) >= MAX_REPORTED_ERRORS:
            break
    if not errors:  # the two validators disagree: libxml2's own words (with the line)
        errors.append(("", refused))
    return errors
