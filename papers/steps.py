"""The register as the workflow steps below `papers` use it (partyorg.registers): a
resolution or decision a step issues becomes a Document of the issuing body, numbered and
signed by `domain.issue` like every other document."""

import datetime

from papers import domain
from papers.enums import DocumentType
from papers.models import Document
from papers.signers import holders, signature
from partyorg.registers import ChosenSigner, IssuedSignature, no_signer


class StepRegister:
    def issue(self, node, *, code: str, on: datetime.date, summary: str, by, signer=None) -> str:
        holder = holders(node, on).first()
        if holder is None and signer is None:
            raise no_signer(node, on)
        document = Document(node=node, doc_type=DocumentType(code), summary=summary, created_by=by)
        chosen: ChosenSigner | None = signer if holder is None else None
        domain.issue(document, on=on, signer=holder, chosen=chosen, by=by)
        return document.number_text

    def has_signer(self, node, on: datetime.date) -> bool:
        return holders(node, on).exists()

    def signature_of(self, node, number: str, on: datetime.date) -> IssuedSignature | None:
        for document in Document.objects.filter(node=node, year=on.year, issued_on=on):
            if document.number_text == number:
                heading = document.snapshot["heading"]["signs_for"]
                block = signature(
                    heading,
                    document.signer_capacity,
                    document.signer_name,
                    document.signer_title,
                )
                return IssuedSignature(block.lines, block.name)
        return None
