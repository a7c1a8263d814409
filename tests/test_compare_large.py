"""A long comparison opens as changes only (a notice says how many unchanged clauses are hidden,
with a link to the whole, ``?all=1``); a comparison below the size stays whole.

Real stores (``drafttrack add``), the real viewer through Flask's test client. The texts are
German, Ukrainian and French clauses with „…“ and «…» quotes, bold and links.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from drafttrack.compare import compare_clauses
from drafttrack.render_rows import Gap, build_rows, changes_only, fill_segments
from drafttrack.segment import segment
from tests.conftest import run_cli
from tests.web_support import make_app, text
from web.views.compare import WHOLE_MAX_ROWS

DOC = "vertrag"
PHRASES = [
    "Die Behörde prüft den „Antrag {i}“ binnen {i} Tagen und teilt das Ergebnis schriftlich mit.",
    "Орган розглядає «заяву {i}» протягом {i} днів і письмово повідомляє заявника.",
    "L’autorité examine la «demande {i}» dans un délai de {i} jours ouvrables.",
]
REWORDED = 9
"""The clause reworded in the new version (a German one: ``PHRASES[9 % 3]``)."""


def clause(i: int) -> str:
    return f"{i}. " + PHRASES[i % 3].format(i=i)


def pair_texts(n: int) -> tuple[str, str]:
    """An old text of ``n`` numbered clauses and a new one with a clause reworded (its new
    words in bold and a link), one removed, one added and one moved to the end."""
    old = [clause(i) for i in range(1, n + 1)]
    new = list(old)
    new[REWORDED - 1] = (
        f"{REWORDED}. Die Behörde prüft den „Antrag {REWORDED}“ **unverzüglich** und teilt das "
        "Ergebnis [elektronisch](https://example.org/bescheid) mit."
    )
    removed = new.pop(n // 2)
    new.insert(n // 3, "Nouvelle clause : la «commission» publie son avis en ligne.")
    moved = new.pop(n // 4)
    new.append(moved)
    assert removed not in new
    return "\n\n".join(old) + "\n", "\n\n".join(new) + "\n"


def make_store(folder: Path, n: int) -> Path:
    store = folder / "store"
    assert run_cli("--store", store, "init").code == 0
    for label, body in zip(("Entwurf", "Fassung"), pair_texts(n), strict=True):
        path = folder / f"{label}.md"
        path.write_text(body, "utf-8")
        result = run_cli("--store", store, "add", DOC, path, "--label", label)
        assert result.code == 0, result.err
    return store


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    store = make_store(tmp_path_factory.mktemp("large"), WHOLE_MAX_ROWS + 150)
    return make_app(store).test_client()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    store = make_store(tmp_path_factory.mktemp("small"), 40)
    return make_app(store).test_client()


def page(client: FlaskClient, query: str = "") -> str:
    response = client.get(f"/d/{DOC}/compare/1/2{query}", follow_redirects=True)
    assert response.status_code == 200
    return text(response)


def table_rows(body: str) -> list[str]:
    """The side-by-side table's clause rows (gap rows left out)."""
    return re.findall(r'<tr class="row[ "].*?</tr>', body, re.S)


def hidden_count(body: str) -> int:
    found = re.search(r"<strong>([\d,]+) unchanged clauses? (?:is|are) hidden</strong>", body)
    assert found, "no notice of hidden clauses"
    return int(found.group(1).replace(",", ""))


