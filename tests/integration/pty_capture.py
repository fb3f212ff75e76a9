#!/usr/bin/python3
"""Run an interactive full-screen program on a pseudo-terminal and print what
it drew, with the terminal control sequences removed.

usage: pty_capture.py [--seconds N] [--until REGEX] [--quit KEYS] -- CMD...

The program runs on an 50x200 pty with TERM=xterm.  Output is collected until
REGEX matches the cleaned text (or N seconds pass, default 10), then KEYS are
typed (default "q"), and the program gets 3 more seconds before it is killed.
Exit status: 0 when REGEX matched (or no --until), 1 otherwise."""
import argparse
import fcntl
import os
import re
import select
import signal
import struct
import sys
import termios
import time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMNOPZc]|\x0f|\x0e")


def clean(raw: bytes) -> str:
    return ANSI.sub(b"", raw).replace(b"\r", b"").decode("utf-8", "replace")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--until", default=None)
    ap.add_argument("--quit", default="q")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no command")
    until = re.compile(a.until) if a.until else None

    pid, fd = os.forkpty()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.environ["LINES"] = "50"
        os.environ["COLUMNS"] = "200"
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))

    raw = b""
    matched = until is None
    deadline = time.monotonic() + a.seconds
    quit_sent_at = None
    exited = False
    while True:
        now = time.monotonic()
        if quit_sent_at is None and (now >= deadline or (until and matched)):
            try:
                os.write(fd, a.quit.encode())
            except OSError:
                pass
            quit_sent_at = now
        if quit_sent_at is not None and now - quit_sent_at > 3:
            break
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                exited = True
                break
            raw += chunk
            if until and not matched and until.search(clean(raw)):
                matched = True
    if not exited:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(clean(raw))
    sys.stdout.write("\n")
    sys.stderr.write("pty_capture: %s status=%d matched=%d\n" % (cmd[0], status, matched))
    return 0 if matched else 1


if __name__ == "__main__":
    sys.exit(main())
