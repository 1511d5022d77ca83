"""Streaming, hardened reading of one CAMT XML document.

`lxml.etree.iterparse` delivers only `Document`, statement, `Ntry` and `TxDtls`
events; every entry is parsed and then cleared from the tree, and at each event
the elements passed since the previous one that nothing needs (unknown elements
between entries, beside statements, between transaction details) are dropped.
What lies between two events is bounded too: the stream is metered, and more than
`InputLimits.xml_gap_bytes` of XML without an event is refused. Memory therefore
stays flat however long the file is and whatever unknown elements it holds; it
grows only with a legitimate entry (a batch entry keeps its TxDtls until it
ends). The parser never resolves entities, never touches
the network, loads no DTD and refuses any document that has a DOCTYPE at all
(XXE, billion laughs).
"""

from __future__ import annotations

import re
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
from huishoudboekje.domain.limits import over_limit

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

_EVENT_TAGS = ("{*}Document", "{*}Stmt", "{*}Rpt", "{*}Ntfctn", "{*}Ntry", "{*}TxDtls")
# The parts of a statement's head that `camt_header` reads; anything else before,
# between or after the entries of a statement is dropped at the next event.
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
    reader = _DocumentReader(reconcile=reconcile, expect=expect)
    metered = _Metered(_Rewound(head, source), current_limits().xml_gap_bytes)
    events = etree.iterparse(
        metered,
        events=("start", "end"),
        tag=_EVENT_TAGS,
        **SAFE_PARSER_OPTIONS,
    )
    try:
        for event, element in events:
            metered.mark()
            reader.handle(event, element)
    except etree.XMLSyntaxError as error:
        raise CamtRejection(
            f"XML is not well-formed: {error.msg}", f"line {error.lineno}"
        ) from None
    return reader.result(events.root)


class _DocumentReader:
    """The event loop's state: root checks, the open statement, the statements so far."""

    def __init__(self, *, reconcile: bool, expect: str | None) -> None:
        self._reconcile = reconcile
        self._expect = expect
        self._version: CamtVersion | None = None
        self._names: Names | None = None
        self._dedupe = DedupeKeys()
        self._builder: StatementBuilder | None = None
        self._statements: list[Statement] = []
        self._count = 0
        self._message_id: str | None = None
        self._open_entry: etree._Element | None = None
        self._head_tags: tuple[str, ...] = ()
        self._detail_tags: tuple[str, ...] = ()
        self._entry_tag = ""

    def handle(self, event: str, element: etree._Element) -> None:
        """Take one parse event (start or end of Document, a statement or an entry)."""
        names = self._names or self._check_root(element)
        version = self._version
        assert version is not None
        tag = element.tag
        if tag == self._entry_tag:
            builder = self._builder
            if event == "start":
                if self._open_entry is None and builder and element.getparent() is builder.element:
                    self._open_entry = element
            elif element is self._open_entry:
                self._open_entry = None
                self._entry(element)
            else:
                _discard(element)  # not an entry of a statement: nobody needs it
        elif tag == names.TxDtls:
            if event == "end":
                if self._open_entry is None:
                    _discard(element)
                else:
                    _drop_passed(element, keep=self._detail_tags)
        elif tag == names[version.kind.statement_element]:
            if event == "start":
                self._start_statement(element, version, names)
            elif self._builder is not None and element is self._builder.element:
                self._end_statement(element)
            elif element.getparent() is not None and self._open_entry is None:
                _discard(element)  # not a statement of this message
        elif event == "end" and element.getparent() is None and not self._count:
            self._no_statements(element, version, names)

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
        # looked up once: compared with on every entry and transaction detail
        self._head_tags = tuple(names[part] for part in sorted(HEAD_PARTS))
        self._detail_tags = (names.TxDtls, names["Btch"])
        self._entry_tag = names["Ntry"]
        self._names = names
        return names

    def _start_statement(self, element: etree._Element, version: CamtVersion, names: Names) -> None:
        parent = element.getparent()
        if parent is None or parent.tag != names[version.kind.message_element]:
            return  # not a statement of this message; ignore it
        _drop_passed(element, keep=(names["GrpHdr"],))  # unknown elements before it
        if self._message_id is None:
            self._message_id = clean(parent.findtext(names["GrpHdr/MsgId"]))
        self._count += 1
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
        _drop_passed(element, keep=self._head_tags)

    def _end_statement(self, element: etree._Element) -> None:
        builder = self._builder
        if builder is None or element is not builder.element:
            return
        self._statements.append(builder.finish())
        self._builder = None
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


def _discard(element: etree._Element) -> None:
    """Clear an element nobody needs and take it out of the tree."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _drop_passed(element: etree._Element, *, keep: tuple[str, ...]) -> None:
    """Drop the siblings before `element` back to the nearest one whose tag is in
    `keep` (those, and what comes before them, are needed or dropped already)."""
    parent = element.getparent()
    if parent is None:
        return
    previous = element.getprevious()
    while previous is not None and previous.tag not in keep:
        earlier = previous.getprevious()
        parent.remove(previous)
        previous = earlier


class _Metered:
    """The stream the parser reads, counting the bytes since the last parse event.

    Between two events (the start or end of a statement, an entry or a transaction
    detail) the parser builds elements nobody has looked at yet; more than `limit`
    bytes of them is refused, so no stretch of unknown elements can grow the tree
    without bound."""

    def __init__(self, source: Readable, limit: int) -> None:
        self._source = source
        self._limit = limit
        self._read = 0
        self._marked = 0

    def mark(self) -> None:
        """An event arrived: the stretch without one starts again here."""
        self._marked = self._read

    def read(self, size: int = -1) -> bytes:
        """The next bytes for the parser; refused past the limit without an event."""
        chunk = self._source.read(size)
        self._read += len(chunk)
        if self._read - self._marked > self._limit:
            raise CamtRejection(
                over_limit(
                    "xml_gap_bytes",
                    self._limit,
                    "the XML holds too much without a statement, entry or transaction boundary",
                )
            )
        return chunk


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
