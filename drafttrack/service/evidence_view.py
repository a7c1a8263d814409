"""Reports read back as evidence: each sentence linked to clauses (the ``report show --json``
contract), the reports of a document with their relay chains, the claims no stored version
holds, and, per clause lineage, the reports that vouch for it.

Links are derived, never stored: they are computed against the versions stored now (a draft
that surfaces later turns an unmatched claim into a link) and kept per document state in the
caller's memo. A report known only through the reports that relay it (no text held) shows the
links of those reports as ``inherited``, marked ``through_translation`` when the relay is in
another language or machine-translated.
"""

from __future__ import annotations

from typing import Any

from drafttrack.evidence.link import Linked, link_report
from drafttrack.service.lineages import lineage_keys_of, segmented, with_keys
from drafttrack.service.memo import NO_MEMO, Memo
from drafttrack.service.quote import quote_attributor
from repo_store import Store, Version
from repo_store.reports import find_report, list_reports, read_report_text, relay_chain


def _state(store: Store, doc: str, scope: str) -> str | None:
    return store.head() if scope == "store" else store.document_state(doc)


def linked_sentences(
    store: Store, doc: str, report: dict[str, Any], memo: Memo = NO_MEMO
) -> list[Linked]:
    """The report's sentences linked to the clauses of DOC (or of the store, ``--any-doc``)."""
    scope = str(report.get("scope") or "document")
    key = ("evidence", doc, _state(store, doc, scope), report["id"])

    def make() -> list[Linked]:
        text = read_report_text(store, doc, report["id"])
        if not text.strip():
            return []
        attributor = quote_attributor(store, None if scope == "store" else doc, memo)
        labels: dict[str, list[str]] = {}

        def versions_of(slug: str) -> list[str]:
            if slug not in labels:
                labels[slug] = [v.label for v in store.versions(slug)]
            return labels[slug]

        return link_report(text, report.get("language"), attributor, versions_of)

    return memo.memo(key, make)


def report_meta(report: dict[str, Any]) -> dict[str, Any]:
    """The contract's ``report`` object (with note, format, original and added_at)."""
    fields = ("id", "outlet", "url", "published_on", "language", "machine_translated",
              "translator", "relays", "note", "format", "original", "added_at",
              "scope")  # fmt: skip
    out = {k: report.get(k) for k in fields}
    out["machine_translated"] = bool(out["machine_translated"])
    out["relays"] = list(out["relays"] or [])
    return out


def chain_json(reports: list[dict[str, Any]], report: dict[str, Any]) -> list[dict[str, Any]]:
    """The relay chain, this report first."""
    return [
        {"id": r["id"], "outlet": r.get("outlet"), "language": r.get("language"),
         "machine_translated": bool(r.get("machine_translated")),
         "translator": r.get("translator"), "published_on": r.get("published_on"),
         "url": r.get("url")}
        for r in relay_chain(reports, report)
    ]  # fmt: skip


def chain_text(chain: list[dict[str, Any]]) -> str:
    """ "Politico → RBK-Ukraine (uk) → Ukraine-Nachrichten (de, machine translation by DeepL)",
    from the first source to this report."""
    parts = []
    for i, step in enumerate(reversed(chain)):
        bits = [] if i == 0 else [str(step.get("language") or "?")]
        if step.get("machine_translated"):
            by = step.get("translator")
            bits.append(f"machine translation by {by}" if by else "machine translation")
        name = str(step.get("outlet") or step["id"])
        parts.append(f"{name} ({', '.join(bits)})" if bits else name)
    return " → ".join(parts)


def _relayers(reports: list[dict[str, Any]], report_id: str) -> list[dict[str, Any]]:
    """Reports relaying ``report_id``, directly or through others (nearest first)."""
    out, frontier, seen = [], [report_id], {report_id}
    while frontier:
        nxt = []
        for r in reports:
            if r["id"] not in seen and any(x in frontier for x in r.get("relays") or []):
                out.append(r)
                seen.add(r["id"])
                nxt.append(r["id"])
        frontier = nxt
    return out


def inherited_links(
    store: Store, doc: str, reports: list[dict[str, Any]], report: dict[str, Any], memo: Memo
) -> list[dict[str, Any]]:
    """For a report whose text is not held: the links of the reports relaying it."""
    if report.get("format") != "none":
        return []
    out = []
    for relay in _relayers(reports, report["id"]):
        translated = bool(relay.get("machine_translated")) or (
            relay.get("language") != report.get("language")
        )
        for linked in linked_sentences(store, doc, relay, memo):
            for link in linked.links:
                if link.kind == "mentions":
                    continue
                out.append({**link.to_json(), "from": relay["id"], "outlet": relay.get("outlet"),
                            "sentence": linked.sentence.text,
                            "through_translation": translated})  # fmt: skip
    return out


def report_json(store: Store, doc: str, ref: str, memo: Memo = NO_MEMO) -> dict[str, Any]:
    """The ``report show DOC REPORT --json`` object."""
    reports = list_reports(store, doc)
    report = find_report(reports, ref, doc)
    chain = chain_json(reports, report)
    sentences = [s.to_json() for s in linked_sentences(store, doc, report, memo)]
    return {
        "document": doc,
        "report": report_meta(report),
        "chain": chain,
        "chain_text": chain_text(chain),
        "sentences": sentences,
        "inherited": inherited_links(store, doc, reports, report, memo),
        "text": read_report_text(store, doc, report["id"]),
    }


