"""Signed observer submissions: verified on intake; a bad signature is refused and stored nowhere."""

from __future__ import annotations

import io
import json
from pathlib import Path

from ceasefire.intake.observers import signed_line
from ceasefire.ledger.keys import load_private, new_key
from ceasefire.model import ReportFormat
from ceasefire.pipeline import ingest
from ceasefire.store import Store

ITEM = {"observer": "team-7", "title": "Shelling seen from the ridge", "published": "2017-01-08T15:00:00+02:00",
        "text": "Team 7 saw about 20 shells land on the western edge of Basimah between 14:10 and 14:40."}


def test_signed_submission_is_stored_as_the_observers_and_a_forged_one_nowhere(store: Store, tmp_path: Path) -> None:
    private, public = new_key("team-7", tmp_path)
    store.add_observer("team-7", public.read_text())
    good = signed_line(ITEM, load_private(private))
    forged = json.loads(signed_line(ITEM, load_private(private)))
    forged["text"] = forged["text"].replace("20 shells", "200 shells")
    stranger = signed_line(ITEM | {"observer": "team-9"}, load_private(private))
    unsigned = json.dumps(ITEM)
    stdin = io.BytesIO("\n".join([good, json.dumps(forged), stranger, unsigned]).encode() + b"\n")
    result = ingest(store, ["-"], stdin=stdin)
    (report,) = store.reports()
    assert report.format is ReportFormat.OBSERVER and report.source == "team-7" and len(result.new) == 1
    reasons = {e.line: e.reason for e in result.rejected}
    assert "does not verify with observer 'team-7'" in reasons[2] and "refused, nothing stored" in reasons[2]
    assert "observer 'team-9' is not registered" in reasons[3]
    assert "needs both 'observer' and 'signature'" in reasons[4]
