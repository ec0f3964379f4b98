"""gunicorn's access log without the public intake pages (see cases/logging.py); enabled with
`--logger-class config.gunicorn_logging.PrivateAccessLogger`. The format already leaves out the client
address and user agent; this also leaves out *when* a whistleblower's request came."""

from gunicorn.glogging import Logger


class PrivateAccessLogger(Logger):
    def access(self, resp, req, environ, request_time):
        # Imported here: gunicorn loads the logger class before Django. A worker logs a request only after it
        # has loaded the application, so the prefixes come from the one source, where each kind mounts them.
        from cases import registry

        try:
            prefixes = registry.public_prefixes()
        except Exception:  # no URLconf to read them from: log no request rather than a reporter's
            prefixes = ("/",)
        if environ.get("PATH_INFO", "").startswith(prefixes):
            return
        super().access(resp, req, environ, request_time)