def reports_json(store: Store, doc: str, memo: Memo = NO_MEMO) -> dict[str, Any]:
    """``report list DOC --json``: each report with its chain and counts, and every claim of
    wording that no stored version holds."""
    reports = list_reports(store, doc)
    out, unmatched = [], []
    for report in reports:
        linked = linked_sentences(store, doc, report, memo)
        chain = chain_json(reports, report)
        claims = [s for s in linked if s.claim_unmatched]
        out.append({
            **report_meta(report), "chain": chain, "chain_text": chain_text(chain),
            "sentences": len(linked),
            "linked": sum(any(k.kind != "mentions" for k in s.links) for s in linked),
            "claims_unmatched": len(claims),
        })  # fmt: skip
        for s in claims:
            unmatched.append({"report": report["id"], "outlet": report.get("outlet"),
                              "published_on": report.get("published_on"),
                              "chain_text": chain_text(chain), "index": s.sentence.index,
                              "text": s.sentence.text})  # fmt: skip
    return {"document": doc, "reports": out, "unmatched_claims": unmatched}


def vouching(store: Store, doc: str, memo: Memo = NO_MEMO) -> dict[str, list[dict[str, Any]]]:
    """Per clause lineage key of DOC: the report sentences that quote or paraphrase it."""
    reports = list_reports(store, doc)
    out: dict[str, list[dict[str, Any]]] = {}
    for report in reports:
        chain = chain_json(reports, report)
        for linked in linked_sentences(store, doc, report, memo):
            for link in linked.links:
                if link.kind == "mentions" or link.match.entry.document != doc:
                    continue
                out.setdefault(link.match.entry.key, []).append({
                    "report": report["id"], "outlet": report.get("outlet"),
                    "published_on": report.get("published_on"), "kind": link.kind,
                    "language": report.get("language"),
                    "score": round(link.match.score, 4), "sentence": linked.sentence.text,
                    "index": linked.sentence.index, "versions": list(link.match.entry.versions),
                    "chain": chain, "chain_text": chain_text(chain),
                })  # fmt: skip
    return out


def document_reports(store: Store, doc: str, memo: Memo = NO_MEMO) -> dict[str, Any] | None:
    """``reports_json`` for a document page; None (nothing linked, no model loaded) when the
    document has no report."""
    return reports_json(store, doc, memo) if list_reports(store, doc) else None


def clause_evidence(
    store: Store, doc: str, label: str, memo: Memo = NO_MEMO
) -> dict[str, list[dict[str, Any]]]:
    """``vouching`` for the clauses of one version: the report sentences whose wording that
    version holds, per lineage key (empty, and nothing linked, without reports)."""
    if not list_reports(store, doc):
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    for key, items in vouching(store, doc, memo).items():
        held = [e for e in items if label in e["versions"]]
        if held:
            out[key] = held
    return out


def _held_by(
    store: Store,
    version: Version,
    vouched: dict[str, list[dict[str, Any]]],
    other: str,
    memo: Memo,
) -> dict[str, list[dict[str, Any]]]:
    """Per clause key of VERSION as ``compare_versions(keyed=False)`` gives it (segmentation
    keys): the vouching sentences whose wording VERSION holds, ``also`` when OTHER does too."""
    clauses = segmented(store, version, memo)
    keyed = with_keys(clauses, lineage_keys_of(store, version.document, memo).get(version.id))
    out: dict[str, list[dict[str, Any]]] = {}
    for clause, lineage in zip(clauses, keyed, strict=True):
        held = [{**e, "also": other in e["versions"]} for e in vouched.get(lineage.key, ())
                if version.label in e["versions"]]  # fmt: skip
        if held:
            out[clause.key] = held
    return out


def comparison_evidence(
    store: Store, old: Version, new: Version, memo: Memo = NO_MEMO
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """For the comparison of OLD and NEW: per side (``old``, ``new``), per clause key of that
    side (the unkeyed comparison's keys), the report sentences of ``vouching`` whose wording
    that version holds, each with ``also``: the other version holds it too. Empty, and nothing
    linked, when the document has no report or no sentence vouches for a clause."""
    doc = old.document
    if not list_reports(store, doc):
        return {}
    vouched = vouching(store, doc, memo)
    if not vouched:
        return {}
    return {"old": _held_by(store, old, vouched, new.label, memo),
            "new": _held_by(store, new, vouched, old.label, memo)}  # fmt: skip


def change_evidence(
    store: Store, old: Version, new: Version, changes: list[dict[str, Any]], memo: Memo = NO_MEMO
) -> dict[int, list[dict[str, Any]]]:
    """Per index of ``changes`` (the diff contract's, unkeyed): the report sentences vouching
    for the clause's old or new wording, once each, with ``side``: ``old``, ``new`` or ``both``
    (plain data for the exports). Empty without reports."""
    sides = comparison_evidence(store, old, new, memo)
    out: dict[int, list[dict[str, Any]]] = {}
    for i, change in enumerate(changes if sides else ()):
        found: dict[tuple[str, int], dict[str, Any]] = {}
        for side in ("old", "new"):
            for clause in change[side]:
                for e in sides[side].get(clause["key"], ()):
                    ident = (str(e["report"]), int(e["index"]))
                    if ident in found:
                        if found[ident]["side"] != side:
                            found[ident]["side"] = "both"
                        continue
                    found[ident] = {k: e.get(k) for k in _EXPORTED} | {
                        "side": "both" if e["also"] else side
                    }
        if found:
            out[i] = list(found.values())
    return out


_EXPORTED = ("report", "outlet", "published_on", "kind", "language", "sentence", "index",
             "chain_text", "versions")  # fmt: skip
