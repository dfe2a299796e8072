"""Exceptions the store raises; each carries a German and an English message for the UI."""
from __future__ import annotations


class StoreError(Exception):
    """Base of every store exception. `message(lang)` gives the text for the UI language."""

    def __init__(self, message_de: str, message_en: str) -> None:
        super().__init__(f"{message_de}\n{message_en}")
        self.message_de = message_de
        self.message_en = message_en

    def message(self, lang: str = "de") -> str:
        return self.message_en if lang == "en" else self.message_de


class PublishConflict(StoreError):
    """The live version moved since the analyst started; nothing of the new version was stored."""

    def __init__(self, message_de: str, message_en: str, *, dataset: str, live=None) -> None:
        super().__init__(message_de, message_en)
        self.dataset = dataset
        self.live = live


class PermissionDenied(StoreError):
    """A write was attempted by an actor without the analyst role."""


class UnknownDataset(StoreError):
    """The dataset has no version in the store."""


class UnknownVersion(StoreError):
    """The version id does not exist for that dataset."""


class StoreUnavailable(StoreError):
    """The database cannot be reached (connection refused, locked too long, server gone)."""
