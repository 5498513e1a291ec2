from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary")
    OFFICIAL = "official", _("Official")
    EXEMPTED = "exempted", _("Exempted from party work")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    REMOVED = "removed", _("Removed from the roll")
    EXPELLED = "expelled", _("Expelled")
    LEFT = "left", _("Left the party")
    DECEASED = "deceased", _("Deceased")


# Members counted in an organization's membership total (exempted members stay counted).
ACTIVE_STATUSES = {MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL, MemberStatus.EXEMPTED}


class EventKind(models.TextChoices):
    ADMITTED = "admitted", _("Admitted")
    CONVERTED = "converted", _("Converted to official member")
    TRANSFERRED_IN = "transferred_in", _("Transferred in")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    TRANSFERRED = "transferred", _("Transferred between branches")
    RESTRUCTURED = "restructured", _("Moved by restructuring")
    EXEMPTED = "exempted", _("Exempted from party work")
    RESUMED = "resumed", _("Resumed party work")
    REMOVED = "removed", _("Removed from the roll")
    EXPELLED = "expelled", _("Expelled")
    LEFT = "left", _("Left the party")
    DECEASED = "deceased", _("Deceased")
    READMITTED = "readmitted", _("Readmitted")


# Events after which the member is outside the party until readmission, the time party
# age leaves out. An official transfer out is not one: the member goes on in another
# party organization (DOMAIN.md §3).
LEAVING_EVENTS = {
    EventKind.REMOVED,
    EventKind.EXPELLED,
    EventKind.LEFT,
    EventKind.DECEASED,
}
RETURNING_EVENTS = {EventKind.READMITTED}


class MembershipKind(models.TextChoices):
    HOME = "home", _("Official activity")
    TEMPORARY = "temporary", _("Temporary activity")


class PositionRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    VILLAGE_HEAD = "village_head", _("Village head")
    FRONT_COMMITTEE_HEAD = "front_committee_head", _("Head of the front work committee")


PARTY_POSITIONS = {
    PositionRole.SECRETARY,
    PositionRole.DEPUTY_SECRETARY,
    PositionRole.COMMITTEE_MEMBER,
}


class Ethnicity(models.TextChoices):
    KINH = "kinh", "Kinh"
    TAY = "tay", "Tày"
    THAI = "thai", "Thái"
    MUONG = "muong", "Mường"
    KHMER = "khmer", "Khơ-me"
    HOA = "hoa", "Hoa"
    NUNG = "nung", "Nùng"
    HMONG = "hmong", "Mông"
    DAO = "dao", "Dao"
    GIA_RAI = "gia_rai", "Gia-rai"
    E_DE = "e_de", "Ê-đê"
    BA_NA = "ba_na", "Ba-na"
    SAN_CHAY = "san_chay", "Sán Chay"
    CHAM = "cham", "Chăm"
    CO_HO = "co_ho", "Cơ-ho"
    XO_DANG = "xo_dang", "Xơ-đăng"
    SAN_DIU = "san_diu", "Sán Dìu"
    HRE = "hre", "Hrê"
    RA_GLAI = "ra_glai", "Ra-glai"
    MNONG = "mnong", "Mnông"
    THO = "tho", "Thổ"
    XTIENG = "xtieng", "Xtiêng"
    KHO_MU = "kho_mu", "Khơ-mú"
    BRU_VAN_KIEU = "bru_van_kieu", "Bru-Vân Kiều"
    CO_TU = "co_tu", "Cơ-tu"
    GIAY = "giay", "Giáy"
    TA_OI = "ta_oi", "Tà-ôi"
    MA = "ma", "Mạ"
    GIE_TRIENG = "gie_trieng", "Giẻ-Triêng"
    CO = "co", "Co"
    CHO_RO = "cho_ro", "Chơ-ro"
    XINH_MUN = "xinh_mun", "Xinh-mun"
    HA_NHI = "ha_nhi", "Hà Nhì"
    CHU_RU = "chu_ru", "Chu-ru"
    LAO = "lao", "Lào"
    LA_CHI = "la_chi", "La Chí"
    KHANG = "khang", "Kháng"
    PHU_LA = "phu_la", "Phù Lá"
    LA_HU = "la_hu", "La Hủ"
    LA_HA = "la_ha", "La Ha"
    PA_THEN = "pa_then", "Pà Thẻn"
    LU = "lu", "Lự"
    NGAI = "ngai", "Ngái"
    CHUT = "chut", "Chứt"
    LO_LO = "lo_lo", "Lô Lô"
    MANG = "mang", "Mảng"
    CO_LAO = "co_lao", "Cờ Lao"
    BO_Y = "bo_y", "Bố Y"
    CONG = "cong", "Cống"
    SI_LA = "si_la", "Si La"
    PU_PEO = "pu_peo", "Pu Péo"
    RO_MAM = "ro_mam", "Rơ-măm"
    BRAU = "brau", "Brâu"
    O_DU = "o_du", "Ơ Đu"
    OTHER = "other", _("Other")


