#!/usr/bin/env python3
"""Render the HTML report in headless Chromium and fail on console errors, script, or horizontal overflow.

Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe: commands on fd 3, replies on fd 4,
NUL-separated JSON), so the test needs only the standard library and injects nothing into the page: the measurements
run through Runtime.evaluate, which a page's Content-Security-Policy does not block. For the bundled example and the
hostile ledger, and a `report --live` page from the fake AWS with hostile tag values, runtime and KMS key (when the
fake is in the tree), it checks, at 1280 px wide on screen and at A4-landscape width in print media:
  - no console error, no uncaught exception, no log entry at level error (a CSP violation from injected script is one);
  - no horizontal overflow (document and every element stay inside the viewport width);
  - no <script>, no event-handler attribute, no javascript: link, no <img>/<iframe>/<object>, body still visible;
  - one table row and one timeline bar per exclusion, hostile text shown literally;
and saves full-page screenshots under $IL_TEST_OUT. Exit 77 (skip) only when chromium is not installed.
"""
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("IL_BIN", "build/inspector-ledger")
SRC = os.environ.get("IL_SOURCE_DIR", ".")
OUT = os.environ.get("IL_TEST_OUT", tempfile.gettempdir())
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


class Browser:
    def __init__(self, profile):
        cmd_r, cmd_w = os.pipe()
        res_r, res_w = os.pipe()
        # Keep our ends away from 3 and 4 so the dup2 in the child cannot clobber them.
        hi_cmd_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 10)
        hi_res_w = fcntl.fcntl(res_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(cmd_r)
        os.close(res_w)

        def child_fds():
            os.dup2(hi_cmd_r, 3)  # dup2 targets are inheritable; everything else Python opened is close-on-exec
            os.dup2(hi_res_w, 4)

        args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--user-data-dir=" + profile, "--remote-debugging-pipe", "about:blank"]
        self.proc = subprocess.Popen(args, preexec_fn=child_fds, close_fds=False, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(hi_cmd_r)
        os.close(hi_res_w)
        self.wr = cmd_w
        self.rd = res_r
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self.rd], [], [], left)
            if ready:
                chunk = os.read(self.rd, 1 << 20)
                if not chunk:
                    raise EOFError("chromium closed the DevTools pipe")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.wr, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method, timeout=30):
        deadline = time.monotonic() + timeout
        for i, ev in enumerate(self.events):
            if ev.get("method") == method:
                return self.events.pop(i)
        while True:
            ev = self._read_message(deadline)
            if ev.get("method") == method:
                return ev
            self.events.append(ev)

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except Exception:  # noqa: BLE001 - closing is best effort; the process is killed below
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.wr)
        os.close(self.rd)


MEASURE = r"""
(() => {
  const de = document.documentElement, vw = de.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 1) {
      wide.push(el.tagName + (el.className && el.className.baseVal === undefined ? '.' + el.className : '') +
                ' right=' + Math.round(r.right));
    }
  }
  let onattrs = 0, jslinks = 0;
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.toLowerCase().startsWith('on')) onattrs++;
      if ((a.name === 'href' || a.name === 'src' || a.name === 'xlink:href') &&
          a.value.trim().toLowerCase().startsWith('javascript:')) jslinks++;
    }
  }
  return {
    viewport: vw, scrollWidth: de.scrollWidth, bodyScrollWidth: document.body.scrollWidth, wide: wide.slice(0, 10),
    scripts: document.querySelectorAll('script').length,
    embeds: document.querySelectorAll('img, iframe, object, embed, link, base, meta[http-equiv=refresh]').length,
    onattrs, jslinks,
    bodyDisplay: getComputedStyle(document.body).display,
    rows: document.querySelectorAll('table.rows tbody tr').length,
    bars: document.querySelectorAll('svg.timeline rect').length,
    today: document.querySelectorAll('svg.timeline line.today').length,
    text: document.body.innerText,
    height: Math.ceil(de.scrollHeight)
  };
})()
"""


def measure(b, session):
    res = b.call("Runtime.evaluate", {"expression": MEASURE, "returnByValue": True}, session)
    if "exceptionDetails" in res:
        raise RuntimeError("measurement failed: %s" % res["exceptionDetails"])
    return res["result"]["value"]


def console_errors(events):
    errs = []
    for ev in events:
        m, p = ev.get("method"), ev.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            errs.append("console.%s: %s" % (p["type"], [a.get("value") for a in p.get("args", [])]))
        elif m == "Runtime.exceptionThrown":
            errs.append("exception: %s" % p.get("exceptionDetails", {}).get("text"))
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            errs.append("log error: %s" % p["entry"].get("text"))
    return errs


