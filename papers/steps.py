"""The register as the workflow steps below `papers` use it (partyorg.registers): a
resolution or decision a step issues becomes a Document of the issuing body, numbered and
signed by `domain.issue` like every other document."""

import datetime

from papers import domain
from papers.enums import DocumentType
from papers.models import Document
from papers.signers import holders, signature
from partyorg.registers import IssuedSignature


class StepRegister:
    def issue(self, node, *, code: str, on: datetime.date, summary: str, by) -> str:
        document = Document(node=node, doc_type=DocumentType(code), summary=summary, created_by=by)
        domain.issue(document, on=on, signer=holders(node, on).first(), by=by)
        return document.number_text

    def signature_of(self, node, number: str, on: datetime.date) -> IssuedSignature | None:
        for document in Document.objects.filter(node=node, year=on.year, issued_on=on):
            if document.number_text == number:
                heading = document.snapshot["heading"]["signs_for"]
                block = signature(heading, document.signer_capacity, document.signer_name)
                return IssuedSignature(block.lines, block.name)
        return None
