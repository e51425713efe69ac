"""Live monitoring: subscriptions to an incident query and the alerts sent to them (webhook,
e-mail, Atom), and scheduled reports.

    subscriptions.py   subscribe: a query (area, party, clause, verdict, minimum confidence) and where to send
    alerts.py          changes found from stored state become alerts, at most once per change
    deliver.py         signed webhooks with retries, one e-mail per batch over SMTP
    atom.py            an Atom feed per subscription, and the public feed of published verdicts
    schedules.py       daily reports made, signed and published on time; missed runs caught up once
"""
