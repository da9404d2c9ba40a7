"""Strike waves: the events of one night's barrage share a ``wave_id``.

Two events are of one wave when one article reports both, both are dated to the same single day,
the same perpetrator is named for both, and they hit different places. Waves are the connected
groups of that relation; a wave is named after its first event id, so it is stable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _same_wave(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return (
        a.get("date_precision") == "day"
        and b.get("date_precision") == "day"
        and a.get("date_from") == b.get("date_from")
        and a.get("actor1") is not None
        and a.get("actor1") == b.get("actor1")
        and (a.get("location"), a.get("admin1")) != (b.get("location"), b.get("admin1"))
    )


def wave_groups(summaries: Mapping[str, Mapping[str, Any]], articles: Mapping[str, set[str]]) -> dict[str, str]:
    """event id -> wave id for every event that is part of a wave of two or more."""
    ids = sorted(summaries)
    parent = {e: e for e in ids}

    def root(e: str) -> str:
        while parent[e] != e:
            parent[e] = parent[parent[e]]
            e = parent[e]
        return e

    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if articles.get(a, set()) & articles.get(b, set()) and _same_wave(summaries[a], summaries[b]):
                parent[root(b)] = root(a)
    groups: dict[str, list[str]] = {}
    for e in ids:
        groups.setdefault(root(e), []).append(e)
    return {e: "wv-" + members[0].split("-", 1)[1] for members in groups.values() if len(members) > 1 for e in members}
