"""The colours, shapes and words that tell verdicts, parties, grades and place precision apart,
in one place for the web (markers, clusters, badges, legend) and the report's charts.

Verdict colours are the Okabe–Ito set, which stays distinct under the common colour-vision
deficiencies; each verdict has a shape as well, so colour is never the only cue. Parties get a
separate set, so that a party's bar is never mistaken for a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from ceasefire.model import AgreementPack, Reliability, Verdict

NOT_ASSESSED = "NOT_ASSESSED"


@dataclass(frozen=True)
class VerdictStyle:
    """How one verdict is drawn and explained."""

    verdict: str
    colour: str  # marker fill and badge background
    text: str  # badge text colour, chosen for WCAG AA contrast (4.5:1) on ``colour``
    shape: str  # triangle, diamond, circle, ring, square or cross
    label: str  # words for people
    definition: str  # one line for the legend


VERDICT_STYLES: tuple[VerdictStyle, ...] = (
    # Worst first: a cluster takes the style of the first of these it holds.
    VerdictStyle(Verdict.VIOLATION, "#D55E00", "#000000", "triangle", "violation",
                 "A clause binds the perpetrator and prohibits this act against this target under every reading, "
                 "and enough independent origins report it."),
    VerdictStyle(Verdict.DISPUTED, "#E69F00", "#000000", "diamond", "disputed",
                 "A violation under one party's reading of the agreement (or one contested fact), "
                 "not under another's."),
    VerdictStyle(Verdict.UNVERIFIED, "#6E6E6E", "#FFFFFF", "ring", "unverified",
                 "May be a violation, but fewer independent origins than needed report it so far."),
    VerdictStyle(NOT_ASSESSED, "#B3B3B3", "#000000", "cross", "not assessed",
                 "Not yet assessed against the agreement."),
    VerdictStyle(Verdict.NOT_A_VIOLATION, "#0072B2", "#FFFFFF", "circle", "not a violation",
                 "Within the agreement's time and territory, but no clause prohibits this act by this actor."),
    VerdictStyle(Verdict.OUT_OF_SCOPE, "#CC79A7", "#000000", "square", "out of scope",
                 "Outside the agreement's period or territory."),
)
VERDICT_STYLE: dict[str, VerdictStyle] = {s.verdict: s for s in VERDICT_STYLES}
SEVERITY: tuple[str, ...] = tuple(s.verdict for s in VERDICT_STYLES)

# Parties (the timeline, the report's daily chart): none of the verdict colours.
PARTY_COLOURS: tuple[str, ...] = ("#56B4E9", "#009E73", "#332288", "#F0E442", "#882255", "#44AA99", "#999933",
                                  "#000000")

GRADES: dict[str, str] = {
    Reliability.A: "completely reliable: a record of accuracy and no stake in the outcome",
    Reliability.B: "usually reliable",
    Reliability.C: "fairly reliable",
    Reliability.D: "not usually reliable",
    Reliability.E: "unreliable: a record of false reports, or a party to the conflict speaking for itself",
    Reliability.F: "reliability cannot be judged: too little known about the source",
}

PRECISIONS: dict[int, str] = {
    1: "exact: the town, village or site is named",
    2: "approximate: known to a district or an area around a place; drawn as a hollow circle of that size",
    3: "coarse: known only to a region or the country; drawn as a hollow circle, listed apart, never as a point",
}

# How far the real place may be from the drawn point, when the pack gives no area radius.
PRECISION_KM: dict[int, float] = {1: 0.0, 2: 25.0, 3: 100.0}


def place_precision(pack: AgreementPack, area_id: str | None, geo_precision: int | None) -> tuple[int, float]:
    """How precisely a place is known (ACLED geo_precision, a country or region area counting as
    coarse) and how far the real place may be from its point, in km (0 when exact)."""
    area = pack.areas.get(area_id or "")
    precision = geo_precision or 1
    if area is not None and area.kind in ("country", "governorate", "region"):
        precision = max(precision, 3 if area.kind == "country" else 2)
    if precision == 1:
        return 1, 0.0
    return precision, area.radius_km if area else PRECISION_KM[precision]


_OUTLINES: dict[str, str] = {  # in a 20 x 20 box
    "triangle": '<path d="M10 1.5 L19 18 L1 18 Z"/>',
    "diamond": '<path d="M10 0.5 L19.5 10 L10 19.5 L0.5 10 Z"/>',
    "circle": '<circle cx="10" cy="10" r="8.5"/>',
    "ring": '<circle cx="10" cy="10" r="7" fill="#FFFFFF" stroke-width="4"/>',
    "square": '<rect x="2" y="2" width="16" height="16"/>',
    "cross": '<path d="M3 7 H7 V3 H13 V7 H17 V13 H13 V17 H7 V13 H3 Z"/>',
}


def marker_svg(verdict: str | None, size: int = 20) -> str:
    """The verdict's shape in its colour, as an SVG element (for markers, clusters and the legend)."""
    style = verdict_style(verdict)
    outline = _OUTLINES[style.shape].replace('"#FFFFFF"', '"#FFFFFF" stroke="' + style.colour + '"')
    return (f'<svg class="shape" width="{size}" height="{size}" viewBox="0 0 20 20" aria-hidden="true" '
            f'fill="{style.colour}" stroke="#1a1a1a" stroke-width="1">{outline}</svg>')


def verdict_style(verdict: str | None) -> VerdictStyle:
    """The style of a verdict (None or an unknown word: not assessed)."""
    return VERDICT_STYLE.get(verdict or NOT_ASSESSED, VERDICT_STYLE[NOT_ASSESSED])


def worst(verdicts: list[str | None]) -> str:
    """The most serious of these verdicts (what a cluster of them is drawn as)."""
    ranks = [SEVERITY.index(verdict_style(v).verdict) for v in verdicts]
    return SEVERITY[min(ranks)] if ranks else NOT_ASSESSED


def party_colours(parties: list[str]) -> dict[str, str]:
    """A colour per party, in the order given (the same order gives the same colours everywhere)."""
    return {party: PARTY_COLOURS[n % len(PARTY_COLOURS)] for n, party in enumerate(parties)}


def is_coarse(geo_precision: int | None, area_kind: str | None = None) -> bool:
    """Whether a place is known too roughly to be drawn as a point."""
    return (geo_precision or 1) >= 2 or area_kind in ("country", "governorate", "region")


def stylesheet() -> str:
    """CSS for verdict badges and list markers, from the styles above."""
    rules = []
    for s in VERDICT_STYLES:
        name = s.verdict.lower()
        rules.append(f".badge.verdict-{name} {{ background: {s.colour}; color: {s.text}; }}")
        rules.append(f"li.verdict-{name} {{ border-color: {s.colour}; }}")
        rules.append(f".swatch.verdict-{name} {{ fill: {s.colour}; }}")
    for n, colour in enumerate(PARTY_COLOURS):
        rules.append(f".party-{n} {{ fill: {colour}; background: {colour}; }}")
    return "\n".join(rules) + "\n"


def contrast(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of two #RRGGBB colours (1 to 21)."""
    bright, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (bright + 0.05) / (dark + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
