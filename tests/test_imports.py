"""Imports: relative to the importing file, each file once, cycles and escapes reported."""

from __future__ import annotations

import os

import archdsl
import pytest


def codes(ws):
    return [(f.code, os.path.basename(f.span.file), f.span.line) for f in ws.findings]


def test_relative_import_from_a_subfolder(write):
    root = write({
        "app/main.arch": 'import "../lib/db.arch"\nsystem app { component api; api -> lib.db }\n',
        "lib/db.arch": "system lib { component db { kind database } }\n",
    })
    ws = archdsl.load(root, strict=False)
    assert ws.findings == []
    assert {s.id for s in ws.systems} == {"app", "lib"}
    assert ws.system("app").relations[0].target == "lib.db"
    # the same file given alone has its own folder as the root: the import leaves it
    ws = archdsl.load(root / "app" / "main.arch", strict=False)
    assert [f.code for f in ws.findings] == ["AD104", "AD101"]


def test_import_of_a_file_in_the_root_folder(write):
    root = write({
        "main.arch": 'import "shared/db.arch"\nsystem app { component api; api -> lib.db }\n',
        "shared/db.arch": "system lib { component db }\n",
    })
    ws = archdsl.load(root / "main.arch")
    assert sorted(ws.files) == ["main.arch", os.path.join("shared", "db.arch")]


def test_each_file_is_loaded_once(write):
    root = write({
        "main.arch": 'import "b.arch"\nimport "c.arch"\nsystem a { component x }\n',
        "b.arch": 'import "d.arch"\nsystem b { component x }\n',
        "c.arch": 'import "./d.arch"\nimport "sub/../d.arch"\nsystem c { component x }\n',
        "d.arch": "system d { component x }\n",
        "sub/.keep.arch": "system hidden_in_sub { component x }\n",
    })
    ws = archdsl.load(root / "main.arch")
    assert ws.findings == []
    assert sorted(s.id for s in ws.systems) == ["a", "b", "c", "d"]
    # loading the folder finds the same files without loading any of them twice
    ws = archdsl.load(root, strict=False)
    assert [f.code for f in ws.findings] == []
    assert len(ws.files) == 5


def test_cycle_is_reported_with_its_chain(write):
    root = write({
        "a.arch": 'import "b.arch"\nsystem a { component x }\n',
        "b.arch": 'import "c.arch"\nsystem b { component x }\n',
        "c.arch": 'import "a.arch"\nsystem c { component x }\n',
    })
    ws = archdsl.load(root / "a.arch", strict=False)
    [cycle] = ws.findings
    assert cycle.code == "AD103"
    assert cycle.message == "import cycle: a.arch → b.arch → c.arch → a.arch"
    assert (os.path.basename(cycle.span.file), cycle.span.line) == ("c.arch", 1)


def test_self_import_is_a_cycle(write):
    root = write({"a.arch": 'import "a.arch"\nsystem a { component x }\n'})
    ws = archdsl.load(root / "a.arch", strict=False)
    assert codes(ws) == [("AD103", "a.arch", 1)]


def test_import_outside_the_root_is_refused_and_never_read(write, tmp_path):
    root = write({
        "specs/main.arch": 'import "../secret.arch"\nsystem a { component x }\n',
        "secret.arch": "this is not even valid { syntax",
    })
    ws = archdsl.load(root / "specs", strict=False)
    assert codes(ws) == [("AD104", "main.arch", 1)]
    assert "outside the spec root" in ws.findings[0].message
    assert all("secret" not in f for f in ws.files)


def test_symlink_that_leaves_the_root_is_refused(write):
    root = write({
        "specs/main.arch": 'import "link.arch"\nsystem a { component x }\n',
        "outside/real.arch": "broken { syntax",
    })
    (root / "specs" / "link.arch").symlink_to(root / "outside" / "real.arch")
    ws = archdsl.load(root / "specs" / "main.arch", strict=False)
    # the walk of the folder meets the link as well: both are refused, neither is read
    assert {f.code for f in ws.findings} == {"AD104"}
    ws = archdsl.load(root / "specs", strict=False)
    assert {f.code for f in ws.findings} == {"AD104"}
    assert not any(f.code == "AD100" for f in ws.findings)


def test_symlink_inside_the_root_is_followed(write):
    root = write({
        "main.arch": 'import "alias.arch"\nsystem a { component x }\n',
        "lib/real.arch": "system lib { component y }\n",
    })
    (root / "alias.arch").symlink_to(root / "lib" / "real.arch")
    ws = archdsl.load(root / "main.arch")
    assert sorted(s.id for s in ws.systems) == ["a", "lib"]


@pytest.mark.parametrize("target, code, message", [
    ("notes.txt", "AD104", "is not a .arch file"),
    ("folder.arch", "AD104", "is not a regular file"),
    ("missing.arch", "AD110", "does not exist"),
])
def test_import_of_something_that_is_not_a_spec(write, target, code, message):
    root = write({
        "main.arch": f'import "{target}"\nsystem a {{ component x }}\n',
        "notes.txt": "system b { component y }\n",
    })
    (root / "folder.arch").mkdir()
    ws = archdsl.load(root / "main.arch", strict=False)
    [finding] = ws.findings
    assert (finding.code, finding.span.line, finding.span.column) == (code, 1, 8)
    assert message in finding.message
