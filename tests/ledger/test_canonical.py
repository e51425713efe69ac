import hashlib

import rfc8785

from ceasefire.ledger import GENESIS, canonical, record_hash


def test_record_hash_is_sha256_of_rfc8785_canonical_json() -> None:
    fields = {"seq": 12, "kind": "report", "key": 'Ain al-Fijeh "spring" ‘Ayn al Fījah\n\u2028', "object": "ab" * 32,
              "prev": GENESIS, "at": "2017-01-05T08:00:00+00:00"}
    expected = hashlib.sha256(rfc8785.dumps(fields)).hexdigest()
    assert record_hash(12, fields["kind"], fields["key"], fields["object"], GENESIS, fields["at"]) == expected


def test_canonical_json_sorts_keys_and_drops_whitespace() -> None:
    assert canonical({"b": [1, 2.5], "a": "x"}) == b'{"a":"x","b":[1,2.5]}'
