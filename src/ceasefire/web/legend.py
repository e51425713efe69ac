"""The verdict palette as the browser gets it: a stylesheet for badges, shapes for markers, a legend."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from markupsafe import Markup

from ceasefire.publish.palette import GRADES, PARTY_COLOURS, PRECISIONS, VERDICT_STYLES, marker_svg, stylesheet

router = APIRouter(include_in_schema=False)


@router.get("/palette.css")
def palette_css() -> Response:
    return Response(stylesheet(), media_type="text/css", headers={"Cache-Control": "public, max-age=300"})


def legend() -> dict[str, Any]:
    """What the legend partial and the map's script need: each verdict's shape, colour and definition,
    the source grades and the place precisions."""
    verdicts = [{"verdict": str(s.verdict), "label": s.label, "definition": s.definition, "colour": s.colour,
                 "svg": marker_svg(s.verdict)} for s in VERDICT_STYLES]
    return {"verdicts": verdicts, "grades": GRADES, "precisions": PRECISIONS, "party_colours": list(PARTY_COLOURS),
            "shapes": {v["verdict"]: Markup(v["svg"]) for v in verdicts}}
