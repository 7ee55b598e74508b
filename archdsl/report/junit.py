"""JUnit XML for CI dashboards: a test suite per file, a failing test case per finding.

Deterministic: no timestamps, host names or durations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..checker import CheckResult

import xml.etree.ElementTree as ET

from ..safetext import xml_safe


def render(findings, files: int, checked_files: list[str] | None = None) -> str:
    by_file: dict[str, list] = {name: [] for name in (checked_files or [])}
    for f in findings:
        by_file.setdefault(f.span.file, []).append(f)
    root = ET.Element("testsuites", name="archdsl", tests=str(max(len(findings), 0)),
                      failures=str(len(findings)))
    total = 0
    for name in sorted(by_file):
        found = by_file[name]
        suite = ET.SubElement(root, "testsuite", name=xml_safe(name), tests=str(max(len(found), 1)),
                              failures=str(len(found)), errors="0", skipped="0")
        if not found:
            ET.SubElement(suite, "testcase", classname=xml_safe(name), name="archdsl check")
            total += 1
            continue
        for f in found:
            total += 1
            case = ET.SubElement(suite, "testcase", classname=xml_safe(name),
                                 name=f"{f.code} {f.name} at {f.span.line}:{f.span.column}")
            failure = ET.SubElement(case, "failure", message=xml_safe(f.message), type=f.severity.value)
            failure.text = xml_safe(f"{f.span}: {f.code} {f.message}" + (f"\nhint: {f.hint}" if f.hint else ""))
    root.set("tests", str(total))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def report(result: CheckResult, *, colour: bool = False) -> str:
    return render(result.findings, result.files, sorted({f for ws in result.workspaces for f in ws.files}))
