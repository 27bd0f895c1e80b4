# http.py — aiohttp requests and their phases, when the program imports aiohttp
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every ClientSession gets one more TraceConfig. A request is a `fetch`
# task from on_request_start until its body has been read (or the
# response is released or closed), or until it fails.

import sys
import types

from . import observe
from .protocol import escape

_FIELDS = ("dns_start", "dns_end", "connect_start", "connect_end",
           "request_start", "request_end", "first_byte", "end")


def _http(ident, field, value):
    w = observe._w
    w.emit("http", w.now(), ident, field, escape(value))


def _now():
    return observe._w.now()


def _make_trace_config(aiohttp):
    config = aiohttp.TraceConfig(trace_config_ctx_factory=lambda trace_request_ctx=None: types.SimpleNamespace(ident=None))

    async def request_start(session, ctx, params):
        parent = observe.current_info()
        section = observe._open_section
        if parent is None or section is None:
            return
        ident = observe.new_id()
        ctx.ident = ident
        url = str(params.url)
        observe.emit_instance(ident, parent.id, section.index, "fetch", "loop",
                              observe.source_line(2), "request", "%s %s" % (params.method, url))
        observe.emit_state("waiting", ident)
        _http(ident, "url", url)
        _http(ident, "method", params.method)
        _http(ident, "request_start", _now())

    async def queued_end(session, ctx, params):
        pass

    async def dns_start(session, ctx, params):
        if ctx.ident is not None:
            _http(ctx.ident, "dns_start", _now())

    async def dns_end(session, ctx, params):
        if ctx.ident is not None:
            _http(ctx.ident, "dns_end", _now())

    async def connect_start(session, ctx, params):
        if ctx.ident is not None:
            _http(ctx.ident, "connect_start", _now())

    async def connect_end(session, ctx, params):
        if ctx.ident is not None:
            _http(ctx.ident, "connect_end", _now())

    async def reuse(session, ctx, params):
        if ctx.ident is not None:
            _http(ctx.ident, "reused", 1)

    async def request_end(session, ctx, params):
        if ctx.ident is None:
            return
        response = params.response
        _http(ctx.ident, "first_byte", _now())
        _http(ctx.ident, "status", response.status)
        _http(ctx.ident, "reason", response.reason or "")
        try:
            response._tasklanes_id = ctx.ident
            response._tasklanes_bytes = 0
        except AttributeError:
            _finish(ctx.ident, response.status, response.reason, -1)

    async def chunk(session, ctx, params):
        pass

    async def request_exception(session, ctx, params):
        if ctx.ident is not None:
            w = observe._w
            w.emit("failed", w.now(), ctx.ident, escape(observe.error_text(params.exception)))

    config.on_request_start.append(request_start)
    config.on_dns_resolvehost_start.append(dns_start)
    config.on_dns_resolvehost_end.append(dns_end)
    config.on_connection_create_start.append(connect_start)
    config.on_connection_create_end.append(connect_end)
    config.on_connection_reuseconn.append(reuse)
    config.on_request_end.append(request_end)
    config.on_request_exception.append(request_exception)
    return config


def _finish(ident, status, reason, nbytes):
    if nbytes >= 0:
        _http(ident, "bytes", nbytes)
    _http(ident, "end", _now())
    w = observe._w
    w.emit("ok", w.now(), ident, escape("%s %s" % (status, reason or "")))


def _patch_response(aiohttp):
    response = aiohttp.ClientResponse

    def finished(self):
        ident = getattr(self, "_tasklanes_id", None)
        if ident is not None:
            self._tasklanes_id = None
            body = getattr(self, "_body", None)
            _finish(ident, self.status, self.reason, len(body) if body is not None else -1)

    for name in ("_response_eof", "release", "close"):
        original = getattr(response, name, None)
        if original is None:
            continue

        def wrapper(self, *args, __original=original, **kwargs):
            result = __original(self, *args, **kwargs)
            try:
                finished(self)
            except Exception:
                observe._probe_error()
            return result

        setattr(response, name, wrapper)


def _patch(aiohttp):
    session = aiohttp.ClientSession
    original_init = session.__init__

    def __init__(self, *args, trace_configs=None, **kwargs):
        configs = list(trace_configs or [])
        try:
            configs.append(_make_trace_config(aiohttp))
        except Exception:
            observe._probe_error()
        original_init(self, *args, trace_configs=configs, **kwargs)

    session.__init__ = __init__
    _patch_response(aiohttp)


class _Finder:
    """Patches aiohttp right after the program first imports it.

    A meta path finder needs only find_spec(); importlib.abc is not
    imported for its base class, which would bring in importlib.resources,
    pathlib and tempfile on every run."""

    def find_spec(self, fullname, path, target=None):
        if fullname != "aiohttp":
            return None
        sys.meta_path.remove(self)
        import importlib.util
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original_exec = loader.exec_module

        def exec_module(module):
            original_exec(module)
            try:
                _patch(module)
            except Exception:
                observe._probe_error()

        loader.exec_module = exec_module
        return spec


def install():
    if "aiohttp" in sys.modules:
        _patch(sys.modules["aiohttp"])
    else:
        sys.meta_path.insert(0, _Finder())
