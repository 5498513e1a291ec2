"""Valid posts for the person forms (new member, new candidate); a test overrides the
fields it is about."""

BACKGROUND = {
    "gender": "male",
    "ethnicity": "kinh",
    "religion": "none",
    "general_education": "upper_secondary",
    "qualification": "none",
    "political_theory": "none",
    "occupation": "farmer",
}


MEMBER = BACKGROUND | {
    "member_number": "55555555",
    "full_name": "Hà Văn Sơn",
    "date_of_birth": "01/01/1980",
    "admission_decision_date": "01/02/2010",
    "admission_date": "15/02/2010",
}

CANDIDATE = BACKGROUND | {
    "full_name": "Võ Thị Hạnh",
    "date_of_birth": "10/05/2001",
    "source": "womens_union",
    "identified_on": "02/01/2025",
}


def member_form(**fields) -> dict:
    return MEMBER | fields


def candidate_form(**fields) -> dict:
    return CANDIDATE | fields