def test_large_pair_opens_as_changes_only_with_notice_and_link(large: FlaskClient) -> None:
    body = page(large)
    whole = page(large, "?all=1")
    assert 'id="large-notice"' in body
    shown, every = table_rows(body), table_rows(whole)
    assert len(every) > WHOLE_MAX_ROWS
    assert len(shown) + hidden_count(body) == len(every)
    gaps = [
        int(n) for n in re.findall(r'<tr class="gap"><td colspan="3">… ([\d]+) unchanged', body)
    ]
    assert sum(gaps) == hidden_count(body)
    link = re.search(r'<a id="show-all" href="([^"]+)"', body)
    assert link and html.unescape(link.group(1)).endswith("?all=1")
    whole_text = re.search(r'<a href="([^"]+)">Whole text</a>', body)
    assert whole_text and whole_text.group(1) == link.group(1)
    # Every change is there, with what the page promises of it; far unchanged clauses are not.
    assert re.findall(r'id="change-\d+"', body) == re.findall(r'id="change-\d+"', whole)
    assert re.findall(r'id="moved-from-\d+"', body) == re.findall(r'id="moved-from-\d+"', whole)
    for tag in ("tag-modified", "tag-added", "tag-removed", "tag-moved"):
        assert tag in body, tag
    assert "Nouvelle clause : la «commission» publie son avis en ligne." in body
    far = PHRASES[1].format(i=499)  # Ukrainian, far from every change
    assert far.startswith("Орган розглядає «заяву 499»")
    assert far in whole and far not in body
    assert 'class="side-source old-source"' in body and 'class="side-source new-source"' in body
    assert re.findall(r'<li class="sum sum-[^"]+">.*?</li>', body, re.S) == re.findall(
        r'<li class="sum sum-[^"]+">.*?</li>', whole, re.S
    )


def test_redline_of_a_long_pair_shows_formatting_not_markdown(large: FlaskClient) -> None:
    body = page(large)
    row = next(r for r in table_rows(body) if "tag-modified" in r and "Antrag 9" in r)
    assert "<ins><strong>unverzüglich</strong></ins>" in row
    assert 'href="https://example.org/bescheid"' in row and ">elektronisch</a>" in row
    for syntax in ("**", "](", "[elektronisch"):
        assert syntax not in row, syntax
    assert "„Antrag 9“" in row


def test_all_shows_every_clause_and_the_links_keep_it(large: FlaskClient) -> None:
    whole = page(large, "?all=1")
    assert 'id="large-notice"' not in whole
    for i in (1, 250, 500, WHOLE_MAX_ROWS + 150):
        assert PHRASES[i % 3].format(i=i) in whole, i
    links = {
        html.unescape(h): t for h, t in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', whole)
    }
    inline = next(h for h, t in links.items() if t == "Inline redline")
    assert inline.endswith("view=inline&all=1")
    changes = next(h for h, t in links.items() if t == "Changes only")
    assert changes.endswith(f"/d/{DOC}/compare/{changes.split('/')[-2]}/{changes.split('/')[-1]}")
    assert "?" not in changes  # the default of a long pair is changes only
    inline_whole = page(large, "?view=inline&all=1")
    inline_only = page(large, "?view=inline")
    assert 'id="large-notice"' in inline_only and 'id="large-notice"' not in inline_whole
    assert inline_whole.count('class="irow') > inline_only.count('class="irow')


def test_asked_changes_only_of_a_long_pair_also_says_what_is_hidden(large: FlaskClient) -> None:
    asked = page(large, "?changes=only")
    assert 'id="large-notice"' in asked
    assert table_rows(asked) == table_rows(page(large))


def test_small_pair_stays_whole(small: FlaskClient) -> None:
    body = page(small)
    assert 'id="large-notice"' not in body and "all=1" not in body
    assert len(table_rows(body)) >= 40
    for i in (1, 10, 30):
        assert html.escape(PHRASES[i % 3].format(i=i), quote=False) in body
    assert page(small, "?all=1") == body
    only = page(small, "?changes=only")
    assert 'id="large-notice"' not in only and "unchanged clauses" in only


def test_rows_formatted_later_equal_rows_formatted_at_once() -> None:
    old, new = (segment(t) for t in pair_texts(60))
    changes = compare_clauses(old, new).changes
    at_once = build_rows(changes)
    later = build_rows(changes, segments=False)
    assert all(r.change is not None for r in later if r.kind != "moved-away")
    shown = changes_only(later)
    fill_segments(shown)
    kept = [r for r in shown if not isinstance(r, Gap)]
    assert kept and all(r.change is None for r in kept)
    expected = [r for r in changes_only(at_once) if not isinstance(r, Gap)]
    for a, b in zip(expected, kept, strict=True):
        assert (a.kind, a.number, a.inline) == (b.kind, b.number, b.inline)
        assert (a.old and a.old.segments) == (b.old and b.old.segments)
        assert (a.new and a.new.segments) == (b.new and b.new.segments)