def check_report(b, name, html_path, expect_rows, must_show):
    target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log"):
        b.call(domain + ".enable", session=session)
    b.call("Emulation.setDeviceMetricsOverride",
           {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, session)
    b.events.clear()
    b.call("Page.navigate", {"url": "file://" + os.path.abspath(html_path)}, session)
    b.wait_event("Page.loadEventFired")
    time.sleep(0.3)  # let late console messages arrive
    b.call("Runtime.evaluate", {"expression": "1"}, session)  # flush pending events into b.events

    m = measure(b, session)
    where = "%s (screen, 1280px)" % name
    if m["scrollWidth"] > m["viewport"] or m["bodyScrollWidth"] > m["viewport"]:
        fail("%s: horizontal overflow: scrollWidth %s > %s" % (where, m["scrollWidth"], m["viewport"]))
    if m["wide"]:
        fail("%s: elements past the right edge: %s" % (where, m["wide"]))
    if m["scripts"] or m["onattrs"] or m["jslinks"] or m["embeds"]:
        fail("%s: active content: scripts=%d on*=%d javascript:=%d img/iframe/object/link/base=%d"
             % (where, m["scripts"], m["onattrs"], m["jslinks"], m["embeds"]))
    if m["bodyDisplay"] == "none":
        fail("%s: injected CSS hid the body" % where)
    if m["rows"] != expect_rows or m["bars"] != expect_rows or m["today"] != 1:
        fail("%s: expected %d rows and bars and one as-of line, got rows=%d bars=%d today=%d"
             % (where, expect_rows, m["rows"], m["bars"], m["today"]))
    for s in must_show:
        if s not in m["text"]:
            fail("%s: text not shown literally: %r" % (where, s))

    # Full-page screenshot for a person to look at.
    height = min(max(m["height"], 800), 12000)
    b.call("Emulation.setDeviceMetricsOverride",
           {"width": 1280, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
    shot = b.call("Page.captureScreenshot", {"format": "png"}, session)
    png = os.path.join(OUT, "%s.png" % name)
    with open(png, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    print("screenshot: %s (%d px high)" % (png, height))

    # Print: A4 landscape minus 12 mm margins is about 1031 CSS px wide.
    b.call("Emulation.setEmulatedMedia", {"media": "print"}, session)
    b.call("Emulation.setDeviceMetricsOverride",
           {"width": 1031, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, session)
    m = measure(b, session)
    if m["scrollWidth"] > m["viewport"] or m["wide"]:
        fail("%s (print): horizontal overflow: scrollWidth %s > %s %s"
             % (name, m["scrollWidth"], m["viewport"], m["wide"]))
    pdf = b.call("Page.printToPDF", {"landscape": True, "printBackground": True, "paperWidth": 11.69,
                                     "paperHeight": 8.27}, session, timeout=60)
    pdf_bytes = base64.b64decode(pdf["data"])
    if not pdf_bytes.startswith(b"%PDF"):
        fail("%s: printing to PDF failed" % name)
    with open(os.path.join(OUT, "%s.pdf" % name), "wb") as f:
        f.write(pdf_bytes)

    b.call("Runtime.evaluate", {"expression": "1"}, session)
    errs = console_errors(b.events)
    if errs:
        fail("%s: console errors: %s" % (name, errs))
    b.call("Target.closeTarget", {"targetId": target})


def render(ledger, as_of, html_path):
    proc = subprocess.run([BIN, "report", "--format", "html", "--as-of", as_of, "--output", html_path, ledger],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        fail("report for %s exited %d: %s" % (ledger, proc.returncode, proc.stderr))


def render_live(html_path):
    """report --live against the fake AWS with hostile AWS strings (tests/integration/livelib.py). Returns the
    strings that must be shown literally, or None when the fake AWS is not in this tree."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        import livelib
    except (ImportError, SystemExit):
        print("note: no fake AWS in this tree: the --live page is not rendered", file=sys.stderr)
        return None
    wd = livelib.Workdir("report-live-chromium", livelib.LIVE_ENTRIES + [livelib.entry("asia-fn", region="ap-east-1")])
    with livelib.start_live_fake(OUT) as fake:
        # ap-east-1 is not enabled for the fake's account: a not-verified region too, so every live element shows
        # --with-history too: the widest table the report draws (history and live columns) must still fit
        rc, text, err = livelib.run_report(fake, wd, "--with-history", fmt="html")
    if rc != 3:
        fail("report --live exited %d (expected 3: ap-east-1 is not verified): %s" % (rc, err[-2000:]))
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(text)
    return [livelib.HOSTILE_TAGS["InspectorExclusion"], livelib.HOSTILE_RUNTIME, livelib.HOSTILE_KMS.split(" ")[0],
            "</td><script>x</script>", "</style><style>body{display:none}</style>", "Unrecorded exclusions found in AWS",
            "Not verified (1)", "deprecated since 2023-12-04"]


def livelib_rows():
    import livelib
    return livelib.LIVE_ENTRIES + [None]  # plus asia-fn


def main():
    if CHROMIUM is None:
        print("chromium is not installed (ci/setup.sh --test installs it): skipping", file=sys.stderr)
        return 77
    os.makedirs(OUT, exist_ok=True)
    example = os.path.join(SRC, "ledger-example/security/inspector-exclusions.yaml")
    hostile = os.path.join(SRC, "tests/data/report-hostile.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        ex_html = os.path.join(OUT, "report.html")
        ho_html = os.path.join(OUT, "report-hostile.html")
        render(example, "2027-02-25", ex_html)
        render(hostile, "2026-05-28", ho_html)
        live_html = os.path.join(OUT, "report-live.html")
        live_show = render_live(live_html)
        if failures:
            return 1
        with open(example, encoding="utf-8") as f:
            example_rows = sum(1 for line in f if line.strip().startswith("- target:"))
        b = Browser(os.path.join(tmp, "profile"))
        try:
            check_report(b, "report", ex_html, example_rows, ["orders-api", "SEC-1412"])
            check_report(b, "report-hostile", ho_html, 4,
                         ['<script>alert("x")</script>', "javascript:alert(document.cookie)", "=cmd|' /C calc'!A0",
                          "</style><style>body{display:none}</style>", "<b>team</b> | pipe"])
            if live_show is not None:
                check_report(b, "report-live", live_html, len(livelib_rows()), live_show)
        finally:
            b.close()
    if failures:
        print("%d failure(s)" % len(failures), file=sys.stderr)
        return 1
    print("ok: example, hostile and live reports render without errors or overflow")
    return 0


if __name__ == "__main__":
    sys.exit(main())
