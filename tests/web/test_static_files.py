"""Static files: hashed names once collected (cached forever by the browser), plain names before."""

from __future__ import annotations

import json

from carbonpeak.web.static_storage import StaticFiles


def test_names_are_hashed_once_collected_and_plain_before(tmp_path):
    assert StaticFiles(location=tmp_path).url("web/forms.js") == "/static/web/forms.js"
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"web/forms.js": "web/forms.0123456789ab.js"}, "version": "1.1"})
    )
    assert StaticFiles(location=tmp_path).url("web/forms.js") == "/static/web/forms.0123456789ab.js"
