"""Acceptance on the demo: Earlier draft → Summit text, and the German declaration."""

from __future__ import annotations

import json

from drafttrack.compare import compare, comparison_json
from drafttrack.model import Change
from tests.conftest import DEMO


def _read(doc: str, name: str) -> str:
    return (DEMO / doc / name).read_text("utf-8")


def _changes() -> list[Change]:
    old = _read("paris-declaration", "earlier-draft.md")
    new = _read("paris-declaration", "summit-text.md")
    return compare(old, new).changes


def test_united_states_article_removed() -> None:
    removed = [c.old[0] for c in _changes() if c.kind == "removed"]
    us_clauses = [c for c in removed if c.kind == "list_item"]
    assert [c.path[-1] for c in us_clauses] == ["Article 3 — Role of the United States"] * 2
    assert any("support the force in case of attack" in c.text for c in us_clauses)
    assert "Article 3 — Role of the United States" in [c.text for c in removed]


def test_coordination_article_added() -> None:
    added = [c.new[0] for c in _changes() if c.kind == "added"]
    assert [c.text for c in added if c.kind == "heading"] == ["Article 4 — Coordination"]
    items = [c for c in added if c.kind == "list_item"]
    assert len(items) == 2
    assert all(c.path[-1] == "Article 4 — Coordination" for c in items)


def test_ceasefire_monitoring_renumbered_and_reworded() -> None:
    def ceasefire(change: Change) -> bool:
        clause = change.old[0] if change.old else None
        return clause is not None and any(
            t.endswith("Ceasefire monitoring") for t in (clause.text, *clause.path[-1:])
        )

    changes = [c for c in _changes() if ceasefire(c)]
    assert len(changes) == 3
    heading = next(c for c in changes if c.old[0].kind == "heading")
    assert (heading.kind, heading.renumbered, heading.editorial) == ("unchanged", True, True)
    assert heading.new[0].number == "Article 3"
    reworded = next(c for c in changes if c.kind == "modified")
    assert reworded.renumbered and not reworded.editorial
    assert [w.text for w in reworded.words if w.op == "delete"] == [
        " with the participation of the United States"
    ]
    assert reworded.new[0].key == reworded.old[0].key
    assert all(c.renumbered for c in changes)


def test_germany_is_a_word_level_insertion() -> None:
    change = next(c for c in _changes() if c.new and "Germany" in c.new[0].text)
    assert change.kind == "modified" and not change.editorial
    assert [(w.op, w.text) for w in change.words if w.op != "equal"] == [
        ("insert", ", such as Germany,")
    ]


def test_nothing_else_changed_and_order_is_new_reading_order() -> None:
    changes = _changes()
    assert not any(c.moved or c.kind in ("split", "merged") for c in changes)
    new_keys = [c.new[0].key for c in changes if c.new]
    assert len(set(new_keys)) == len(new_keys)
    new_lines = [c.new[0].lines[0] for c in changes if c.new]
    assert new_lines == sorted(new_lines)
    kinds = [c.kind for c in changes]
    assert kinds.count("modified") == 3 and kinds.count("removed") == 3
    assert kinds.count("added") == 3
    first_removed = kinds.index("removed")
    assert changes[first_removed - 1].new[0].text.startswith("Participants that do not deploy")


def test_json_contract_shape() -> None:
    old = _read("paris-declaration", "earlier-draft.md")
    new = _read("paris-declaration", "summit-text.md")
    version = {"id": "v", "label": "L", "position": 1, "source": {}, "reported_on": None,
               "drafted_on": None}  # fmt: skip
    data = comparison_json("paris-declaration", version, version, compare(old, new))
    assert set(data) == {"document", "old", "new", "summary", "changes"}
    assert set(data["summary"]) == {
        "unchanged", "modified", "added", "removed", "split", "merged", "moved", "renumbered",
        "editorial",
    }  # fmt: skip
    for change in data["changes"]:
        assert set(change) == {
            "kind", "moved", "renumbered", "editorial", "editorial_kinds", "old", "new",
            "similarity", "words",
        }  # fmt: skip
        assert bool(change["editorial_kinds"]) == change["editorial"]
        for clause in change["old"] + change["new"]:
            assert set(clause) == {"key", "number", "path", "text"}
    json.dumps(data, ensure_ascii=False).encode("utf-8")


def test_german_declaration() -> None:
    old = _read("koordinierungsgruppe", "entwurf.md")
    new = _read("koordinierungsgruppe", "unterzeichnet.md")
    comparison = compare(old, new)
    modified = [c for c in comparison.changes if c.kind == "modified"]
    assert any(
        w.op == "insert" and "„Koalition der Willigen“" in w.text for c in modified for w in c.words
    )
    assert comparison.summary()["unchanged"] >= 6
