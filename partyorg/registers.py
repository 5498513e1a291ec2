"""The document register, as the apps below `papers` reach it.

A step that issues a document (a branch resolution, an admission decision) takes its
number from the issuing body's register, which the `papers` app keeps; the layers forbid
importing it from below, so `papers` plugs its register in at start-up
(papers.apps.PapersConfig.ready) and the steps call `issue_number` and `signature_of`.
"""

import datetime
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class IssuedSignature:
    lines: tuple[str, ...]  # "T/M CHI BỘ", "BÍ THƯ"
    name: str


class DocumentRegister(Protocol):
    def issue(self, node, *, code: str, on: datetime.date, summary: str, by) -> str:
        """Issue a document of type `code` ("NQ", "QĐ") by `node` on `on`: its number
        text ("03-NQ/CB") from the body's register, the signer from the positions on
        `on`. Call inside the step's transaction."""

    def signature_of(self, node, number: str, on: datetime.date) -> IssuedSignature | None:
        """The signature block of the document `node` issued as `number` on `on`, None when the
        register holds no such document (a number entered from paper)."""


_register: DocumentRegister | None = None


def plug(register: DocumentRegister) -> None:
    global _register
    _register = register


def issue_number(node, *, code: str, on: datetime.date, summary: str, by) -> str:
    return _register.issue(node, code=code, on=on, summary=summary, by=by)


def signature_of(node, number: str, on: datetime.date) -> IssuedSignature | None:
    return _register.signature_of(node, number, on) if number else None
