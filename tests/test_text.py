from partyorg.text import fold, normalize_text, vietnamese_sort_key


def test_fold_removes_diacritics_and_d_stroke():
    assert fold("  Nguyễn   Văn Đạt ") == "nguyen van dat"


def test_normalize_text_composes_and_trims():
    decomposed = "Nguye\u0302\u0303n"  # e + combining circumflex + combining tilde
    assert normalize_text(f"  {decomposed}  Văn ") == "Nguyễn Văn"


def test_people_sort_by_given_name_then_family_name():
    names = ["Trần Văn Bình", "Lê Thị An", "Nguyễn Văn An", "Phạm Ăn"]
    assert sorted(names, key=vietnamese_sort_key) == [
        "Lê Thị An",
        "Nguyễn Văn An",
        "Phạm Ăn",
        "Trần Văn Bình",
    ]


def test_vietnamese_letter_order_puts_d_stroke_after_d():
    names = ["Lê Đông", "Lê Dũng", "Lê Em"]
    assert sorted(names, key=vietnamese_sort_key) == ["Lê Dũng", "Lê Đông", "Lê Em"]


def test_tone_breaks_ties_in_traditional_order():
    # level < grave < hook < tilde < acute < dot
    names = ["Lê Ánh", "Lê Anh", "Lê Ảnh", "Lê Ạnh"]
    assert sorted(names, key=vietnamese_sort_key) == ["Lê Anh", "Lê Ảnh", "Lê Ánh", "Lê Ạnh"]


def test_shorter_given_name_sorts_first():
    assert vietnamese_sort_key("Lê An") < vietnamese_sort_key("Lê Anh")


def test_sort_key_accepts_any_character():
    # Found by the form fuzzer: "²" counts as a digit but is no number.
    assert vietnamese_sort_key("Lê ² Văn") > vietnamese_sort_key("Lê Văn")
    assert vietnamese_sort_key("Lê Anh2") > vietnamese_sort_key("Lê Anh")
