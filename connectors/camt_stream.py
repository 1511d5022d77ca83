"""Streaming, hardened reading of one CAMT XML document.

`lxml.etree.iterparse` delivers the start and end of every element. An entry
(`Ntry`) is parsed when it ends and then cleared from the tree; every other
element is dropped as soon as it ends unless a statement's head or the group
header still needs it. Memory therefore stays flat however long the file is and
whatever unknown elements it holds, and the limits (`domain.limits.InputLimits`:
nesting depth, elements per document, elements per entry or head) bound it.
The parser never resolves entities, never touches the network, loads no DTD and
refuses any document that has a DOCTYPE at all (XXE, billion laughs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from lxml import etree

from connectors.camt_entry import parse_entry
from connectors.camt_statement import DedupeKeys, StatementBuilder
from connectors.camt_values import CamtRejection, Names, clean
from connectors.xml_safety import (
    DOCTYPE_REFUSAL,
    PROLOG_BYTES,
    SAFE_PARSER_OPTIONS,
    current_limits,
    doctype_in_prolog,
)
from huishoudboekje.domain.banking import Statement
from huishoudboekje.domain.limits import InputLimits, over_limit

NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"
_NAMESPACE_RE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.(\d{3})\.001\.(\d{2})\Z")
FIRST_VERSION, LAST_VERSION = 2, 8


@dataclass(frozen=True, slots=True)
class MessageKind:
    """One supported CAMT message type and its two container element names."""

    code: str  # "053"
    message_element: str  # BkToCstmrStmt
    statement_element: str  # Stmt
    title: str

    @property
    def source_format(self) -> str:
        """The `Statement.source_format` of this message kind ("camt053")."""
        return f"camt{self.code}"


MESSAGE_KINDS = {
    "052": MessageKind("052", "BkToCstmrAcctRpt", "Rpt", "account report"),
    "053": MessageKind("053", "BkToCstmrStmt", "Stmt", "statement"),
    "054": MessageKind("054", "BkToCstmrDbtCdtNtfctn", "Ntfctn", "debit/credit notification"),
}

# The parts of a statement's head that `camt_header` reads; other children of a
# statement (outside its entries) are dropped as soon as they end.
HEAD_PARTS = frozenset({"Id", "ElctrncSeqNb", "FrToDt", "Acct", "Bal"})


@dataclass(frozen=True, slots=True)
class CamtVersion:
    """A CAMT message kind in one ISO version, as its root namespace says."""

    kind: MessageKind
    version: int
    namespace: str

    @property
    def name(self) -> str:
        """The message name as ISO writes it ("camt.053.001.02")."""
        return f"camt.{self.kind.code}.001.{self.version:02d}"


def camt_version(namespace: str | None) -> CamtVersion:
    """The message kind and version behind a root namespace, or a clear rejection."""
    if not namespace:
        raise CamtRejection("root element has no namespace; this is not an ISO 20022 CAMT file")
    match = _NAMESPACE_RE.match(namespace)
    if match is None:
        if namespace.startswith(NAMESPACE_PREFIX):
            message = namespace[len(NAMESPACE_PREFIX) :]
            raise CamtRejection(
                f"{message} is not a CAMT.052/053/054 message (namespace {namespace})"
            )
        raise CamtRejection(f"namespace {namespace} is not an ISO 20022 CAMT namespace")
    code, version = match.group(1), int(match.group(2))
    kind = MESSAGE_KINDS.get(code)
    if kind is None:
        raise CamtRejection(
            f"message type camt.{code} is not supported; only camt.052, camt.053 and "
            f"camt.054 are (namespace {namespace})"
        )
    if not FIRST_VERSION <= version <= LAST_VERSION:
        raise CamtRejection(
            f"camt.{code}.001.{match.group(2)} is not supported; versions 001.02 to 001.08 are"
        )
    return CamtVersion(kind=kind, version=version, namespace=namespace)


class Readable(Protocol):
    """A binary stream as far as the reader needs one."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes; b"" at the end."""
        ...


def read_document(
    source: Readable, *, reconcile: bool = True, expect: str | None = None
) -> list[Statement]:
    """Parse one CAMT XML document from a binary stream into statements.

    `expect` ("052", "053", "054") rejects other message types. With
    `reconcile=False` the balance check is skipped (diagnostics and tests only).
    """
    head = source.read(PROLOG_BYTES)
    if doctype_in_prolog(head):
        raise CamtRejection(DOCTYPE_REFUSAL)
    reader = _DocumentReader(reconcile=reconcile, expect=expect, limits=current_limits())
    events = etree.iterparse(_Rewound(head, source), events=("start", "end"), **SAFE_PARSER_OPTIONS)
    try:
        reader.run(events)
    except etree.XMLSyntaxError as error:
        raise CamtRejection(
            f"XML is not well-formed: {error.msg}", f"line {error.lineno}"
        ) from None
    return reader.result(events.root)


