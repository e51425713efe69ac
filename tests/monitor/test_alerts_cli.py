"""The commands as a user types them: subscribe, subscriptions, alerts send, schedule add|list|run-due."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from ceasefire.cli import app
from tests.monitor.alerting import Monitored, Receiver
from tests.verify.claims import HARASTA

runner = CliRunner()


def test_subscribe_then_alerts_send_posts_and_the_list_shows_the_delivery(monitored: Monitored,
                                                                         receiver: Receiver) -> None:
    db = str(monitored.path)
    made = runner.invoke(app, ["subscribe", "harasta desk", "--area", "harasta", "--unpublished", "--webhook",
                               receiver.url, "--db", db], env={"CEASEFIRE_BASE_URL": "https://m.example.org"})
    assert made.exit_code == 0, made.output
    secret = re.search(r"signs X-Ceasefire-Signature\): (\S+)", made.output)
    (subscription,) = monitored.store.subscriptions()
    assert made.output.splitlines()[0] == "Subscription #1 'harasta desk': area=harasta, unpublished too."
    assert secret and secret[1] == subscription.webhook_secret
    assert f"Atom feed: https://m.example.org/feeds/subscriptions/{subscription.feed_token}.atom" in made.output
    monitored.report("c", "sana", day="2017-01-20", place=HARASTA)
    sent = runner.invoke(app, ["alerts", "send", "--db", db])
    assert sent.output == "1 change(s) found, 1 alert(s) made; 1 delivery(ies) arrived, 0 failed.\n"
    listed = json.loads(runner.invoke(app, ["subscriptions", "--db", db, "--format", "json"]).output)
    assert listed == [{"id": 1, "name": "harasta desk", "owner": None, "filters": "area=harasta, unpublished too",
                       "webhook": receiver.url, "email": None, "alerts": 1,
                       "last_delivery": "webhook delivered after 1 attempt(s): HTTP 204"}]
    assert runner.invoke(app, ["unsubscribe", "1", "--db", db]).output == "Subscription #1 removed.\n"


def test_subscribe_refuses_an_unknown_area_naming_the_nearest(monitored: Monitored) -> None:
    refused = runner.invoke(app, ["subscribe", "x", "--area", "Harastaa", "--db", str(monitored.path)])
    assert refused.exit_code == 1 and "Unknown area 'Harastaa'. Did you mean 'harasta'" in str(refused.exception)


def test_schedule_add_list_and_run_due(monitored: Monitored, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = str(monitored.path)
    added = runner.invoke(app, ["schedule", "add", "daily-report", "--at", "06:00", "--tz", "Europe/Kyiv",
                                "--format", "html", "--out", str(tmp_path / "reports"), "--db", db])
    assert added.exit_code == 0, added.output
    assert added.output.startswith("Schedule #1: daily-report at 06:00 Europe/Kyiv as html, into ")
    (row,) = json.loads(runner.invoke(app, ["schedule", "list", "--db", db, "--format", "json"]).output)
    assert (row["kind"], row["at"], row["tz"], row["publish"], row["last_run"]) == (
        "daily-report", "06:00", "Europe/Kyiv", False, None)
    assert row["next_run"].endswith(("T04:00:00Z", "T03:00:00Z"))  # 06:00 in Kyiv, winter or summer time
    assert runner.invoke(app, ["schedule", "run-due", "--db", db]).output == "Nothing due.\n"
