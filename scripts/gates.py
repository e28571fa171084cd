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
KNOWN = GATES / "known_failures.txt"


def known_failures() -> dict[str, str]:
    """Gates allowed to fail for now (name -> reason), from gates/known_failures.txt."""
    if not KNOWN.exists():
        return {}
    out = {}
    for line in KNOWN.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.strip().partition(" ")
            out[name] = reason.strip()
    return out


def main() -> int:
    results = []
    for script in sorted(GATES.glob("*.py")):
        print(f"\n=== gate: {script.stem} ===", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script)], check=False)
        results.append((script.stem, proc.returncode, time.perf_counter() - t0))
    known = known_failures()
    print("\n=== gates summary ===")
    failed = []
    for name, rc, secs in results:
        if name in known:
            status = "XPASS (remove from known_failures.txt)" if rc == 0 else "XFAIL"
            print(f"{status}  {name}  ({secs:.1f}s): {known[name]}")
            continue
        print(f"{'PASS' if rc == 0 else 'FAIL'}  {name}  ({secs:.1f}s)")
        if rc != 0:
            failed.append(name)
    print(f"gates: {len(results) - len(failed)} passed or known, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
