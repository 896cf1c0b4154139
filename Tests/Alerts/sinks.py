#!/usr/bin/python3
"""Alert sinks for the tests: a webhook receiver (http.server) and an SMTP sink (aiosmtpd),
both on 127.0.0.1 with ports the kernel picks. Prints "webhook PORT" and/or "smtp PORT" on
standard output once listening; writes every request received into the folder given, one
file each (NNN.json: method, path, headers, body; NNN.eml: envelope and message), so the test
reads what really arrived. Runs until killed or its standard input closes.

  sinks.py --webhook DIR [--fail-first N]   answer 503 to the first N POSTs, then 200
           [--status CODE]                  ... then CODE instead of 200 (e.g. 400: a refusal)
  sinks.py --smtp DIR [--starttls CERT KEY] offer (and require) STARTTLS with that certificate
           [--auth USER PASSWORD]           require AUTH with these credentials (after STARTTLS)
           [--reject CODE]                  answer CODE (e.g. 550) to every message's DATA
"""
import argparse, asyncio, base64, json, os, ssl, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def store(folder, suffix, data):
    # Names in arrival order; written whole then renamed, so a reader never sees half a file.
    with store.lock:
        store.count += 1
        name = os.path.join(folder, "%03d.%s" % (store.count, suffix))
    with open(name + ".tmp", "wb") as f:
        f.write(data)
    os.rename(name + ".tmp", name)
store.lock = threading.Lock()
store.count = 0


def webhook(folder, fail_first, status):
    state = {"seen": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state["seen"] += 1
            answer = 503 if state["seen"] <= fail_first else status
            record = {"method": "POST", "path": self.path, "headers": dict(self.headers.items()),
                      "body": base64.b64encode(body).decode(), "answered": answer}
            store(folder, "json", json.dumps(record).encode())
            self.send_response(answer)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def smtp(folder, starttls, auth, reject):
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            head = "X-Sink-From: %s\r\nX-Sink-To: %s\r\nX-Sink-TLS: %s\r\nX-Sink-Auth: %s\r\nX-Sink-Answer: %d\r\n" % (
                envelope.mail_from, ",".join(envelope.rcpt_tos), "yes" if session.ssl else "no",
                session.auth_data.decode() if isinstance(session.auth_data, bytes) else "-",
                reject or 250)
            store(folder, "eml", head.encode() + envelope.original_content)
            return "%d 5.7.1 refused by the test sink" % reject if reject else "250 OK"

    def check(server, session, envelope, mechanism, data):
        # Only the login name is kept (X-Sink-Auth): the sink checks the password, never writes it.
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (auth[0].encode(), auth[1].encode())
        return AuthResult(success=ok, handled=False, auth_data=data.login if ok else None)

    context = None
    if starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(starttls[0], starttls[1])
    # Our own loop in a thread: aiosmtpd's Controller cannot listen on a port the kernel picks.
    loop = asyncio.new_event_loop()
    factory = lambda: SMTP(Sink(), hostname="sink.test", tls_context=context, require_starttls=bool(starttls),
                           decode_data=False, auth_require_tls=True, authenticator=check if auth else None,
                           auth_required=bool(auth))
    server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", 0))
    threading.Thread(target=loop.run_forever, daemon=True).start()
    return server.sockets[0].getsockname()[1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--webhook")
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--status", type=int, default=200)
    p.add_argument("--smtp")
    p.add_argument("--starttls", nargs=2)
    p.add_argument("--auth", nargs=2)
    p.add_argument("--reject", type=int, default=0)
    a = p.parse_args()
    if a.webhook:
        print("webhook", webhook(a.webhook, a.fail_first, a.status), flush=True)
    if a.smtp:
        print("smtp", smtp(a.smtp, a.starttls, a.auth, a.reject), flush=True)
    # Until the test closes our standard input (or kills us).
    sys.stdin.read()
    os._exit(0)


if __name__ == "__main__":
    main()
