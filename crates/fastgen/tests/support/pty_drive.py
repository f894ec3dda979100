"""Run a command under a pseudo-terminal, type the given answers, print what it showed.

Usage: python3 pty_drive.py <cwd> <answers joined by '|'> -- <command…>
Each answer is sent after the screen has been quiet for a moment; `\\n` ends an answer.
"""

import os
import pty
import select
import sys
import time

cwd, answers = sys.argv[1], sys.argv[2].split("|")
command = sys.argv[sys.argv.index("--") + 1 :]
pid, fd = pty.fork()
if pid == 0:
    os.chdir(cwd)
    os.environ.pop("CI", None)
    os.environ["NO_COLOR"] = "1"
    os.execv(command[0], command)

output = b""


def drain(quiet: float) -> bool:
    """Read until the child is quiet for `quiet` seconds; False once it has exited."""
    global output
    while True:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            return True
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return False
        if not chunk:
            return False
        output += chunk


deadline = time.time() + 30
alive = drain(0.5)
for answer in answers:
    if not alive:
        break
    os.write(fd, answer.encode().replace(b"\\n", b"\r"))
    alive = drain(0.3)
while alive and time.time() < deadline:
    alive = drain(0.5)
_, status = os.waitpid(pid, 0)
sys.stdout.write(output.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
