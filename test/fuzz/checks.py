"""The fuzz run's rule for 5xx answers (loaded by schemathesis through SCHEMATHESIS_HOOKS).

It replaces schemathesis's not_a_server_error, which fails on every 5xx. A 5xx passes only when it
is an upstream MCP server's own outcome, reported as the README documents it:

- 502 with code `upstream_error`: the server answered the call with a JSON-RPC error;
- 504 with code `upstream_timeout`: the server did not answer within its timeoutMs;

and only on a tool route (POST /{server}/{tool}), the one kind of operation that reaches an
upstream with the caller's input. Everything else fails: any 500, any 503 (the bridge, the
database and every server are up for the whole run, so "unavailable" is the proxy's fault), and
502s that mean the proxy could not talk to a healthy server (upstream_unreachable,
upstream_protocol, upstream_http_error).
"""

import json

import schemathesis

UPSTREAM_OWN = {502: "upstream_error", 504: "upstream_timeout"}
FIXED_PATHS = ("/health", "/servers", "/openapi.json", "/{server}/openapi.json", "/admin/")


def is_tool_route(case) -> bool:
    path = case.operation.path
    return case.method.upper() == "POST" and not any(path == p or (p.endswith("/") and path.startswith(p)) for p in FIXED_PATHS)


def error_code(response):
    try:
        return json.loads(response.content)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


@schemathesis.check
def proxy_not_a_server_error(ctx, response, case):
    """A 5xx is the proxy's own unless an upstream's failure is reported with its documented code."""
    status = response.status_code
    if status < 500:
        return True
    code = error_code(response)
    if is_tool_route(case) and UPSTREAM_OWN.get(status) == code:
        return True
    raise AssertionError(f"The proxy's own server error: {status} {code or '(no error code)'}: {response.content[:300]!r}")
