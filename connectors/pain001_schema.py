"""pain.001 versions, namespaces and XSD validation.

The XSDs are the ISO 20022 schemas shipped inside the installed `sepaxml`
package (`sepaxml/schemas/pain.001.001.03.xsd`, `.09.xsd`), loaded through
`importlib.resources`: nothing is downloaded and nothing is copied into this
project. Validation uses `xmlschema` on a tree that lxml has already parsed
safely, so the validator never sees a DOCTYPE or resolves anything.
"""

from __future__ import annotations

import importlib.resources
from functools import cache

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
    if version not in PAIN_VERSIONS:
        raise ValueError(f"unsupported pain.001 version {version!r}; use one of {PAIN_VERSIONS}")
    resource = importlib.resources.files("sepaxml").joinpath("schemas", f"{version}.xsd")
    with importlib.resources.as_file(resource) as path:
        return xmlschema.XMLSchema(str(path))


def schema_errors(root: etree._Element, version: str) -> list[tuple[str, str]]:
    """XSD violations of `root` as (XPath, reason), at most a few; empty when valid."""
    errors: list[tuple[str, str]] = []
    for error in schema(version).iter_errors(root):
        errors.append((str(error.path or ""), str(error.reason or error.message)))
        if len(errors) >= MAX_REPORTED_ERRORS:
            break
    return errors
