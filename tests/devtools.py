"""A headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``): no driver,
no websocket library, nothing but the ``chromium`` that scripts/install_browser.sh installs.

Messages are JSON objects separated by a NUL byte; the browser reads commands on its file descriptor 3
and writes answers and events on 4. Commands for the page go to its session (flat mode).
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import subprocess
import time
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


class DevToolsError(RuntimeError):
    pass


class Browser:
    """One browser with one page. ``events`` keeps every event seen, in order."""

    def __init__(self, chromium: str, profile: Path, downloads: Path, width: int = 1280, height: int = 1000):
        to_browser_r, self._w = os.pipe()
        self._r, from_browser_w = os.pipe()

        def fds() -> None:  # in the child: the browser's ends of the pipes as its descriptors 3 and 4
            r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD_CLOEXEC, 100)  # out of the way of 3 and 4 first
            w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD_CLOEXEC, 100)
            os.dup2(r, 3)
            os.dup2(w, 4)

        # close_fds would close 3 and 4 after fds() ran; the pipes are not inheritable, so nothing else leaks
        self.proc = subprocess.Popen([chromium, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe",
                                      f"--window-size={width},{height}", "about:blank"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     preexec_fn=fds, close_fds=False)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buf = b""
        self._next = 0
        self.events: list[dict] = []
        self.session: str | None = None
        self.send("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(downloads), eventsEnabled=True,
                  session=None)
        target = self.send("Target.createTarget", url="about:blank", session=None)["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True, session=None)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")

    # -- the protocol
    def _read(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._r], [], [], left)[0]:
                raise DevToolsError("the browser did not answer in time")
            chunk = os.read(self._r, 1 << 16)
            if not chunk:
                raise DevToolsError("the browser closed the pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method: str, session: str | None | bool = True, timeout: float = 30, **params) -> dict:
        """Run a command (on the page's session unless ``session`` is None) and return its result."""
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params}
        if session is True and self.session:
            msg["sessionId"] = self.session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        while True:
            got = self._read(timeout)
            if got.get("id") == self._next:
                if "error" in got:
                    raise DevToolsError(f"{method}: {got['error']}")
                return got.get("result", {})
            self.events.append(got)

    def wait_for(self, method: str, timeout: float = 30, **match) -> dict:
        """The first event ``method`` whose params contain ``match`` (already seen, or still to come)."""
        def ok(e: dict) -> bool:
            return e.get("method") == method and all(e.get("params", {}).get(k) == v for k, v in match.items())

        for i, e in enumerate(self.events):
            if ok(e):
                return self.events.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            e = self._read(max(deadline - time.monotonic(), 0.01))
            if ok(e):
                return e
            self.events.append(e)

    # -- the page
    def open(self, url: str) -> None:
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def reload(self) -> None:
        self.events.clear()
        self.send("Page.reload")
        self.wait_for("Page.loadEventFired")

    def js(self, expression: str):
        """The value of a JavaScript expression in the page (awaited when it is a promise)."""
        r = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise DevToolsError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click (press and release) in the middle of the element, scrolled into view."""
        x, y = self.js(f"""(() => {{ const el = document.querySelector({json.dumps(selector)});
            el.scrollIntoView({{block: 'center'}}); const r = el.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + Math.min(r.height / 2, 10)]; }})()""")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def type(self, selector: str, text: str) -> None:
        self.click(selector)
        self.send("Input.insertText", text=text)

    def errors(self) -> list[str]:
        """Uncaught exceptions and console errors seen so far."""
        out = [e["params"]["exceptionDetails"].get("exception", {}).get("description")
               or e["params"]["exceptionDetails"].get("text", "") for e in self.events
               if e.get("method") == "Runtime.exceptionThrown"]
        out += [str(e["params"]["args"]) for e in self.events
                if e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") == "error"]
        out += [e["params"]["entry"]["text"] for e in self.events
                if e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error"]
        return out

    def close(self) -> None:
        try:
            self.send("Browser.close", session=None, timeout=5)
        except (DevToolsError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)
