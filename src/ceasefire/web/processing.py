"""Observers' reports go through the same pipeline as any other: extract, cluster, assess.

One background thread does it, so a burst of submissions costs one run, not one per report,
and a submission returns as soon as its report is safely stored. Reports stored but never
extracted (the last server was killed first) are processed when the next server starts."""

from __future__ import annotations

import logging
import threading

from ceasefire.extract.extractor import Extractor
from ceasefire.model import AgreementPack
from ceasefire.pipeline import assess_incidents, cluster_claims, extract, extractor_for
from ceasefire.store import Store

log = logging.getLogger("ceasefire.web")


class Processor:
    def __init__(self, store: Store, pack: AgreementPack) -> None:
        self.store, self.pack = store, pack
        self._extractor: Extractor | None = None
        self._wanted = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._run, name="ceasefire-processor", daemon=True)
        self._thread.start()
        if store.has_unextracted_reports():  # stored by a server that was killed before it processed them
            self.submitted()

    def submitted(self) -> None:
        """A report was stored: process it (and any other waiting) soon."""
        self._idle.clear()
        self._wanted.set()

    def wait_idle(self, timeout: float | None = None) -> bool:
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            try:
                self._process()
            except Exception:  # keep serving; the reports are stored and the next run retries them
                log.exception("processing observer reports failed; they stay stored and will be retried")
            if not self._wanted.is_set():
                self._idle.set()

    def _process(self) -> None:
        if self._extractor is None:
            self._extractor = extractor_for(self.store, self.pack)
        if extract(self.store, self._extractor).claims:
            cluster_claims(self.store, self.pack)
            assess_incidents(self.store, self.pack)
