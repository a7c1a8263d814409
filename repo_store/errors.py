"""Errors raised by the store; each is a user mistake or a store fault with a one-line message."""


class StoreError(Exception):
    """Base class: something about the store or a request to it is wrong."""


class InvalidName(StoreError):
    """A document slug or version label is not acceptable."""


class InvalidValue(StoreError):
    """A provenance value (date, URL, completeness…) is malformed."""


class NotAStore(StoreError):
    """The path is not a drafttrack store."""


class StoreExists(StoreError):
    """init was asked to create a store where something already is."""


class UnknownDocument(StoreError):
    """No document with that slug."""


class UnknownVersion(StoreError):
    """A version reference matches no version (or several)."""


class DuplicateLabel(StoreError):
    """A label is already used by another version of the document."""


class ConcurrentUpdate(StoreError):
    """Another writer moved the store's head and retries were exhausted."""


class GitFailure(StoreError):
    """git itself failed (corrupt object, full disk, timeout); the store was left as it was."""
