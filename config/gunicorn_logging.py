"""gunicorn's access log without the public intake pages (see cases/logging.py); enabled with
`--logger-class config.gunicorn_logging.PrivateAccessLogger`. The format already leaves out the client
address and user agent; this also leaves out *when* a whistleblower's request came."""

from gunicorn.glogging import Logger

PUBLIC_PREFIXES = ("/wbs/lapor/",)


class PrivateAccessLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO", "").startswith(PUBLIC_PREFIXES):
            return
        super().access(resp, req, environ, request_time)
