"""The document register, as the apps below `papers` reach it.

A step that issues a document (a branch resolution, an admission decision) takes its
number from the issuing body's register, which the `papers` app keeps; the layers forbid
importing it from below, so `papers` plugs its register in at start-up
(papers.apps.PapersConfig.ready) and the steps call `issue_number` and `signature_of`.
"""

import datetime
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class IssuedSignature:
    lines: tuple[str, ...]  # "T/M CHI BỘ", "BÍ THƯ"
    name: str


@dataclass(frozen=True)
class ChosenSigner:
    """Who signs when nobody holds the signing post on the issue day, as the recorder
    chose them: a member (members.Member) and their title as it prints ("CHI ỦY VIÊN")."""

    member: object
    title: str


class DocumentRegister(Protocol):
    def issue(self, node, *, code: str, on: datetime.date, summary: str, by, signer=None) -> str:
        """Issue a document of type `code` ("NQ", "QĐ") by `node` on `on`: its number
        text ("03-NQ/CB") from the body's register, the signer from the positions on
        `on`, else `signer` (a ChosenSigner); neither raises `no_signer`. Call inside the
        step's transaction."""

    def has_signer(self, node, on: datetime.date) -> bool:
        """Whether someone holds `node`'s signing post on `on`."""

    def signature_of(self, node, number: str, on: datetime.date) -> IssuedSignature | None:
        """The signature block of the document `node` issued as `number` on `on`, None when the
        register holds no such document (a number entered from paper)."""


_register: DocumentRegister | None = None


def plug(register: DocumentRegister) -> None:
    global _register
    _register = register


def issue_number(
    node, *, code: str, on: datetime.date, summary: str, by, signer: ChosenSigner | None = None
) -> str:
    return _register.issue(node, code=code, on=on, summary=summary, by=by, signer=signer)


def has_signer(node, on: datetime.date) -> bool:
    return _register.has_signer(node, on)


def no_signer(node, on: datetime.date) -> ValidationError:
    """The prompt of a step form when the document it issues has nobody to sign it."""
    return ValidationError(
        {
            "signer": _(
                "Nobody holds the secretary or deputy secretary post of %(body)s on %(day)s, "
                "so the document would have no signer. Choose who signs it and, unless they "
                "hold a post in %(body)s, type their title."
            )
            % {"body": node.name, "day": f"{on:%d/%m/%Y}"}
        }
    )


def signature_of(node, number: str, on: datetime.date) -> IssuedSignature | None:
    return _register.signature_of(node, number, on) if number else None
