"""Live monitoring: the sources `ceasefire watch` follows, subscriptions to an incident query and
the alerts sent to them, and scheduled reports.

    sources.py         the sources `watch` follows
    fetch.py           fetching them politely (conditional GET, retries, robots.txt, size cap)
    watch.py           polling them on their schedules, capturing each new item as evidence and running
                       new reports through the pipeline
    subscriptions.py   subscribe: a query (area, party, clause, verdict, minimum confidence) and where to send
    alerts.py          changes found from stored state become alerts, at most once per change
    deliver.py         signed webhooks with retries, one e-mail per batch over SMTP
    atom.py            an Atom feed per subscription, and the public feed of published verdicts
    schedules.py       daily reports made, signed and published on time; missed runs caught up once
"""
