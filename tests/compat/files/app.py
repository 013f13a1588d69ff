# The python-app workload: a small HTTP service as Python images run them (as root, no USER):
# each request writes a scratch file through tempfile and answers with its size.
import http.server
import sys
import tempfile


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with tempfile.TemporaryFile() as scratch:
            scratch.write(b"x" * 4096)
            size = scratch.tell()
        body = ("python ok %d\n" % size).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write("app: " + fmt % args + "\n")


port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
