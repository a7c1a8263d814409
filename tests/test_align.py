"""Alignment: exact, reworded, moved, renumbered, split, merged; keys; thresholds."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafttrack.align import SIMILAR, SIMILAR_SHORT, Group, _around_blocks, align, align_groups
from drafttrack.compare import compare
from drafttrack.patience import patience_pairs
from drafttrack.segment import EMPTY_LAYOUT, BlockMemo, relayout, segment
from tests.conftest import SHARED

BASE = [
    "The participants will establish a multinational force after a ceasefire has taken effect.",
    "The force will contribute to securing the airspace and the territorial waters of Ukraine.",
    "Contributions of troops, equipment and funding will be decided by each participant.",
    "A monitoring mechanism will report violations to all participants without delay.",
    "Support to the defence industry will be coordinated through the existing formats.",
    "This declaration takes effect upon signature.",
]


def _doc(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs) + "\n"


def _kinds(old: list[str], new: list[str]) -> list[tuple[str, bool, bool]]:
    return [(c.kind, c.moved, c.renumbered) for c in compare(_doc(old), _doc(new)).changes]


def test_identical_is_all_unchanged() -> None:
    assert _kinds(BASE, BASE) == [("unchanged", False, False)] * len(BASE)


def test_moved_clause() -> None:
    new = [BASE[0], BASE[2], BASE[3], BASE[1], BASE[4], BASE[5]]
    changes = compare(_doc(BASE), _doc(new)).changes
    moved = [c for c in changes if c.moved]
    assert [c.old[0].text for c in moved] == [BASE[1]]
    assert all(c.kind == "unchanged" for c in changes)
    assert not moved[0].editorial


def test_reworded_and_moved_clause() -> None:
    reworded = BASE[1].replace("will contribute to securing", "shall help secure")
    new = [BASE[0], BASE[2], BASE[3], BASE[4], reworded, BASE[5]]
    changes = compare(_doc(BASE), _doc(new)).changes
    [change] = [c for c in changes if c.kind == "modified"]
    assert change.moved and change.old[0].text == BASE[1]
    assert change.similarity >= SIMILAR


def test_split_and_merge() -> None:
    first, second = BASE[1].rstrip(".").split(" and the ")
    split_new = [BASE[0], f"{first}.", f"And the {second}.", *BASE[2:]]
    changes = compare(_doc(BASE), _doc(split_new)).changes
    [split] = [c for c in changes if c.kind == "split"]
    assert [c.text for c in split.new] == [f"{first}.", f"And the {second}."]
    assert split.new[0].key == split.old[0].key and split.new[1].key != split.old[0].key
    assert sum(c.kind != "unchanged" for c in changes) == 1
    merged = compare(_doc(split_new), _doc(BASE)).changes
    assert [c.kind for c in merged].count("merged") == 1
    assert sum(c.kind != "unchanged" for c in merged) == 1


LONG = (
    "For contractual purposes, you consent to receive communications from us in an electronic "
    "form via the email address you have submitted or via the service, and you agree that all "
    "agreements, notices, disclosures and other communications that we provide to you "
    "electronically satisfy any legal requirement that those communications would satisfy if "
    "they were on paper."
)


def test_split_off_short_sentence_is_a_split() -> None:
    """A long clause that loses a short sentence stays 0.9 similar to its long part; the
    split is still told from a rewording plus an added clause (both ways: split, merged)."""
    tail = "This section does not affect your rights."
    old = [BASE[0], f"{LONG} {tail}", *BASE[2:]]
    new = [BASE[0], LONG, tail, *BASE[2:]]
    changes = compare(_doc(old), _doc(new)).changes
    assert [c.kind for c in changes if c.kind != "unchanged"] == ["split"]
    [split] = [c for c in changes if c.kind == "split"]
    assert [c.text for c in split.new] == [LONG, tail]
    merged = compare(_doc(new), _doc(old)).changes
    assert [c.kind for c in merged if c.kind != "unchanged"] == ["merged"]


def test_new_clause_beside_a_reworded_one_is_no_split() -> None:
    """A clause added next to a reworded clause brings words of its own: not a split."""
    reworded = LONG.replace("legal requirement", "statutory requirement")
    added = "Quokkas and lighthouses are discussed in a new paragraph of its own."
    old = [BASE[0], LONG, *BASE[2:]]
    new = [BASE[0], reworded, added, *BASE[2:]]
    kinds = [c.kind for c in compare(_doc(old), _doc(new)).changes if c.kind != "unchanged"]
    assert kinds == ["modified", "added"]


def test_renumbered_list_keeps_keys() -> None:
    old = "1. " + BASE[0] + "\n2. " + BASE[1] + "\n3. " + BASE[2] + "\n"
    new = "1. " + BASE[0] + "\n2. " + BASE[2] + "\n"
    changes = align(segment(old), segment(new))
    assert [(c.kind, c.renumbered) for c in changes] == [
        ("unchanged", False), ("removed", False), ("unchanged", True),
    ]  # fmt: skip
    assert changes[2].new[0].key == changes[2].old[0].key
    assert changes[2].new[0].number == "2"


def test_short_clauses_are_not_paired_by_chance() -> None:
    old = [*BASE[:5], "This declaration takes effect upon signature."]
    new = [*BASE[:5], "This declaration is open for signature."]
    kinds = [c.kind for c in compare(_doc(old), _doc(new)).changes]
    assert kinds[-2:] == ["removed", "added"]
    assert SIMILAR_SHORT > SIMILAR


def test_short_clause_cut_in_place_is_reworded() -> None:
    old = [*BASE[:5], "A mechanism will be established with the United States."]
    new = [*BASE[:5], "A mechanism will be established."]
    assert [c.kind for c in compare(_doc(old), _doc(new)).changes][-1] == "modified"


def test_unrelated_clauses_are_not_paired() -> None:
    new = [
        "Cats sleep for most of the day and hunt at night in the garden.",
        "Rivers carry sediment from the mountains down to the sea over centuries.",
    ]
    kinds = [c.kind for c in compare(_doc(BASE), _doc(new)).changes]
    assert sorted(kinds) == sorted(["removed"] * len(BASE) + ["added"] * 2)


def test_added_clause_gets_a_key_unused_by_old() -> None:
    new = ["A new first clause about something entirely different from the rest.", *BASE]
    changes = align(segment(_doc(BASE)), segment(_doc(new)))
    keys = [c.new[0].key for c in changes]
    assert len(set(keys)) == len(keys)
    old_keys = {c.key for c in segment(_doc(BASE))}
    assert changes[0].kind == "added" and changes[0].new[0].key not in old_keys


def test_editorial_changes() -> None:
    new = [
        BASE[0].replace("multinational", "Multinational"),
        BASE[1].replace("Ukraine.", "Ukraine;"),
        BASE[2],
        "A monitoring mechanism will report violations to **all** participants without delay.",
        BASE[4].replace("the existing", "existing"),
        BASE[5],
    ]
    changes = compare(_doc(BASE), _doc(new)).changes
    assert [c.editorial for c in changes] == [True, True, False, True, False, False]
    assert [c.kind for c in changes] == ["modified"] * 2 + ["unchanged"] + ["modified"] * 2 + [
        "unchanged"
    ]


def test_contributor_covenant_rewrite_invents_no_pairings() -> None:
    folder = SHARED / "corpora" / "contributor-covenant" / "en"
    if not folder.is_dir():
        pytest.skip("shared/corpora is not present beside the repository")
    old = (folder / "005.md").read_text("utf-8")  # release 1.4
    new = (folder / "006.md").read_text("utf-8")  # release 2.0, a near-complete rewrite
    changes = compare(old, new).changes
    for c in changes:
        if c.kind in ("modified", "split", "merged") and not c.editorial:
            assert c.similarity >= SIMILAR
            shared = set(" ".join(x.text for x in c.old).lower().split())
            shared &= set(" ".join(x.text for x in c.new).lower().split())
            assert len(shared) >= 3, (c.old[0].text, c.new[0].text)
    new_only = ("Enforcement Guidelines", "Temporary Ban", "Permanent Ban", "Correction")
    for c in changes:
        if c.new and any(c.new[0].text.startswith(t) for t in new_only):
            assert c.kind == "added", c.new[0].text


POOL = [*BASE, "Die Koordinierungsgruppe tagt in Paris.", "Стаття 3. Набрання чинності.", "Short."]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(POOL), max_size=12),
    st.lists(st.sampled_from(POOL), max_size=12),
)
def test_every_clause_accounted_for_once_in_order(old: list[str], new: list[str]) -> None:
    a, b = segment(_doc(old)), segment(_doc(new))
    changes = align(a, b)
    olds = [c.key for ch in changes for c in ch.old]
    news = [c.lines for ch in changes for c in ch.new]
    assert sorted(olds) == sorted(c.key for c in a)
    assert news == [c.lines for c in b]
    keys = [c.key for ch in changes for c in ch.new]
    assert len(set(keys)) == len(keys)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=40), st.lists(st.integers(0, 6), max_size=40))
def test_patience_pairs_are_an_increasing_common_subsequence(a: list[int], b: list[int]) -> None:
    pairs = patience_pairs(a, b)
    assert all(a[i] == b[j] for i, j in pairs)
    assert all(i1 < i2 and j1 < j2 for (i1, j1), (i2, j2) in zip(pairs, pairs[1:], strict=False))


def test_repeated_passages_match_their_own_copy() -> None:
    book = [f"s{k}" for k in range(50)]
    old = ["h1", *book, "h2", *book, "h3", *book]
    new = list(old)
    del new[3:30]  # a long cut in the first copy
    pairs = patience_pairs(old, new)
    assert len(pairs) == len(new)
    assert (old.index("h2"), new.index("h2")) in pairs


def _expanded(groups: list[Group]) -> list[Group]:
    """Block groups as the clause-by-clause groups they stand for."""
    out: list[Group] = []
    for kind, olds, news, moved, similarity in groups:
        if kind == "block":
            out += [("unchanged", (olds[0] + k,), (news[0] + k,), False, 1.0)
                    for k in range(int(similarity))]  # fmt: skip
        else:
            out.append((kind, olds, news, moved, similarity))
    return out


MOVED_ACROSS = [
    "bundestag-gesetze/gg/005.md",
    "github-site-policy/dmca-takedown-policy/031.md",
    "github-site-policy-drafts/tos-july-2017-draft-pr1/007.md",
    "legalize-fr/code-pensions-retraite-marins/052.md",
]


@pytest.mark.skipif(not (SHARED / "corpora").is_dir(), reason="shared corpora not present")
@pytest.mark.parametrize("name", MOVED_ACROSS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_section_moved_across_blocks_needs_no_whole_alignment(name: str, seed: int) -> None:
    """A section moved across a block of kept clauses (and clauses reworded on the way) is
    aligned around the blocks, with the result of aligning clause by clause."""
    text = (SHARED / "corpora" / name).read_text("utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)  # front matter: segmented whole
    chunks = text.split("\n\n")
    rng = random.Random(seed)
    size = max(2, len(chunks) // 20)
    start = rng.randrange(len(chunks) // 2, len(chunks) - size)
    section = chunks[start : start + size]
    rest = chunks[:start] + chunks[start + size :]
    at = rng.randrange(1, len(rest) // 4)
    edited = rest[:at] + section + rest[at:]
    reworded = rng.randrange(len(edited))
    edited[reworded] = edited[reworded].replace(" the ", " a ", 1).replace(" die ", " eine ", 1)
    memo = BlockMemo()
    shaped = relayout(EMPTY_LAYOUT, text, memo)
    assert shaped is not None
    again = relayout(shaped[0], "\n\n".join(edited), memo)
    assert again is not None
    (layout, blocks), old = again, shaped[0].clauses
    assert len(blocks) >= 2
    groups = align_groups(old, layout.clauses, blocks)
    assert any(moved for *_, moved, _s in groups)
    assert any(kind == "block" for kind, *_ in groups)  # the blocks were kept whole
    singles = [(i + k, j + k, 1) for i, j, n in blocks for k in range(n)]
    assert _expanded(groups) == _around_blocks(old, layout.clauses, singles, whole=True)
