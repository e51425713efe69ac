"""A pack's weapon table: the agreement's weapon classes and the named systems that fall in them."""

from __future__ import annotations

from pydantic import Field

from ceasefire.model.sourced import PackModel, Sourced


class WeaponClass(Sourced):
    """A class of weapons a clause names ("artillery of calibre 100 mm and more")."""

    id: str
    title: str
    kinds: list[str] = Field(default_factory=list)  # generic kinds of the language data in this class
    min_calibre_mm: float | None = None  # inclusive bounds, used when the calibre is known
    max_calibre_mm: float | None = None  # inclusive: "up to 120 mm" is 120, "under 100 mm" 99.9

    def admits(self, kind: str, calibre_mm: float | None) -> bool | None:
        """True/False when the kind and calibre decide membership; None when the calibre is needed but unknown."""
        if kind.lower() not in {k.lower() for k in self.kinds}:
            return False
        if self.min_calibre_mm is None and self.max_calibre_mm is None:
            return True
        if calibre_mm is None:
            return None
        low_ok = self.min_calibre_mm is None or calibre_mm >= self.min_calibre_mm
        high_ok = self.max_calibre_mm is None or calibre_mm <= self.max_calibre_mm
        return low_ok and high_ok


class WeaponSystem(Sourced):
    """A named system ("BM-21 Grad") with its generic kind, calibre and class."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: str
    weapon_class: str = Field(alias="class")
    calibre_mm: float | None = None

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class WeaponTable(PackModel):
    """``weapons.yaml``: empty for agreements that name no weapon classes."""

    classes: list[WeaponClass] = Field(default_factory=list)
    systems: list[WeaponSystem] = Field(default_factory=list)

    def system_named(self, words: str) -> WeaponSystem | None:
        wanted = words.casefold()
        return next((s for s in self.systems if wanted in {n.casefold() for n in s.names}), None)

    def classify(self, kind: str, calibre_mm: float | None, name: str | None = None) -> str | None:
        """The one class a weapon belongs to, or None when unknown or more than one could apply."""
        system = self.system_named(name) if name else None
        if system is not None:
            return system.weapon_class
        verdicts = [(c.id, c.admits(kind, calibre_mm)) for c in self.classes]
        if any(v is None for _, v in verdicts):
            return None
        matches = [cid for cid, v in verdicts if v]
        return matches[0] if len(matches) == 1 else None
