"""Parse a Chinese policy plan (实施方案/行动方案) into its structure.

Pure package: no Django. The rules follow the drafting conventions of Chinese government documents (GB/T 9704
numbering 一、 （一） 1. （1）, responsibility clauses in full-width brackets, dated targets introduced by
到20XX年), never the content of one particular plan, so that any plan written in these conventions parses and
anything else is reported instead of guessed.

- ``shapes``: what a parsed plan is (sections, actions, tasks, clauses, targets) and its JSON form;
- ``files``: reading a plan file (text in UTF-8 or GB18030, .docx, text PDF through ``pdf``);
- ``pdf``: a published PDF's text layer back into paragraphs, page furniture and tables kept apart;
- ``tables``: task tables (重点任务分工表) and indicator tables into sections;
- ``aliases``: short names of bodies mapped to the full names in the same document;
- ``numbering``: heading numbers, Chinese numerals, normalisation;
- ``clauses``: responsibility clauses into lead, supporting and implementing bodies;
- ``targets``: dated targets with comparator, value, unit and base year;
- ``outline``: headings into sections, actions and tasks (``parse_plan``);
- ``roundtrip``: the region a plan is for, and a parsed plan back from its JSON form.
"""

from __future__ import annotations

from .clauses import classify_department, parse_clause
from .files import decode_plan_bytes, read_plan_bytes, read_plan_file, read_plan_source
from .numbering import chinese_numeral
from .outline import parse_plan
from .pdf import SourceDocument
from .roundtrip import guess_region, plan_from_dict
from .shapes import (
    COMPARATORS,
    Action,
    Clause,
    PlanDocument,
    PlanParseError,
    Section,
    Subsection,
    Target,
    Task,
)
from .tables import SourceTable
from .targets import extract_targets

__all__ = [
    "COMPARATORS",
    "Action",
    "Clause",
    "PlanDocument",
    "PlanParseError",
    "Section",
    "Subsection",
    "Target",
    "Task",
    "chinese_numeral",
    "classify_department",
    "decode_plan_bytes",
    "extract_targets",
    "guess_region",
    "parse_clause",
    "parse_plan",
    "plan_from_dict",
    "read_plan_bytes",
    "read_plan_file",
    "read_plan_source",
    "SourceDocument",
    "SourceTable",
]
