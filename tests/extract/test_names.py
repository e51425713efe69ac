import pytest

from ceasefire.extract.names import fold


@pytest.mark.parametrize("spelling", ["Ain al-Fijeh", "‘Ayn al Fījah", "Ain Figeh", "Ein Elfijeh", "AIN AL-FIJEH"])
def test_transliterations_of_one_village_fold_together(spelling: str) -> None:
    assert fold(spelling) == fold("Ain al-Fijeh")


@pytest.mark.parametrize(("a", "b"), [("Khan Shaykhun", "Khan Sheikhoun"), ("Deir Qanun", "Deir Kanoun"),
                                      ("Maarat al-Numan", "Maarrat al-Nu'man"), ("Basimah", "Basima")])
def test_common_variants_fold_together(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_different_places_stay_apart() -> None:
    assert len({fold(n) for n in ["Hama", "Homs", "Harasta", "Douma", "Idlib", "Aleppo"]}) == 6
