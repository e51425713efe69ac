"""Live monitoring: the sources `ceasefire watch` follows (sources.py), fetching them politely
(fetch.py) and polling them on their schedules (watch.py), capturing each new item as evidence
and running new reports through the pipeline."""
