"""The HTTP app: forecast, explanation and coverage for a screenplay, plus the web page.

`create_app()` builds the app. Run it with `uvicorn reelcast.api:create_app --factory` or
`reelcast serve`. This process only speaks HTTP: reading, parsing and the model are CPU-bound and run
in a `workers.WorkerPool` (one process per core, each loading the model once at startup; $REELCAST_WORKERS
sets the count), so the event loop keeps serving. The service factory is injectable for test doubles.

Every /v1 endpoint takes either JSON `{"text": ..., "budget_usd": ...}` or a multipart upload
(`file`, optional `budget_usd`). Bad input always gets a 4xx `{"detail": "..."}`. Each request
has a size limit ($REELCAST_MAX_UPLOAD_MB, 413) and a time limit ($REELCAST_REQUEST_TIMEOUT_S, 503).
"""

from __future__ import annotations

import logging
import math
import os
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import TypeAdapter, ValidationError
from python_multipart import FormParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header

from reelcast import __version__, config
from reelcast.read import UnreadableScript
from reelcast.schemas import (
    BudgetUSD,
    CoverageReport,
    ErrorDetail,
    Explanation,
    Health,
    Prediction,
    PredictRequest,
)
from reelcast.workers import (
    ServiceFactory,
    ServiceUnavailable,
    Upload,
    WorkerLost,
    WorkerPool,
    default_processes,
    load_default_service,
)
from reelcast.webpage import WEB_DIR

log = logging.getLogger("reelcast.api")

DEFAULT_MAX_UPLOAD_MB = 20.0
DEFAULT_REQUEST_TIMEOUT_S = 30.0  # a 200-page script takes well under a second; 30 s means something is wrong
MEGABYTE = 1024 * 1024

_BUDGET_HINT = "give the planned budget in US dollars as a positive number (e.g. 25000000), or leave it out"
_JSON_HINT = 'send JSON {"text": "<the screenplay>", "budget_usd": <optional positive number>}'
_INPUT_HINT = f"{_JSON_HINT}, or a multipart/form-data upload with the script in the field 'file'"
_optional_budget = TypeAdapter(BudgetUSD | None)


# --- app ------------------------------------------------------------------------------------------


def create_app(
    service_factory: ServiceFactory = load_default_service,
    home: str | Path | None = None,
    max_upload_mb: float | None = None,
    request_timeout_s: float | None = None,
    workers: int | None = None,
) -> FastAPI:
    """The FastAPI app. Each worker calls `service_factory(home)` once, at startup; a missing model
    degrades the app, it does not crash it. `workers`: processes (0: threads of this process)."""
    max_bytes = max_upload_bytes(max_upload_mb)
    timeout_s = request_timeout(request_timeout_s)
    processes = default_processes() if workers is None else workers

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.pool = WorkerPool(home, service_factory, processes)
        try:
            app.state.model_version, app.state.service_problem = await app.state.pool.status()
            yield
        finally:
            app.state.pool.shutdown()

    app = FastAPI(
        title="reelcast",
        summary="Screenplay in: box-office forecast, its reasons and a coverage report out.",
        version=__version__,
        lifespan=lifespan,
    )
    app.add_exception_handler(Exception, _last_resort)
    _add_model_routes(app, max_bytes, timeout_s)
    _add_page_routes(app, home)
    return app


def serve(host: str = "127.0.0.1", port: int = 8000, home: str | Path | None = None,
          workers: int | None = None) -> None:
    """Run the app with uvicorn; local-only unless a host is given. `workers`: model processes
    (default one per core, each ~300 MB)."""
    import uvicorn

    uvicorn.run(create_app(home=home, workers=workers), host=host, port=port)


def max_upload_bytes(megabytes: float | None = None) -> int:
    """The request size limit: the argument, else $REELCAST_MAX_UPLOAD_MB, else 20 MB."""
    return int(_positive_setting("REELCAST_MAX_UPLOAD_MB", megabytes, DEFAULT_MAX_UPLOAD_MB, "megabytes") * MEGABYTE)


