"""Static files named by their content once collected, so browsers keep them forever."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFiles(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed, hashed storage (``carbonpeak serve`` and ``make demo`` run collectstatic
    first: ``echarts.min.js`` becomes ``echarts.min.b91b9de4da16.js``, served gzip/brotli with a one-year,
    immutable cache header). Before anything is collected — the test suite, a process that only renders —
    the plain names are used and served from the source folders, instead of every page failing."""

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return super().stored_name(name)
