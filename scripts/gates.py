"""Run every model quality gate in scripts/gates/ and summarize; exit 1 if any fails.

Each gate is a standalone script that reads ../shared (or its path argument), prints what it
measured and exits non-zero when the shipped models miss their target.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

GATES = Path(__file__).resolve().parent / "gates"


def main() -> int:
    results = []
    for script in sorted(GATES.glob("*.py")):
        print(f"\n=== gate: {script.stem} ===", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script)], check=False)
        results.append((script.stem, proc.returncode, time.perf_counter() - t0))
    print("\n=== gates summary ===")
    for name, rc, secs in results:
        print(f"{'PASS' if rc == 0 else 'FAIL'}  {name}  ({secs:.1f}s)")
    failed = [name for name, rc, _ in results if rc != 0]
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
