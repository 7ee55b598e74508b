"""How fast `archdsl preview` redraws after a save, measured as a page meets it.

    python bench/preview_bench.py [COMPONENTS...]     # default 10 and 100

For each size, starts `archdsl preview` on a synthetic spec, asks for the system view (the first
drawing), then saves the spec seven times (a title changed, the file replaced as editors save)
and times each save until the page's event stream says it is drawn, and until the page has the
new drawing; medians with the range.
"""

from __future__ import annotations

import http.client
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synth import synthetic_spec  # noqa: E402


def measure(n: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="archdsl-preview-"))
    spec = folder / "big.arch"
    text = synthetic_spec(n)
    spec.write_text(text)
    process = subprocess.Popen([sys.executable, "-m", "archdsl", "preview", str(spec), "--port", "0"],
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", line).group(1))
        host = {"Host": f"127.0.0.1:{port}"}

        def get(path: str) -> bytes:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            connection.request("GET", path, headers=host)
            body = connection.getresponse().read()
            connection.close()
            return body

        started = time.perf_counter()
        get("/view.svg?view=system")
        first = time.perf_counter() - started
        stream = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        stream.request("GET", "/events", headers=host)
        events = stream.getresponse()

        def next_event() -> dict:
            while True:
                line = events.fp.readline().decode()
                if line.startswith("data: "):
                    return json.loads(line[6:])

        next_event()  # the state when it connected
        told, redrawn = [], []
        for index in range(7):
            saving = folder / ".big.arch.saving"
            saving.write_text(text.replace('actor user "User"', f'actor user "User {index}"', 1))
            saved = time.perf_counter()
            saving.replace(spec)
            next_event()
            told.append(time.perf_counter() - saved)
            get("/view.svg?view=system")
            redrawn.append(time.perf_counter() - saved)

        def ms(values):
            return f"{1000 * statistics.median(values):.0f} ms ({1000 * min(values):.0f}–{1000 * max(values):.0f})"

        print(f"{n:,} components: first drawing {first:.2f} s; a save until the page is told {ms(told)}, "
              f"until it has the new drawing {ms(redrawn)}")
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [10, 100]:
        measure(size)
