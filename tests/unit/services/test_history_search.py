"""The trigram (FTS5) index of the history's text filter: same answers as the scan,
and created for an old history at open."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from app.services.history_store import HistoryFilter, HistoryStore
from tests.unit.services.test_history_store import make_attempt


def test_text_filter_through_the_trigram_index_agrees_with_the_scan(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    try:
        assert store._search_index  # this SQLite has FTS5 with the trigram tokenizer
        store.append_many(
            make_attempt(i, username=f"User{i:04d}_x%@Example.com", profile=f"P{i % 3}",
                         kind=("delivered", "limit", "notfound")[i % 3])
            for i in range(600)
        )
        # An upsert (PENDING -> final) keeps the index in step: the old text is gone.
        first = store.page(HistoryFilter(text="user0001"), 0, 10)[0]
        store.append(replace(first, username="renamed-one"))
        for needle in ("user0001", "USER00", "0_x%", "%", "_", "ex", "limit", "p1", "zzz",
                       "renamed", "user0001_x%@example.com"):
            for profile in (None, "P1"):
                flt = HistoryFilter(text=needle, profile=profile)
                indexed = store._use_search_index(flt)
                store._search_index = False  # the scan, for comparison
                want = (store.count(flt), [a.attempt_id for a in store.page(flt, 0, 50)])
                store._search_index = True
                store._search_plan.clear()
                got = (store.count(flt), [a.attempt_id for a in store.page(flt, 0, 50)])
                assert got == want, (needle, profile, indexed)
        assert store._use_search_index(HistoryFilter(text="user0001"))
        assert not store._use_search_index(HistoryFilter(text="ex"))  # too short for it
        assert not store._use_search_index(HistoryFilter(text="0_x%"))  # wildcards
    finally:
        store.close()


def test_an_old_history_gets_the_trigram_index_on_open(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    with HistoryStore(db) as store:
        store.append_many(make_attempt(i) for i in range(50))
    raw = sqlite3.connect(db)
    for name in ("attempts_search_ai", "attempts_search_ad", "attempts_search_au"):
        raw.execute(f"DROP TRIGGER {name}")
    raw.execute("DROP TABLE attempts_search")
    raw.commit()
    raw.close()
    with HistoryStore(db) as store:
        assert store._search_index
        flt = HistoryFilter(text=make_attempt(7).username[:12])
        assert store._use_search_index(flt) and store.count(flt) >= 1
