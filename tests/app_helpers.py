"""AppTest helpers shared by the page tests."""
from __future__ import annotations

ID_PREFIX = "$$ID-"


def expander_keys(at, prefix: str = "") -> list[str]:
    """User keys of the stateful (lazy) expanders on screen whose key starts with `prefix`, in page order.
    A widget id is "$$ID-<hash>-<user key>"."""
    keys = []
    for box in at.expander:
        widget_id = box.proto.id
        if widget_id.startswith(ID_PREFIX) and widget_id.count("-") >= 2:
            key = widget_id.split("-", 2)[2]
            if key.startswith(prefix):
                keys.append(key)
    return keys


def open_boxes(at, prefix: str = "table_"):
    """Open every lazy expander whose key starts with `prefix` (chart tables by default) and rerun: their
    content is sent only while they are open, as when a user clicks them."""
    keys = expander_keys(at, prefix)
    assert keys, f"no lazy expander with a key starting {prefix!r} on screen"
    for key in keys:
        at.session_state[key] = True
    return at.run()
