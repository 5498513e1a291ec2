from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    """Kinds of party document with their type code (Hướng dẫn 36-HD/VPTW): the value
    is the code printed in the number, "Số 12-BC/HU"."""

    REPORT = "BC", _("Report")
    RESOLUTION = "NQ", _("Resolution")
    DECISION = "QĐ", _("Decision")
    MINUTES = "BB", _("Minutes")
    NOTICE = "TB", _("Notice")
    PLAN = "KH", _("Plan")
    LETTER = "CV", _("Official letter")
    INTRODUCTION = "GGT", _("Letter of introduction (party transfer)")


# Printed title of each kind, above the summary.
PRINTED_TITLES = {
    DocumentType.REPORT: "BÁO CÁO",
    DocumentType.RESOLUTION: "NGHỊ QUYẾT",
    DocumentType.DECISION: "QUYẾT ĐỊNH",
    DocumentType.MINUTES: "BIÊN BẢN",
    DocumentType.NOTICE: "THÔNG BÁO",
    DocumentType.PLAN: "KẾ HOẠCH",
    DocumentType.LETTER: "",
    DocumentType.INTRODUCTION: "GIẤY GIỚI THIỆU SINH HOẠT ĐẢNG",
}


class SignerCapacity(models.TextChoices):
    """In what capacity the signer signs: as the secretary, or for the secretary (K/T)."""

    SECRETARY = "secretary", _("Secretary")
    DEPUTY = "deputy", _("Deputy secretary, for the secretary")
    OTHER = "other", _("Chosen by the recorder, under the title typed")
