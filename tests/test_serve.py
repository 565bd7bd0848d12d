"""`wizard serve`: loopback by default, a warning otherwise, and a real browser walking one step of a tree."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wizard import serve as serving
from wizard.cli import main
from wizard.core.loader import load_tree

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(""))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "host, loopback",
    [("127.0.0.1", True), ("127.8.9.10", True), ("localhost", True), ("::1", True), ("[::1]", True),
     ("0.0.0.0", False), ("::", False), ("192.168.1.5", False), ("wizard.example", False), ("", False)],
)
def test_loopback_addresses(host, loopback):
    assert serving.is_loopback(host) is loopback


def test_command_quotes_tree_folders_and_the_public_url():
    command = serving.app_command(["/tmp/my trees; rm -rf x"])
    assert command.split()[:3] == [sys.executable, "-m", "wizard"]
    assert "'/tmp/my trees; rm -rf x'" in command and command.endswith("'")
    assert serving.public_url("127.0.0.1", 8001) == "http://127.0.0.1:8001"
    assert serving.public_url("::1", 8001) == "http://[::1]:8001"
    assert not serving.public_url("0.0.0.0", 8001).startswith("http://0.0.0.0")


def test_serve_binds_loopback_by_default_and_warns_otherwise(monkeypatch):
    calls = []
    monkeypatch.setattr(serving, "serve", lambda host, port, **kw: calls.append((host, port)) or 0)
    code, _, err = run("serve")
    assert code == 0 and calls[-1] == ("127.0.0.1", 8000) and "warning" not in err
    code, _, err = run("serve", "--host", "0.0.0.0", "--port", "8123")
    assert code == 0 and calls[-1] == ("0.0.0.0", 8123)
    assert "warning" in err and "0.0.0.0" in err and "no login" in err.lower()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.2)
    return False


# Records what the server sends to the page's terminal, so the test reads the screen as text.
_RECORD_FRAMES = """
window.__frames = [];
const NativeSocket = window.WebSocket;
function RecordingSocket(url, protocols) {
  const socket = protocols === undefined ? new NativeSocket(url) : new NativeSocket(url, protocols);
  socket.addEventListener("message", (event) => {
    const data = event.data;
    if (typeof data === "string") { window.__frames.push(data); }
    else if (data instanceof ArrayBuffer) { window.__frames.push(new TextDecoder().decode(data)); }
    else if (data && data.text) { data.text().then((text) => window.__frames.push(text)); }
  });
  return socket;
}
RecordingSocket.prototype = NativeSocket.prototype;
Object.assign(RecordingSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
window.WebSocket = RecordingSocket;
"""
_ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>78]")


def _words(text: str, count: int = 5) -> str:
    return " ".join(text.split()[:count])


@pytest.fixture
def served(tmp_path):
    port = _free_port()
    env = dict(os.environ, WIZARD_DATA_DIR=str(tmp_path / "data"), WIZARD_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("WIZARD_TREES", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "wizard", "serve", "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        assert _wait_for_port(port, 30), "wizard serve did not start listening"
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromium-driver are not installed "
                    "(apt-get install chromium chromium-driver; .ci/run does)")
def test_a_browser_walks_one_step_and_sees_the_next_question(served, tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    tree = load_tree(ROOT / "trees" / "pending-site.yaml").tree
    first = tree.nodes[tree.start]
    typed = first.capture.example if first.capture is not None and not first.choices else ""
    second = tree.nodes[first.choices[0].next if first.choices else first.capture.next]
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,900",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _RECORD_FRAMES})
        driver.get(f"http://127.0.0.1:{served}/")

        def screen() -> str:
            return _ESCAPES.sub("", "".join(driver.execute_script("return window.__frames || [];")))

        def wait_for(text: str, seconds: float = 30) -> bool:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                if text in " ".join(screen().split()):
                    return True
                time.sleep(0.25)
            return False

        def wait_until_quiet(seconds: float = 30, quiet: float = 1.0) -> None:
            deadline = time.monotonic() + seconds
            size, since = -1, time.monotonic()
            while time.monotonic() < deadline:
                now = len(driver.execute_script("return window.__frames || [];"))
                if now != size:
                    size, since = now, time.monotonic()
                elif time.monotonic() - since >= quiet:
                    return
                time.sleep(0.1)

        assert wait_for("Describe the problem"), screen()[-2000:]
        keys = driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        keys.send_keys("our new secondary site stays pending in the console after the install")
        wait_until_quiet()  # the ranking follows the typing; Enter opens whatever is highlighted then
        keys.send_keys("\n")
        assert wait_for(_words(first.prompt)), screen()[-2000:]
        seen_before = len(screen())
        keys.send_keys(typed + "\n")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _words(second.prompt) not in " ".join(screen()[seen_before:].split()):
            time.sleep(0.25)
        assert _words(second.prompt) in " ".join(screen()[seen_before:].split()), screen()[-2000:]
    finally:
        driver.quit()