def request_timeout(seconds: float | None = None) -> float:
    """The per-request time limit: the argument, else $REELCAST_REQUEST_TIMEOUT_S, else 30 s."""
    return _positive_setting("REELCAST_REQUEST_TIMEOUT_S", seconds, DEFAULT_REQUEST_TIMEOUT_S, "seconds")


def _positive_setting(variable: str, given: float | None, default: float, unit: str) -> float:
    raw = given if given is not None else os.environ.get(variable, default)
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{variable} must be a positive number of {unit}, got {raw!r}")
    return value


# --- routes ---------------------------------------------------------------------------------------

_ERRORS = {
    400: {"model": ErrorDetail, "description": "Malformed body (broken JSON or multipart)."},
    413: {"model": ErrorDetail, "description": "Body over the upload limit ($REELCAST_MAX_UPLOAD_MB, default 20)."},
    415: {"model": ErrorDetail, "description": "Neither JSON nor multipart/form-data."},
    422: {"model": ErrorDetail, "description": "Empty or unreadable script, missing field, or a bad budget."},
    503: {"model": ErrorDetail, "description": "No model loaded (run `reelcast train`), the request ran past "
          "the time limit ($REELCAST_REQUEST_TIMEOUT_S, default 30), or its worker process died (send it again)."},
}


def _request_body_doc() -> dict:
    """OpenAPI description of the two accepted bodies (the handlers read the request themselves)."""
    multipart = {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary", "description": "The script: .txt, .pdf, .fdx or .fountain."},
            "budget_usd": {"type": "number", "description": "Optional planned budget in US dollars."},
        },
    }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": PredictRequest.model_json_schema()},
                "multipart/form-data": {"schema": multipart},
            },
        }
    }


def _add_model_routes(app: FastAPI, max_bytes: int, timeout_s: float) -> None:
    routes = [
        ("/v1/predict", "predict", Prediction, "Forecast worldwide gross, budget and break-even."),
        ("/v1/explain", "explain", Explanation, "The forecast with its drivers, comparable films and evidence."),
        ("/v1/coverage", "coverage", CoverageReport, "The full coverage report as JSON."),
    ]
    for path, method, model, summary in routes:
        app.add_api_route(
            path,
            _model_endpoint(method, max_bytes, timeout_s),
            methods=["POST"],
            response_model=model,
            summary=summary,
            responses=_ERRORS,
            openapi_extra=_request_body_doc(),
            name=method,
        )

    @app.get("/healthz", response_model=Health, response_model_exclude_none=True, summary="Is a model loaded?")
    async def healthz(request: Request) -> Health:
        if request.app.state.model_version is None:
            return Health(status="degraded", detail=request.app.state.service_problem)
        return Health(status="ok", model_version=request.app.state.model_version)


def _model_endpoint(method: str, max_bytes: int, timeout_s: float):
    async def endpoint(request: Request) -> dict:
        _require_model(request)
        try:
            with anyio.fail_after(timeout_s):  # covers a slow upload as well as slow work
                upload, budget_usd = await upload_and_budget(request, max_bytes)
                return await request.app.state.pool.answer(method, upload, budget_usd)
        except UnreadableScript as exc:
            raise HTTPException(422, str(exc)) from exc
        except TimeoutError as exc:
            raise _too_slow(timeout_s) from exc
        except ServiceUnavailable as exc:
            raise HTTPException(503, f"no model is loaded: {exc}") from exc
        except WorkerLost as exc:
            raise HTTPException(503, f"{exc}: send the request again") from exc

    endpoint.__name__ = method
    return endpoint


def _add_page_routes(app: FastAPI, home: str | Path | None) -> None:
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html")

    @app.get("/report", include_in_schema=False)
    async def report() -> FileResponse:
        path = config.home_dir(home) / "report" / "report.html"
        if not path.is_file():
            raise HTTPException(404, f"no analysis report yet at {path}: run `reelcast report` to write it")
        return FileResponse(path)


def _require_model(request: Request) -> None:
    if request.app.state.model_version is None:
        raise HTTPException(503, f"no model is loaded: {request.app.state.service_problem}")