class Religion(models.TextChoices):
    NONE = "none", _("None")
    BUDDHISM = "buddhism", _("Buddhism")
    CATHOLICISM = "catholicism", _("Catholicism")
    PROTESTANTISM = "protestantism", _("Protestantism")
    CAO_DAI = "cao_dai", _("Cao Đài")
    HOA_HAO = "hoa_hao", _("Hòa Hảo Buddhism")
    ISLAM = "islam", _("Islam")
    OTHER = "other", _("Other")


class GeneralEducation(models.TextChoices):
    PRIMARY = "primary", _("Primary school (grade 5)")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary (grade 9)")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary (grade 12)")


class Qualification(models.TextChoices):
    NONE = "none", _("None")
    VOCATIONAL = "vocational", _("Vocational")
    COLLEGE = "college", _("College")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTOR = "doctor", _("Doctorate")


class PoliticalTheory(models.TextChoices):
    NONE = "none", _("None")
    ELEMENTARY = "elementary", _("Elementary (sơ cấp)")
    INTERMEDIATE = "intermediate", _("Intermediate (trung cấp)")
    ADVANCED = "advanced", _("Advanced (cao cấp)")
    BACHELOR = "bachelor", _("Bachelor (cử nhân)")


class Occupation(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    TEACHER = "teacher", _("Teacher")
    HEALTH_WORKER = "health_worker", _("Health worker")
    FARMER = "farmer", _("Farmer")
    WORKER = "worker", _("Worker")
    BUSINESS = "business", _("Business")
    STUDENT = "student", _("Student")
    ARMED_FORCES = "armed_forces", _("Armed forces")
    RETIRED = "retired", _("Retired")
    OTHER = "other", _("Other")


class AgeBand(models.TextChoices):
    UP_TO_30 = "le30", _("30 or under")
    FROM_31_TO_40 = "31_40", _("31–40")
    FROM_41_TO_50 = "41_50", _("41–50")
    FROM_51_TO_60 = "51_60", _("51–60")
    FROM_61 = "ge61", _("61 or over")


# (lowest age, highest age) of each band; None means open-ended.
AGE_BAND_LIMITS = {
    AgeBand.UP_TO_30: (None, 30),
    AgeBand.FROM_31_TO_40: (31, 40),
    AgeBand.FROM_41_TO_50: (41, 50),
    AgeBand.FROM_51_TO_60: (51, 60),
    AgeBand.FROM_61: (61, None),
}


# ---------------------------------------------------------------------------
# Member lifecycle: transfers and exits (issue 5)
# ---------------------------------------------------------------------------


class TransferKind(models.TextChoices):
    OFFICIAL = "official", _("Official transfer")
    TEMPORARY = "temporary", _("Temporary transfer")


class TransferState(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiving branch")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Returned by the receiving branch")
    CANCELLED = "cancelled", _("Withdrawn")
    ENDED = "ended", _("Temporary activity ended")


class ExitKind(models.TextChoices):
    REMOVED = "removed", _("Removed from the roll")
    EXPELLED = "expelled", _("Expelled")
    LEFT = "left", _("Left the party")
    DECEASED = "deceased", _("Deceased")
