"""The REST API over the ledger (FastAPI); ``create_app(db_path)`` builds it, ``warledger serve`` runs it.

    GET  /api/events?date_from=&date_to=&country=&admin1=&location=&actor1=&sub_event_type=&weapon=
                    &min_killed=&q=&limit=&offset=          one page of events (JSON-lines export rows)
    GET  /api/events/{id}                                   an event with its change log, links and articles
    GET  /api/export.csv | .geojson | .jsonl               every matching event in an export format
    GET  /api/points?<filters>                              every matching event as the map draws it (compact)
    GET  /api/timeline?<filters>                            events and killed per day of the matching events
    GET  /api/facets?<filters>                              the filters' values and their counts (the selects)
    GET  /api/changes?after=CURSOR                          events changed since: what the page polls
    GET  /api/places?bbox=W,S,E,N&limit=                    settlements in a box (the map's labels)
    POST /api/articles                                      ingest JSON articles (needs a bearer token)
    GET  /report?from=YYYY-MM-DD&to=YYYY-MM-DD[&country=]   the situation report of a period (HTML)

Every error is ``{"detail": "..."}``; answers over 1 kB are gzipped for clients that accept it. Each
request opens its own connection (SQLite in WAL mode: readers never wait for the writer); ingesting
is serialised by a lock. The built web page in ``warledger/web/static`` is served at ``/`` when it
exists.
"""

from __future__ import annotations

import io
import json
import os
import queue
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError, NotFound, WarledgerError
from ..export import export_row, exporter
from ..geo import Gazetteer
from ..geo.settlements import MAX_SETTLEMENTS
from ..ingest.decode import BadInput
from ..ingest.readers import json_article
from ..ledger import article_reader, ingest_articles
from ..nlp.pipeline import ArticleReader
from ..records import Article, json_text
from ..store import Ledger, Store, is_url
from .defences import (
    AUTH_FAILURE_BURST,
    AUTH_FAILURES_PER_MINUTE,
    MAX_ARTICLE_CHARS,
    MAX_BODY_BYTES,
    MAX_JSON_DEPTH,
    WRITE_BURST,
    WRITE_PER_MINUTE,
    BodyError,
    RateLimiter,
    SecurityHeaders,
    parse_json_body,
    retry_after,
)
from .queries import DEFAULT_LIMIT, FILTER_PARAMS, MAX_LIMIT, PAGE_PARAMS, EventFilter, FilterError
from .tokens import token_hash, token_ok
from .views import (
    ChangesAnswer,
    FacetsAnswer,
    PlacesAnswer,
    PointsAnswer,
    TimelineAnswer,
    facets_answer,
    parse_bbox,
    places_answer,
    points_answer,
    timeline_answer,
)

if TYPE_CHECKING:
    from ..ingest.feeds import FollowConfig, PollResult

STATIC_DIR = Path(__file__).resolve().parents[1] / "web" / "static"
MAX_POST_ARTICLES = 1000
MAX_INT = 2**63 - 1  # the largest integer a database column holds: larger ones are 422s, not overflows
POOL_SIZE = 8  # ledger connections kept open between requests
POLL_SECONDS = 10.0  # how often the page asks /api/changes, unless the server or the page's URL says
GZIP_ABOVE = 1024  # bytes: smaller answers are sent as they are
GZIP_LEVEL = 6  # 50,000 points: 0.03 s to compress (level 9: 0.1 s, for 10 % fewer bytes)
_EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "jsonl": "application/x-ndjson; charset=utf-8",
}
_ARTICLE_KEYS = ("id", "outlet", "published", "url", "title", "language", "text")


class SafeJSONResponse(JSONResponse):
    """JSON with ``<``, ``>`` and ``&`` written as ``\\u`` escapes: article text never reads as markup."""

    def render(self, content: Any) -> bytes:
        return json_text(content).encode("utf-8")


class _Pool:
    """Open ledger connections kept for the next request (a PostgreSQL connection costs a server
    process's start): ``with pool() as store``. One request at a time uses each; one that failed
    is closed, not kept."""

    def __init__(self, db: str | Path, keep: int = POOL_SIZE) -> None:
        self.db = db
        self.keep = keep
        self.idle: queue.SimpleQueue[Ledger] = queue.SimpleQueue()

    @contextmanager
    def __call__(self) -> Iterator[Ledger]:
        try:
            store = self.idle.get_nowait()
        except queue.Empty:
            store = Store(self.db)
        try:
            yield store
        except BaseException:
            store.close()
            raise
        if self.idle.qsize() < self.keep:
            self.idle.put(store)
        else:
            store.close()


