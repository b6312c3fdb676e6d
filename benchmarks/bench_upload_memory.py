"""Memory of a worker reading an upload: the issue-15 decompression bomb against an ordinary form.

Usage: python benchmarks/bench_upload_memory.py [--gigabytes 1]

Builds, in this run, an energy form filled the ordinary way (the baseline) and a ~1 MB .xlsx whose
shared-strings part decompresses to N GB (the probe that took a worker from 415 MB to 2.4 GB), then reads each
in a fresh process through ``energy.workbook.read_upload`` — the path every upload takes — and prints each
process's peak resident memory. The last line prints the bomb's peak, its ratio against the baseline, and
whether it stays under the issue's goal of 300 MB.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from carbonpeak.energy import workbook
from carbonpeak.energy.factors import load_factor_set

GOAL_MB = 300

READER = """
import resource, sys, time
from pathlib import Path
from carbonpeak.energy import workbook
data = Path(sys.argv[1]).read_bytes()
started = time.perf_counter()
form = workbook.read_upload(data, "upload.xlsx")
elapsed = time.perf_counter() - started
first = str(form.errors[0]) if form.errors else "accepted"
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, elapsed, len(form.records), first[:80], sep="\\t")
"""


def ordinary_form() -> bytes:
    """The template filled as a statistics office would (fuels, electricity use and balance, economy)."""
    factors = load_factor_set("national")
    wb = load_workbook(io.BytesIO(workbook.template_bytes("2025Q3", "太仓市", factors=factors)))
    fuels = wb[workbook.FUELS_SHEET]
    fuels["D4"], fuels["D11"] = 12.5, 0.8
    wb[workbook.POWER_USE_SHEET]["B4"] = 1200
    balance = wb[workbook.POWER_BALANCE_SHEET]
    balance["C7"], balance["C13"], balance["C16"] = 300, 900, 0
    economy = wb[workbook.ECONOMY_SHEET]
    economy["B4"], economy["B5"], economy["B7"] = 1300.5, 5.1, 85.2
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bomb(decompressed: int) -> bytes:
    template = zipfile.ZipFile(io.BytesIO(workbook.template_bytes("2025Q1", "太仓市")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in template.infolist():
            if item.filename != "xl/sharedStrings.xml":
                archive.writestr(item, template.read(item))
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            chunk = b"a" * (1 << 20)
            for _ in range(decompressed // len(chunk)):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return out.getvalue()


def measure(data: bytes) -> tuple[float, float, int, str]:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        handle.write(data)
        handle.flush()
        out = subprocess.run(
            [sys.executable, "-c", READER, handle.name], capture_output=True, text=True, check=True
        ).stdout.strip()
    rss, elapsed, records, first = out.split("\t")
    return float(rss), float(elapsed), int(records), first


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gigabytes", type=float, default=1.0)
    args = parser.parse_args()
    started = time.perf_counter()
    cases = {
        "ordinary form": ordinary_form(),
        f"bomb ({args.gigabytes:g} GB decompressed)": bomb(int(args.gigabytes * 2**30)),
    }
    print(f"files built in {time.perf_counter() - started:.1f} s")
    peaks = {}
    for name, data in cases.items():
        rss, elapsed, records, first = measure(data)
        peaks[name] = rss
        print(
            f"{name}: {len(data) / 2**20:.2f} MB file, peak {rss:.0f} MB, read in {elapsed:.2f} s, "
            f"{records} records, {first}"
        )
    baseline, probe = peaks.values()
    verdict = "under" if probe < GOAL_MB else "OVER"
    print(
        f"bomb peak {probe:.0f} MB = {probe / baseline:.2f} × ordinary form ({baseline:.0f} MB); "
        f"{verdict} the {GOAL_MB} MB goal"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
