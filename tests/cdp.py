"""A headless Chromium driven as a person drives it: keys pressed one at a time, over the
DevTools protocol on a pipe (`--remote-debugging-pipe`: JSON messages ended by NUL, read
by the browser on its fd 3 and written on its fd 4), with no library and no port.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

KEYS = {"Tab": 9, "Enter": 13}


class Page:
    """One page in a fresh headless Chromium; `close()` ends the browser."""

    def __init__(self, chromium: str, profile: Path, url: str, flags: tuple[str, ...] = ()):
        to_browser, self._out = os.pipe()
        self._in, from_browser = os.pipe()

        def pipes() -> None:  # in the child, before exec: the browser's fds 3 and 4
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        self._process = subprocess.Popen(
            [chromium, *flags, "--remote-debugging-pipe", f"--user-data-dir={profile}"],
            pass_fds=(3, 4),
            preexec_fn=pipes,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._last = 0
        self._session: str | None = None
        target = self.send("Target.createTarget", url=url)["targetId"]
        self._session = self.send("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self._last += 1
        message: dict[str, Any] = {"id": self._last, "method": method, "params": params}
        if self._session:
            message["sessionId"] = self._session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._in, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self._last:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return dict(answer["result"])

    def js(self, expression: str) -> Any:
        done = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return done["result"].get("value")

    def wait_for(self, expression: str, seconds: float = 10) -> None:
        end = time.monotonic() + seconds
        while not self._now(expression):
            if time.monotonic() > end:
                raise TimeoutError(expression)
            time.sleep(0.05)

    def _now(self, expression: str) -> Any:
        """`expression`'s value, or None while the page is being replaced by another (the
        browser then refuses to evaluate anything in it)."""
        try:
            return self.js(expression)
        except RuntimeError as e:
            if "navigated or closed" in str(e):
                return None
            raise

    def go(self, url: str) -> None:
        """Open `url` in this page, as following a link does."""
        self.send("Page.navigate", url=url)

    def press(self, key: str) -> None:
        """A key with no text of its own: Tab, Enter."""
        code = KEYS[key]
        text = {"text": "\r"} if key == "Enter" else {}
        self.send("Input.dispatchKeyEvent", type="keyDown", key=key, code=key,
                  windowsVirtualKeyCode=code, **text)  # fmt: skip
        self.send("Input.dispatchKeyEvent", type="keyUp", key=key, code=key,
                  windowsVirtualKeyCode=code)  # fmt: skip

    def type(self, text: str) -> None:
        """Characters typed one by one, each a key down and up."""
        for ch in text:
            self.send("Input.dispatchKeyEvent", type="keyDown", key=ch, text=ch)
            self.send("Input.dispatchKeyEvent", type="keyUp", key=ch)

    def focused(self) -> str:
        return str(self.js("document.activeElement.id || document.activeElement.tagName"))

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError):  # it may be gone already
            self.send("Browser.close")
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
        os.close(self._out)
        os.close(self._in)