async def _last_resort(request: Request, exc: Exception) -> JSONResponse:
    """A bug, not bad input: log the traceback here, tell the client only that it happened."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        {"detail": "internal error while handling the request; the server log has the details"}, status_code=500
    )


# --- reading the request --------------------------------------------------------------------------


async def upload_and_budget(request: Request, max_bytes: int) -> tuple[Upload, float | None]:
    """The script (still unread) and the optional budget, from a JSON body or a multipart upload."""
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/json":
        payload = parse_json_request(await read_body(request, max_bytes))
        return Upload(payload.text), payload.budget_usd
    if media_type == "multipart/form-data":
        fields, files = parse_multipart(await read_body(request, max_bytes), content_type)
        budget_usd = parse_form_budget(fields.get("budget_usd"))
        if "file" not in files:
            raise HTTPException(422, f"the upload has no file in the field 'file': {_INPUT_HINT}")
        filename, data = files["file"]
        return Upload(data, filename), budget_usd
    shown = media_type or "no Content-Type"
    raise HTTPException(415, f"unsupported content type ({shown}): {_INPUT_HINT}")


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The whole body, refused as soon as it is known to exceed `max_bytes` (declared or counted)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(max_bytes)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json_request(body: bytes) -> PredictRequest:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(
            400, f"the JSON body is not UTF-8 (bad byte at position {exc.start}): JSON must be UTF-8 — re-encode "
            "the text, or upload the file as multipart/form-data, which also reads Latin-1 and Windows-1252"
        ) from exc
    try:
        # strict: a budget must be a JSON number (lax mode would read `true` as $1 and "25e6" as a number)
        return PredictRequest.model_validate_json(body, strict=True)
    except ValidationError as exc:
        if any(error["type"] == "json_invalid" for error in exc.errors()):
            raise HTTPException(400, f"the body is not valid JSON: {_JSON_HINT}") from exc
        about_budget = all(error["loc"][:1] == ("budget_usd",) for error in exc.errors())
        raise HTTPException(422, f"{describe(exc)} — {_BUDGET_HINT if about_budget else _JSON_HINT}") from exc


def parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    """Form fields and files, kept in memory (the body is already size-limited): uploads never touch disk."""
    boundary = parse_options_header(content_type)[1].get(b"boundary")
    if not boundary:
        raise HTTPException(400, f"the multipart Content-Type has no boundary: {_INPUT_HINT}")
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}

    def on_field(field) -> None:
        fields[_text(field.field_name)] = _text(field.value)

    def on_file(file) -> None:
        file.file_object.seek(0)
        files[_text(file.field_name)] = (_text(file.file_name), file.file_object.read())

    parser = FormParser(
        "multipart/form-data", on_field, on_file, boundary=boundary,
        config={"MAX_MEMORY_FILE_SIZE": len(body) + 1},
    )
    try:
        parser.write(body)
        parser.finalize()
    except FormParserError as exc:
        raise HTTPException(400, f"the multipart body is malformed ({exc}): {_INPUT_HINT}") from exc
    return fields, files


def parse_form_budget(raw: str | None) -> float | None:
    """A form field is text; blank means no budget."""
    if raw is None or not raw.strip():
        return None
    try:
        return _optional_budget.validate_python(raw.strip())
    except ValidationError as exc:
        raise HTTPException(422, f"budget_usd {raw.strip()!r} is not usable: {describe(exc)} — {_BUDGET_HINT}") from exc


def describe(exc: ValidationError) -> str:
    """Pydantic errors as one sentence: 'budget_usd: Input should be greater than 0; ...'."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _too_large(max_bytes: int) -> HTTPException:
    return HTTPException(
        413, f"the request is larger than the {max_bytes / MEGABYTE:g} MB limit: send a smaller file "
        "(a feature script is rarely over 2 MB as text or 10 MB as PDF), or raise REELCAST_MAX_UPLOAD_MB"
    )


def _too_slow(timeout_s: float) -> HTTPException:
    return HTTPException(
        503, f"the request took longer than the {timeout_s:g} s limit: try again when the server is less busy, "
        "send a shorter script, or raise REELCAST_REQUEST_TIMEOUT_S"
    )


def _text(raw: bytes | None) -> str:
    return (raw or b"").decode("utf-8", errors="replace")


