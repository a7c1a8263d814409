"""Store access for requests, and the caches that make pages fast.

GitPython is not thread-safe, so every request opens its own short-lived :class:`Store`
(``get_store``, cached on ``g``) and closes it at teardown. Rendered pages are cached per
(document tree id, URL) for a document's pages and (store HEAD, URL) for store-wide ones: any write
changes the key of every page it affects, so a cached page is never stale. Comparisons are cached
per pair of version ids, whose texts never change.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request

from drafttrack.model import VersionText
from repo_store import Store, Version

T = TypeVar("T")


def get_store() -> Store:
    """The request's store, opened on first use."""
    if "store" not in g:
        g.store = Store.open(current_app.config["STORE_PATH"])
    return g.store  # type: ignore[no-any-return]


def close_store(_exc: BaseException | None = None) -> None:
    """Close the request's store (its git processes) if it was opened."""
    store = g.pop("store", None)
    if store is not None:
        store.close()


class LRU:
    """A small thread-safe least-recently-used cache, bounded in entries and (optionally) bytes."""

    def __init__(self, size: int, max_bytes: int | None = None) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._weights: dict[Hashable, int] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The cached value or None."""
        with self._lock:
            if key not in self._data:
                return None
            self._data.move_to_end(key)
            return self._data[key]

    def put(self, key: Hashable, value: Any, weight: int = 0) -> None:
        """Remember a value (of ``weight`` bytes), dropping the least recently used beyond
        ``size`` entries or ``max_bytes``."""
        with self._lock:
            if self.max_bytes is not None and weight > self.max_bytes:
                return
            self._bytes += weight - self._weights.get(key, 0)
            self._weights[key] = weight
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size or (
                self.max_bytes is not None and self._bytes > self.max_bytes
            ):
                old, _ = self._data.popitem(last=False)
                self._bytes -= self._weights.pop(old, 0)

    def memo(self, key: Hashable, make: Callable[[], T]) -> T:
        """The cached value for ``key``, computed by ``make`` on a miss."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value  # type: ignore[no-any-return]

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._data.clear()
            self._weights.clear()
            self._bytes = 0


def _caches() -> dict[str, LRU]:
    return current_app.extensions["drafttrack_caches"]  # type: ignore[no-any-return]


def cached_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Cache a GET view's 200 response per (document tree or store HEAD, URL with host).

    The URL includes the host because feeds hold absolute links.

    Only for pages without per-session content (no forms with CSRF tokens).
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        # A document's pages depend on that document alone: keyed by its folder's tree id, they
        # stay cached while other documents receive versions. Store-wide pages key on HEAD.
        doc = kwargs.get("doc")
        state = get_store().document_state(doc) if isinstance(doc, str) else None
        key = ("doc", doc, state, request.url) if state else (get_store().head(), request.url)
        cache = _caches()["pages"]
        hit = cache.get(key)
        if hit is not None:
            body, mimetype, headers = hit
            return Response(body, mimetype=mimetype, headers=headers)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200 and not response.direct_passthrough:
            extra = {k: v for k, v in response.headers.items() if k == "Content-Disposition"}
            body = response.get_data()
            cache.put(key, (body, response.mimetype, extra), weight=len(body))
        return response

    return wrapper


def version_text(store: Store, version: Version) -> VersionText:
    """The engine's view of a stored version."""
    return VersionText(version.to_json(), store.read_text(version.document, version.id))


def data_cache() -> LRU:
    """Cache for derived data keyed by immutable ids (or by HEAD)."""
    return _caches()["data"]


def init_app(app: Flask) -> None:
    """Register teardown and create the caches."""
    app.teardown_appcontext(close_store)
    pages = LRU(int(app.config["PAGE_CACHE_SIZE"]), int(app.config["PAGE_CACHE_BYTES"]))
    app.extensions["drafttrack_caches"] = {"pages": pages, "data": LRU(32)}