class _DocumentReader:
    """The event loop's state: root checks, the open statement, the statements so far."""

    def __init__(self, *, reconcile: bool, expect: str | None, limits: InputLimits) -> None:
        self._limits = limits
        self._kept = 0  # elements held outside entries (heads, group header)
        self._kept_before_statement = 0
        self._tags = ("", "", "", "")  # Ntry, statement, message, GrpHdr (set by the root)
        self._reconcile = reconcile
        self._expect = expect
        self._version: CamtVersion | None = None
        self._names: Names | None = None
        self._dedupe = DedupeKeys()
        self._builder: StatementBuilder | None = None
        self._statements: list[Statement] = []
        self._count = 0
        self._message_id: str | None = None

    def run(self, events: Iterable[tuple[str, etree._Element]]) -> None:
        """The event loop over the start and end of every element.

        Elements inside an entry (most of a real file) take the short path: they
        are counted, and nothing else happens until their entry ends and is parsed
        and cleared as a whole."""
        limits = self._limits
        max_depth, max_elements = limits.xml_depth, limits.xml_elements
        max_in_entry = limits.xml_block_elements
        depth = elements = inside = 0
        entry: etree._Element | None = None
        for event, element in events:
            if event == "start":
                depth += 1
                elements += 1
                if depth > max_depth or elements > max_elements:
                    raise self._too_big(depth > max_depth)
                if entry is not None:
                    inside += 1
                    if inside > max_in_entry:
                        raise self._entry_too_big()
                elif self._start(element):
                    entry, inside = element, 0
            else:
                depth -= 1
                if entry is None:
                    self._end(element)
                elif element is entry:
                    entry = None
                    self._entry(element)

    def _too_big(self, deep: bool) -> CamtRejection:
        limits = self._limits
        if deep:
            what = f"elements are nested more than {limits.xml_depth} deep"
            return CamtRejection(over_limit("xml_depth", limits.xml_depth, what))
        what = "the document has too many elements"
        return CamtRejection(over_limit("xml_elements", limits.xml_elements, what))

    def _entry_too_big(self) -> CamtRejection:
        limits = self._limits
        what = "one entry (Ntry) holds too many elements"
        message = over_limit("xml_block_elements", limits.xml_block_elements, what)
        return CamtRejection(message, self._builder.next_entry_where if self._builder else "")

    def _start(self, element: etree._Element) -> bool:
        """The start of an element outside every entry; True when it opens an entry."""
        names = self._names or self._check_root(element)
        version = self._version
        assert version is not None
        tag = element.tag
        builder = self._builder
        if tag == self._tags[0] and builder is not None and element.getparent() is builder.element:
            return True
        if tag == self._tags[1]:
            self._start_statement(element, version, names)
        return False

    def _end(self, element: etree._Element) -> None:
        """The end of an element outside every entry."""
        names = self._names or self._check_root(element)
        version = self._version
        assert version is not None
        if self._builder is not None and element is self._builder.element:
            self._end_statement(element)
        elif element.getparent() is None:
            if not self._count:
                self._no_statements(element, version, names)
        else:
            self._passed(element)

    def _passed(self, element: etree._Element) -> None:
        """An element outside every entry has ended: keep it only when it is needed later
        (the group header, a statement's head, what the document root holds)."""
        parent = element.getparent()
        assert parent is not None
        builder = self._builder
        message, group_header = self._tags[2], self._tags[3]
        if parent.tag == message:
            needed = element.tag == group_header
        elif builder is not None and parent is builder.element:
            needed = (
                _split_tag(element.tag)[1] in HEAD_PARTS if isinstance(element.tag, str) else False
            )
        else:
            needed = True  # inside a kept element, or a child of the root
        if not needed:
            element.clear()
            parent.remove(element)
            return
        self._kept += 1
        if self._kept - self._kept_before_statement > self._limits.xml_block_elements:
            raise CamtRejection(
                over_limit(
                    "xml_block_elements",
                    self._limits.xml_block_elements,
                    "the head of a statement or message holds too many elements",
                )
            )

    def result(self, root: etree._Element | None) -> list[Statement]:
        """The statements, once the whole document has been read."""
        if self._version is None:
            # No Document, statement or entry element anywhere: say what the root is.
            if root is None:
                raise CamtRejection("no XML root element found")
            self._check_root(root)
            raise CamtRejection("the document holds no statements")
        return self._statements

    def _check_root(self, element: etree._Element) -> Names:
        tree = element.getroottree()
        if _has_doctype(tree):
            raise CamtRejection(DOCTYPE_REFUSAL)
        root = tree.getroot()
        namespace, localname = _split_tag(root.tag)
        if localname != "Document":
            raise CamtRejection(f"root element is {localname}, not a CAMT Document")
        version = camt_version(namespace)
        if self._expect is not None and version.kind.code != self._expect:
            raise CamtRejection(
                f"this is a {version.name} {version.kind.title}, not camt.{self._expect}; "
                f"use format {version.kind.source_format}"
            )
        self._version = version
        names = Names(version.namespace)
        kind = version.kind
        # looked up once: the hot path compares every element's tag with these
        self._tags = (
            names["Ntry"],
            names[kind.statement_element],
            names[kind.message_element],
            names["GrpHdr"],
        )
        self._names = names
        return names

    def _start_statement(self, element: etree._Element, version: CamtVersion, names: Names) -> None:
        parent = element.getparent()
        if parent is None or parent.tag != names[version.kind.message_element]:
            return  # not a statement of this message; ignore it
        if self._message_id is None:
            self._message_id = clean(parent.findtext(names["GrpHdr/MsgId"]))
        self._count += 1
        self._kept_before_statement = self._kept
        self._builder = StatementBuilder(
            element,
            names,
            f"{version.kind.statement_element} {self._count}",
            dedupe=self._dedupe,
            source_format=version.kind.source_format,
            extra=(("camt_version", version.name), ("message_id", self._message_id)),
            reconcile=self._reconcile,
        )

    def _entry(self, element: etree._Element) -> None:
        builder = self._builder
        if builder is None or element.getparent() is not builder.element:
            return
        assert self._names is not None
        where = builder.next_entry_where
        notification = self._version is not None and self._version.kind.code == "054"
        builder.add_entry(
            parse_entry(
                element,
                self._names,
                where,
                builder.header.account,
                value_date_will_do=notification,
            )
        )
        _forget(element)

    def _end_statement(self, element: etree._Element) -> None:
        builder = self._builder
        if builder is None or element is not builder.element:
            return
        self._statements.append(builder.finish())
        self._builder = None
        self._kept = self._kept_before_statement  # the head goes with the statement
        _forget(element)

    def _no_statements(self, root: etree._Element, version: CamtVersion, names: Names) -> None:
        kind = version.kind
        message = root.find(names[kind.message_element])
        if message is None:
            found = [_split_tag(child.tag)[1] for child in root if isinstance(child.tag, str)]
            raise CamtRejection(
                f"{version.name} needs a {kind.message_element} element; found "
                f"{', '.join(found) or 'nothing'}"
            )
        raise CamtRejection(
            f"the document holds no {kind.statement_element} ({kind.title}); "
            f"{kind.message_element} needs at least one"
        )


