"""`archdsl recommend` reproduces the framework's worked examples from requirements alone."""

from __future__ import annotations

import json

import archdsl
import pytest
from archdsl.analysis.matrix import recommend
from click.testing import CliRunner

from archdsl.cli import main
from conftest import SPECS

# The framework's decisions for each worked example's components (framework § Worked examples).
WORKED_EXAMPLES = {
    "scenarios/elearning.arch": {
        "video_cdn": "stateless", "progress": "stateless", "auth": "stateless",
        "live_qa": "stateful", "search": "stateless",
    },
    "scenarios/b2b-saas.arch": {
        "dashboard_api": "stateless", "reports": "stateless", "sso": "stateless",
        "cursors": "stateful", "jobs": "stateless",
    },
    # "Substantial statefulness for core gameplay, but metagame features remain stateless";
    # gaming's stateful uses are "game servers, voice chat, lobbies" (framework § Industry benchmarks).
    "scenarios/multiplayer-game.arch": {
        "game_server": "stateful", "voice": "stateful", "lobby": "stateful",
        "profiles": "stateless", "store": "stateless", "leaderboard": "stateless",
        "matchmaking": "stateless", "api_gateway": "stateless",
    },
}


def _strip_declarations(text: str) -> str:
    """The spec with every `state` line removed: requirements alone decide."""
    lines = [line for line in text.splitlines() if not line.strip().startswith("state ")]
    return "\n".join(lines)


@pytest.mark.parametrize("spec", sorted(WORKED_EXAMPLES))
def test_worked_examples_come_out_as_the_framework_decides(spec):
    text = _strip_declarations((SPECS / spec).read_text())
    ws = archdsl.loads(text, filename="scenario.arch")
    [system] = ws.systems
    got = {c.id: recommend(c).recommended for c in system.components if c.id in WORKED_EXAMPLES[spec]}
    assert got == WORKED_EXAMPLES[spec]


def test_recommend_json_shape():
    result = CliRunner().invoke(main, ["recommend", "--format", "json", str(SPECS / "scenarios" / "b2b-saas.arch")])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    rows = {r["component"]: r for r in doc["recommendations"]}
    cursors = rows["saas.cursors"]
    assert (cursors["recommended"], cursors["declared"]) == ("stateful", None)
    assert any("websocket" in reason for reason in cursors["reasons"])
    assert rows["saas.reports"]["recommended"] == "stateless"
    assert [r["component"] for r in doc["recommendations"]] == sorted(rows)


def test_recommend_text_marks_disagreement():
    result = CliRunner().invoke(main, ["recommend", str(SPECS / "anti-patterns" / "premature-statefulness.arch")])
    assert "premature.profiles: stateless (declared stateful)  <- disagrees" in result.output


def test_managed_components_show_as_managed(tmp_path):
    spec = tmp_path / "m.arch"
    spec.write_text('system m {\n  component db { kind database }\n  component ext { state managed; kind external }\n'
                    '  layer data { kind data\n    component blob { kind object-store }\n  }\n}\n')
    result = CliRunner().invoke(main, ["recommend", str(spec)])
    assert "m.db: managed (data system)" in result.output
    assert "m.blob: managed (data system)" in result.output
    assert "m.ext: managed (declared)" in result.output
    assert "stateful (managed by default)" not in result.output
