"""Plan import speed: reading a published PDF into a plan's structure, against pdfplumber's bare text.

Usage: python benchmarks/bench_import.py [--repeat 3] [FILE.pdf ...]

Files: the published plans in ``../shared/plans/other/pdf`` (text PDFs of 4–23 pages) unless files are given.
For each file, best of ``--repeat``:
- T: what a dry-run import does before it touches the database — ``read_plan_bytes`` (text, paragraphs,
  page furniture, task tables) and ``parse_plan`` (outline, clauses, targets);
- B: pdfplumber opening the same bytes and calling ``extract_text()`` on every page (the bare text layer).
Printed per file: pages, T, B, T per page and the ratio T/B; then the time per page over all files, and at
the slowest file's rate (small files carry a fixed cost), and what each means for a 30-page plan. Goal (issue 35): a 30-page text PDF imported (dry run) in under 3 s on this machine.
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "plans" / "other" / "pdf"
GOAL_PAGES, GOAL_SECONDS = 30, 3.0


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    import pdfplumber

    from carbonpeak.plans import document as doc

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = args.files or sorted(SHARED.glob("*.pdf"))
    if not files:
        print(f"没有可测的 PDF：{SHARED} 不存在，请给出文件")
        return 2
    worst, total_t, total_pages = 0.0, 0.0, 0
    print(f"{'file':44s} {'pages':>5s} {'T (s)':>7s} {'B (s)':>7s} {'T/page':>7s} {'T/B':>5s}")
    for path in files:
        data = path.read_bytes()

        def imported(data=data, name=path.name):
            source = doc.read_plan_bytes(data, name)
            doc.parse_plan(source.text, source.tables)

        def bare(data=data):
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for page in pdf.pages:
                    page.extract_text()

        pages = doc.read_plan_bytes(data, path.name).pages or 1
        t, b = _best(imported, args.repeat), _best(bare, args.repeat)
        worst, total_t, total_pages = max(worst, t / pages), total_t + t, total_pages + pages
        print(f"{path.name[:44]:44s} {pages:5d} {t:7.2f} {b:7.2f} {t / pages:7.3f} {t / b:5.2f}")
    mean = total_t / total_pages
    estimate = mean * GOAL_PAGES
    print(
        f"all files: {total_t:.2f} s for {total_pages} pages, {mean:.3f} s per page: a {GOAL_PAGES}-page plan "
        f"≈ {estimate:.2f} s (goal < {GOAL_SECONDS:.0f} s, ratio {estimate / GOAL_SECONDS:.2f} of the goal); "
        f"at the slowest file's {worst:.3f} s per page ≈ {worst * GOAL_PAGES:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