def _error(status: int, detail: str, headers: dict[str, str] | None = None) -> SafeJSONResponse:
    return SafeJSONResponse({"detail": detail}, status_code=status, headers=headers)


def _only(*names: str) -> Callable[[Request], None]:
    """A dependency refusing query parameters other than ``names`` (a typo must not widen a filter),
    and a NUL character in any parameter (PostgreSQL's text cannot hold one: it was a 500)."""
    allowed = set(names)

    def check(request: Request) -> None:
        unknown = sorted({k for k in request.query_params if k not in allowed})
        if unknown:
            raise HTTPException(
                422, f"unknown query parameter(s): {', '.join(unknown)} (known: {', '.join(names) or 'none'})"
            )
        given = [*request.query_params.multi_items(), *request.path_params.items()]
        nul = sorted({k for k, v in given if "\x00" in str(v)})
        if nul:
            raise HTTPException(422, f"a NUL character in parameter(s): {', '.join(nul)}")

    return check


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _filter(
    date_from: str | None = Query(None, description="YYYY-MM-DD: events whose window ends on or after it"),
    date_to: str | None = Query(None, description="YYYY-MM-DD: events whose window starts on or before it"),
    country: str | None = None,
    admin1: str | None = None,
    location: str | None = None,
    actor1: str | None = None,
    sub_event_type: str | None = None,
    weapon: str | None = None,
    min_killed: int | None = Query(None, ge=0, le=MAX_INT),
    q: str | None = Query(None, max_length=200, description="text in the event's quotes or place names"),
) -> EventFilter:
    flt = EventFilter(date_from, date_to, country, admin1, location, actor1, sub_event_type, weapon, min_killed, q)
    try:
        flt.check()
    except FilterError as exc:
        raise HTTPException(422, str(exc)) from None
    return flt


