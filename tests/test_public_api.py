import ceasefire


def test_public_names_are_pinned() -> None:
    assert set(ceasefire.__all__) == {
        "AgreementPack", "CeasefireError", "IngestResult", "IntakeError", "NotFound", "PackError",
        "PackNotFound", "Report", "ReportDefaults", "Store", "StoreError", "StoredReport", "check_pack",
        "ingest", "load_pack"}
    for name in ceasefire.__all__:
        assert getattr(ceasefire, name) is not None


def test_every_error_says_what_to_do_next() -> None:
    from ceasefire.errors import PackError

    error = PackError("agreement.yaml", line=12, field="clauses[2].rule.actors[0]",
                      problem="names unknown actor 'JFS'", fix="add it to actors.yaml or fix the id")
    assert str(error) == ("agreement.yaml:12: clauses[2].rule.actors[0] names unknown actor 'JFS'. "
                          "Add it to actors.yaml or fix the id.")