def _split_tag(tag: str) -> tuple[str | None, str]:
    """(namespace, local name) of an element tag.

    An undeclared prefix (`<c:Document>` without `xmlns:c`) is only a namespace
    warning for libxml2; the tag then stays "c:Document", which `etree.QName`
    refuses with a ValueError, so it is refused here with a clear message.
    """
    if tag.startswith("{"):
        namespace, _, localname = tag[1:].partition("}")
        return namespace, localname
    if ":" in tag:
        prefix = tag.partition(":")[0]
        raise CamtRejection(
            f"element {tag} uses namespace prefix {prefix!r}, which is not declared"
        )
    return None, tag


class _Rewound:
    """A binary stream whose first bytes were already read for the prolog check."""

    def __init__(self, head: bytes, rest: Readable) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        """The sniffed head first, then the rest of the stream."""
        if self._head:
            if size < 0 or size >= len(self._head):
                chunk, self._head = self._head, b""
                return chunk
            chunk, self._head = self._head[:size], self._head[size:]
            return chunk
        return self._rest.read(size)


def _has_doctype(tree: etree._ElementTree) -> bool:
    info = tree.docinfo
    doctype: str = getattr(info, "doctype", "")  # not in lxml-stubs
    return bool(doctype) or info.internalDTD is not None


def _forget(element: etree._Element) -> None:
    """Free a handled element and its already-handled siblings of the same kind."""
    element.clear()
    parent = element.getparent()
    if parent is None:
        return
    previous = element.getprevious()
    while previous is not None and previous.tag == element.tag:
        parent.remove(previous)
        previous = element.getprevious()
