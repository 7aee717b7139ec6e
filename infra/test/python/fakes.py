"""Local stand-ins for the instance's surroundings: an IMDSv2 endpoint and a cloudflared metrics
endpoint (real HTTP servers on 127.0.0.1), and fake commands put first on PATH."""

import http.server
import os
import pathlib
import stat
import threading


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_PUT(self):
        self._answer(self.server.routes.get(("PUT", self.path)))

    def do_GET(self):
        route = self.server.routes.get(("GET", self.path))
        needs = self.server.token_required and self.path.startswith("/latest/meta-data/")
        if needs and self.headers.get("X-aws-ec2-metadata-token") != "tok":
            return self._answer((401, ""))
        self._answer(route)

    def _answer(self, route):
        status, body = route or (404, "")
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Server:
    """Serves {(method, path): (status, body)} until stopped."""

    def __init__(self, routes, token_required=False):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.routes, self.httpd.token_required = routes, token_required
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def imds(env="dev", region="us-east-1"):
    routes = {("PUT", "/latest/api/token"): (200, "tok"), ("GET", "/latest/meta-data/placement/region"): (200, region)}
    if env is not None:
        routes[("GET", "/latest/meta-data/tags/instance/adv:env")] = (200, env)
    return Server(routes, token_required=True)


def command(bin_dir, name, script):
    """Writes an executable `name` (a shell script) into bin_dir."""
    path = pathlib.Path(bin_dir) / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def env_with(bin_dir, **extra):
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", **extra}