def create_app(
    db_path: str | os.PathLike[str],
    *,
    tokens: Sequence[str] = (),
    open_reads: bool = True,
    reader: ArticleReader | None = None,
    static_dir: str | os.PathLike[str] | None = None,
    follow: FollowConfig | None = None,
    on_poll: Callable[[PollResult], None] | None = None,
    poll_seconds: float = POLL_SECONDS,
    max_body: int = MAX_BODY_BYTES,
    max_depth: int = MAX_JSON_DEPTH,
    max_article_chars: int = MAX_ARTICLE_CHARS,
    write_burst: int = WRITE_BURST,
    writes_per_minute: float = WRITE_PER_MINUTE,
    auth_failure_burst: int = AUTH_FAILURE_BURST,
    auth_failures_per_minute: float = AUTH_FAILURES_PER_MINUTE,
    cors_origins: Sequence[str] = (),
) -> FastAPI:
    """The API over the ledger at ``db_path`` (created and migrated now if need be).

    ``tokens``: bearer tokens that may write (besides those stored with ``create_token``);
    ``open_reads=False`` makes reading need a token too; ``reader``: the nlp stage to ingest with
    (loaded on the first POST when not given); ``static_dir``: the built web page (default
    ``warledger/web/static``, served at ``/`` when it exists); ``follow``: feeds to follow in a
    background thread while the app runs (``app.state.follower``; started and stopped with it),
    sharing the API's reader and its ingest lock; ``on_poll``: what to do with each poll's result
    (default: its line and its errors on stderr); ``poll_seconds``: how often the page asks for
    changes (``/api/changes`` says it; 0: the page does not poll).

    Defences (defaults in ``api.defences``): ``max_body`` bytes per request body (413),
    ``max_depth`` levels of JSON nesting (400), ``max_article_chars`` per article text (a problem
    line); writes limited per token and per address to ``write_burst`` at once then
    ``writes_per_minute``, wrong or missing tokens per address to ``auth_failure_burst`` then
    ``auth_failures_per_minute`` (429 with Retry-After; a rate <= 0 turns a limit off);
    ``cors_origins``: the other origins that may call the API from a browser (none by default).
    """
    db: str | Path = str(db_path) if is_url(db_path) else Path(db_path)
    fixed = tuple(t for t in tokens if t)
    ledger = _Pool(db)
    with ledger():
        pass  # create / migrate once, before serving
    ingest_lock = threading.Lock()
    nlp: list[ArticleReader] = [reader] if reader is not None else []

    def nlp_reader() -> ArticleReader:
        """The nlp stage, loaded on first use (called holding ingest_lock)."""
        if not nlp:
            nlp.append(article_reader())
        return nlp[0]

    follower = None
    if follow is not None:
        from ..ingest.feeds import Follower

        follower = Follower(follow, db, reader=nlp_reader, lock=ingest_lock, on_poll=on_poll or _log_poll)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if follower is not None:
            follower.start()
        try:
            yield
        finally:
            if follower is not None:
                await run_in_threadpool(follower.stop)
                print("follow: stopped", file=sys.stderr, flush=True)

    app = FastAPI(
        title="warledger",
        summary="A sourced ledger of strike events, read from war reporting.",
        default_response_class=SafeJSONResponse,
        # FastAPI's /docs and /redoc pages load their scripts from a CDN: only the spec is served
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.follower = follower
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_ABOVE, compresslevel=GZIP_LEVEL)
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(SecurityHeaders, max_body=max_body)  # outermost: every answer has its headers
    writes = RateLimiter(write_burst, writes_per_minute)
    failures = RateLimiter(auth_failure_burst, auth_failures_per_minute)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
            parts.append(f"{'.'.join(loc) or 'request'}: {err.get('msg', 'invalid')}")
        return _error(422, "; ".join(parts))

    def authenticate(request: Request) -> str:
        """The request's valid token; 401 when it has none, 429 after too many wrong ones from its address."""
        address = request.client.host if request.client else "?"
        wait = failures.wait(address)
        if wait:
            raise HTTPException(429, "too many failed authentications from this address", headers=retry_after(wait))
        token = _bearer(request)
        if token:
            with ledger() as store:
                if token_ok(token, fixed, store):
                    return token
        failures.take(address)
        if token:
            raise HTTPException(401, "invalid token", headers={"WWW-Authenticate": "Bearer"})
        raise HTTPException(
            401, "missing token: send 'Authorization: Bearer TOKEN'", headers={"WWW-Authenticate": "Bearer"}
        )

    def authorise(request: Request) -> None:
        """A write: a valid token, within its own rate and its address's (429 past them)."""
        token = authenticate(request)
        address = request.client.host if request.client else "?"
        wait = max(writes.take("token:" + token_hash(token)), writes.take("address:" + address))
        if wait:
            raise HTTPException(429, "too many writes: slow down", headers=retry_after(wait))
        with ledger() as store:
            store.token_used(token_hash(token))  # `warledger token list` shows it (a fixed token: no row)

    def may_read(request: Request) -> None:
        if not open_reads:
            authenticate(request)

    @app.get("/api/events", dependencies=[Depends(may_read), Depends(_only(*FILTER_PARAMS, *PAGE_PARAMS))])
    def list_events(
        flt: Annotated[EventFilter, Depends(_filter)],
        limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
        offset: int = Query(0, ge=0, le=MAX_INT),
    ) -> Response:
        """One page of matching events, oldest first (undated last), as JSON-lines export rows."""
        with ledger() as store:
            total, rows = store.event_rows(flt, limit, offset)
        # the stored rows as they are (each is the event's export row, JSON text safe in a page)
        head = json_text({"total": total, "limit": limit, "offset": offset})[:-1]
        return Response(f'{head},"events":[{",".join(rows)}]}}', media_type="application/json")

    @app.get("/api/events/{event_id}", dependencies=[Depends(may_read), Depends(_only())])
    def get_event(event_id: str) -> Response:
        """An event (an id merged away leads to its event), its change log, links and cited articles."""
        with ledger() as store:
            try:
                eid = store.resolve(event_id)
            except NotFound:
                raise HTTPException(404, f"no event {event_id}") from None
            ev = store.event(eid)
            if ev is None:
                raise HTTPException(404, f"no event {event_id}")
            cited = dict.fromkeys(
                [s["article"] for s in ev.sources]
                + [t["article"] for t in ev.toll_history]
                + [c["article"] for c in ev.claims]
            )
            articles = {}
            for aid in cited:
                row = store.article(aid)
                if row is not None:
                    articles[aid] = {k: row[k] for k in _ARTICLE_KEYS}
            links = []
            for link in store.links(eid):
                link["features"] = json.loads(link["features"] or "{}")
                links.append(link)
            return SafeJSONResponse(
                {
                    "event": export_row(ev),
                    "changes": [c.to_json() for c in store.changes(eid)],
                    "links": links,
                    "articles": articles,
                }
            )

    read_filtered = [Depends(may_read), Depends(_only(*FILTER_PARAMS))]

    @app.get("/api/points", dependencies=read_filtered, responses={200: {"model": PointsAnswer}})
    def points(flt: Annotated[EventFilter, Depends(_filter)]) -> Response:
        """Every matching event, located or not, as the map draws it: id, point, day, killed, type, place."""
        with ledger() as store:
            cursor = store.cursor()  # read first: a change landing meanwhile is polled again
            found = store.points(flt)
        return SafeJSONResponse(points_answer(cursor, found))

    @app.get("/api/timeline", dependencies=read_filtered, responses={200: {"model": TimelineAnswer}})
    def timeline(flt: Annotated[EventFilter, Depends(_filter)]) -> Response:
        """Events and killed per day of the matching events (undated ones left out), oldest first."""
        with ledger() as store:
            return SafeJSONResponse(timeline_answer(store.day_span(), store.days(flt)))

    @app.get("/api/facets", dependencies=read_filtered, responses={200: {"model": FacetsAnswer}})
    def facets(flt: Annotated[EventFilter, Depends(_filter)]) -> Response:
        """Per filter (country, admin1, actor1, sub_event_type, weapon): the values the other filters
        leave, each with its count of events, by value."""
        with ledger() as store:
            return SafeJSONResponse(facets_answer(store.facets(flt)))

    @app.get(
        "/api/changes",
        dependencies=[Depends(may_read), Depends(_only("after"))],
        responses={200: {"model": ChangesAnswer}},
    )
    def changes(
        after: int = Query(
            -1, ge=-1, le=MAX_INT, description="the cursor last read (-1: none yet: only the cursor is sent)"
        ),
    ) -> Response:
        """The events changed after the cursor ``after`` (the change log's id): cheap when none did."""
        with ledger() as store:
            changed: list[str] = []
            more = False
            if after < 0:
                cursor = store.cursor()
            else:
                cursor, changed, more = store.changed_after(after)
        return SafeJSONResponse({"cursor": cursor, "events": changed, "more": more, "poll": poll_seconds})

    @app.get(
        "/api/places",
        dependencies=[Depends(may_read), Depends(_only("bbox", "limit"))],
        responses={200: {"model": PlacesAnswer}},
    )
    def places(
        bbox: str = Query(description="west,south,east,north in degrees (longitudes may run past 180)"),
        limit: int = Query(100, ge=1, le=MAX_SETTLEMENTS),
    ) -> Response:
        """The most populous settlements inside the box (GeoNames, from the gazetteer): the map's labels."""
        try:
            box = parse_bbox(bbox)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        return SafeJSONResponse(places_answer(Gazetteer.load().settlements_in(box, limit)))

    def export(fmt: str) -> Callable[..., Response]:
        def handler(flt: Annotated[EventFilter, Depends(_filter)]) -> Response:
            out = io.StringIO()
            with ledger() as store:
                exporter(fmt).write(store.events(flt), out, changed=store.last_changed())
            return Response(
                out.getvalue(),
                media_type=_EXPORT_TYPES[fmt],
                headers={"Content-Disposition": f'attachment; filename="warledger.{fmt}"'},
            )

        handler.__doc__ = f"Every matching event as {fmt} (same filters as /api/events, no pages)."
        handler.__name__ = f"export_{fmt}"
        return handler

    for fmt in _EXPORT_TYPES:
        app.get(
            f"/api/export.{fmt}",
            dependencies=[Depends(may_read), Depends(_only(*FILTER_PARAMS))],
            response_class=Response,
            responses={200: {"content": {_EXPORT_TYPES[fmt].split(";")[0]: {}}}},
        )(export(fmt))

    @app.get(
        "/report",
        dependencies=[Depends(may_read), Depends(_only("from", "to", "country"))],
        response_class=Response,
        responses={200: {"content": {"text/html": {}}}},
    )
    def situation_report(
        date_from: Annotated[str, Query(alias="from", description="first day, YYYY-MM-DD")],
        date_to: Annotated[str, Query(alias="to", description="last day, YYYY-MM-DD")],
        country: str | None = None,
    ) -> Response:
        """The situation report of a period as an HTML page (see ``warledger report``)."""
        from ..report import build_report, render

        try:
            first, last = date.fromisoformat(date_from), date.fromisoformat(date_to)
        except ValueError:
            raise HTTPException(422, f"from / to: {date_from!r}, {date_to!r}: expected YYYY-MM-DD") from None
        with ledger() as store:
            try:
                page = render(build_report(store, first, last, country), "html")
            except WarledgerError as exc:
                raise HTTPException(422, str(exc)) from None
        return Response(page, media_type="text/html; charset=utf-8")

    @app.post("/api/articles", dependencies=[Depends(authorise), Depends(_only())])
    async def post_articles(request: Request) -> dict[str, Any]:
        """Ingest one JSON article or a list (the JSON-lines article form); RETURNS what changed."""
        try:
            body = parse_json_body(await _read_limited(request, max_body), max_depth)
        except BodyError as bad:
            raise HTTPException(bad.status, bad.detail) from None
        items = body if isinstance(body, list) else [body]
        if not items:
            raise HTTPException(422, "no articles in the body")
        if len(items) > MAX_POST_ARTICLES:
            raise HTTPException(413, f"at most {MAX_POST_ARTICLES} articles per request")
        articles, problems = parse_articles(items, max_article_chars)
        if not articles:
            return {"added": 0, "unchanged": 0, "skipped": 0, "problems": problems, "events": []}
        return await run_in_threadpool(ingest, articles, problems)

    def ingest(articles: list[Article], problems: list[str]) -> dict[str, Any]:
        with ingest_lock:
            with ledger() as store:
                report = ingest_articles(articles, store, nlp_reader())
                by_article = store.article_events()
        events = dict.fromkeys(e for a in articles for e in by_article.get(a.id, []) if e)
        return {
            "added": report.added,
            "unchanged": report.unchanged,
            "skipped": report.skipped,  # by the relevance gate: recorded, not stored (`warledger skipped`)
            "problems": problems + [str(p) for p in report.problems],
            "events": list(events),
        }

    static = Path(static_dir) if static_dir is not None else STATIC_DIR
    if static.is_dir():
        app.mount("/", StaticFiles(directory=static, html=True), name="web")
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's spec, saying what errors really are: ``{"detail": "one line"}`` (FastAPI's own
    schema says a list of validation errors), for any 4xx of any operation (401, 404, 413, 429 ...)."""
    if app.openapi_schema is None:
        spec = FastAPI.openapi(app)
        problem = {
            "title": "Problem",
            "type": "object",
            "properties": {"detail": {"type": "string", "title": "Detail"}},
            "required": ["detail"],
        }
        spec.setdefault("components", {}).setdefault("schemas", {})["HTTPValidationError"] = problem
        refused = {
            "description": "A refused request, one line",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}},
        }
        for path in spec.get("paths", {}).values():
            for operation in path.values():
                operation.setdefault("responses", {}).setdefault("4XX", refused)
        app.openapi_schema = spec
    return app.openapi_schema


def _log_poll(result: PollResult) -> None:
    """A followed source's poll, as `warledger follow` prints it, on the server's stderr."""
    for line in [result.line(), *map(str, result.errors)]:
        print(f"follow: {line}", file=sys.stderr, flush=True)


async def _read_limited(request: Request, limit: int) -> bytes:
    """The request's body; BodyError(413) as soon as it grows past ``limit`` bytes (a chunked
    body has no Content-Length to refuse it by)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyError(413, f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_articles(items: list[Any], max_chars: int = MAX_ARTICLE_CHARS) -> tuple[list[Article], list[str]]:
    """JSON objects -> articles, as a JSON-lines file's lines are read; one problem per bad item.

    An item without ``id`` is named ``api-`` + its text hash (so posting it again changes nothing);
    ``file`` (a path on the server) is refused.
    """
    articles: dict[str, Article] = {}
    problems: list[str] = []
    for n, obj in enumerate(items, start=1):
        where = f"article {n}"
        try:
            if not isinstance(obj, dict):
                raise BadInput(f"not a JSON object (got {type(obj).__name__})")
            if "file" in obj:
                raise BadInput("field 'file' is not accepted over the API: send 'text' or 'html'")
            for key in ("text", "html"):
                if isinstance(obj.get(key), str) and len(obj[key]) > max_chars:
                    raise BadInput(f"field {key!r} is longer than {max_chars} characters")
            article = json_article(obj, Path("api"), n, where)
        except BadInput as bad:
            problems.append(str(InputError(where, bad.problem)))
            continue
        if not obj.get("id"):
            article.id = "api-" + article.hash[:16]
        first = articles.get(article.id)
        if first is None:
            articles[article.id] = article
        elif first.text != article.text:
            problems.append(str(InputError(where, f"duplicate article id {article.id} (first at {first.source})")))
    return list(articles.values()), problems
