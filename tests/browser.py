"""A headless Chromium driven by the Chrome DevTools protocol over a pipe (``--remote-debugging-pipe``:
JSON messages ended by NUL on file descriptors 3 and 4), without a WebSocket library."""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path


class BrowserError(RuntimeError):
    pass


class Chromium:
    """One headless browser showing one page; ``evaluate`` runs JavaScript in it."""

    def __init__(self, executable: str, url: str, profile: Path, width: int = 1000, height: int = 700) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # Above 4, so that the child's dup2 onto 3 and 4 never overwrites one with the other.
        high_r, high_w = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child_r, from_child_w))
        os.close(to_child_r)
        os.close(from_child_w)

        def wire() -> None:  # in the child: its fd 3 is read for commands, fd 4 written with replies
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--no-default-browser-check", "--remote-debugging-pipe", f"--user-data-dir={profile}",
             f"--window-size={width},{height}", url],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=wire)
        os.close(high_r)
        os.close(high_w)
        self._ids = itertools.count(1)
        self._replies: dict[int, queue.Queue] = {}
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.session = self._attach()

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_child, 65536)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        waiting = self._replies.get(message["id"])
                    if waiting is not None:
                        waiting.put(message)

    def send(self, method: str, params: dict | None = None, *, session: str | None = None,
             timeout: float = 10.0) -> dict:
        ident = next(self._ids)
        reply: queue.Queue = queue.Queue()
        with self._lock:
            self._replies[ident] = reply
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        try:
            answer = reply.get(timeout=timeout)
        except queue.Empty:
            raise BrowserError(f"no reply to {method} in {timeout} s") from None
        finally:
            with self._lock:
                del self._replies[ident]
        if "error" in answer:
            raise BrowserError(f"{method}: {answer['error']}")
        return answer["result"]

    def _attach(self) -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            pages = [t for t in self.send("Target.getTargets")["targetInfos"] if t["type"] == "page"]
            if pages:
                return self.send("Target.attachToTarget", {"targetId": pages[0]["targetId"], "flatten": True})[
                    "sessionId"]
            time.sleep(0.1)
        raise BrowserError("Chromium opened no page")

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                           session=self.session)
        if "exceptionDetails" in result:
            raise BrowserError(str(result["exceptionDetails"]))
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float) -> float:
        """Seconds until ``expression`` is true in the page (polled; a page reloading is retried)."""
        start = time.monotonic()
        last = None
        while time.monotonic() - start < timeout:
            try:
                if self.evaluate(expression):
                    return time.monotonic() - start
            except BrowserError as exc:  # the page between two documents
                last = exc
            time.sleep(0.05)
        raise BrowserError(f"not true after {timeout} s: {expression} (last error: {last})")

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (BrowserError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_child, self._from_child):
            try:
                os.close(fd)
            except OSError:
                pass
