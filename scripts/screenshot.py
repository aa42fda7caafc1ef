#!/usr/bin/env python3
"""Screenshots of pages as a signed-in user sees them, in Debian's headless Chromium.

    scripts/screenshot.py BASE USER PASSWORD WIDTH OUTDIR PATH [PATH ...]
    scripts/screenshot.py http://127.0.0.1:8080 disaster '…' 375 /tmp/shots /contacts /warning/policies

Drives chromedriver over plain W3C WebDriver HTTP (standard library only): logs in on /login,
then saves OUTDIR/<path>-<WIDTH>.png for each path, the window as tall as the page.
"""
import base64
import json
import os
import subprocess
import sys
import time
import urllib.request

# The W3C web-element reference key.
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def main():
    base, user, password, width, out = sys.argv[1:6]
    paths = sys.argv[6:]
    port = 9515 + os.getpid() % 500
    driver = subprocess.Popen(["chromedriver", f"--port={port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    url = f"http://127.0.0.1:{port}"

    def call(method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url + path, method=method, data=data,
                                     headers={"Content-Type": "application/json"})
        return json.load(urllib.request.urlopen(req))["value"]

    try:
        args = ["--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},900"]
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": "/usr/bin/chromium", "args": args}}}}
        session = "/session/" + call("POST", "/session", caps)["sessionId"]

        def find(css):
            return call("POST", session + "/element", {"using": "css selector", "value": css})[ELEMENT]

        call("POST", session + "/url", {"url": base + "/login"})
        call("POST", f"{session}/element/{find('input[name=username]')}/value", {"text": user})
        call("POST", f"{session}/element/{find('input[name=password]')}/value", {"text": password})
        call("POST", f"{session}/element/{find('button[type=submit]')}/click", {})
        time.sleep(1)
        os.makedirs(out, exist_ok=True)
        for path in paths:
            call("POST", session + "/url", {"url": base + path})
            time.sleep(0.8)
            height = call("POST", session + "/execute/sync",
                          {"script": "return document.documentElement.scrollHeight", "args": []})
            call("POST", session + "/window/rect", {"width": int(width), "height": min(int(height) + 120, 4000)})
            time.sleep(0.3)
            name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
            target = f"{out}/{name}-{width}.png"
            with open(target, "wb") as f:
                f.write(base64.b64decode(call("GET", session + "/screenshot")))
            print(target)
        call("DELETE", session)
    finally:
        driver.kill()


if __name__ == "__main__":
    main()
