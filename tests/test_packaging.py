"""A plain wheel install (what `pipx install .` builds) ships the built-in scenarios and runs."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from support import REPO


def test_wheel_ships_scenarios_and_lists_them(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = (tmp_path / "dist").glob("leadgame-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "leadgame/scenarios/constructs.yaml" in names
    shipped = sorted(n for n in names if n.startswith("leadgame/scenarios/") and n.endswith(".yaml"))
    assert len(shipped) == len(list((REPO / "scenarios").glob("*.yaml")))
    pages = REPO / "src" / "leadgame" / "workshop" / "live" / "static"
    assert {f"leadgame/workshop/live/static/{p.name}" for p in pages.iterdir()} <= set(names)  # the live room's pages
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1", "COLUMNS": "200",
           "LEADGAME_SAVES": str(tmp_path / "saves")}
    env.pop("LEADGAME_SCENARIOS", None)
    code = "import leadgame.locations as l; print(l.checkout_root()); print(l.scenario_dirs())"
    where = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert where.stdout.splitlines()[0] == "None" and str(site) in where.stdout
    listing = subprocess.run([sys.executable, "-m", "leadgame.cli", "list"], env=env, cwd=tmp_path,
                             capture_output=True, text=True, timeout=60)
    assert listing.returncode == 0
    assert "skipped" not in listing.stdout
    for path in (REPO / "scenarios").glob("*.yaml"):
        if path.name != "constructs.yaml":
            assert path.stem in listing.stdout
    # a pipx user, without the docs, gets the tutorial's scenario and checks it against the packaged catalogue
    assert "leadgame/authoring/example.yaml" in names
    work = tmp_path / "mine"
    work.mkdir()
    made = subprocess.run([sys.executable, "-m", "leadgame.cli", "new", "--example"], env=env, cwd=work,
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    checked = subprocess.run([sys.executable, "-m", "leadgame.cli", "check", "cafe-pilot.yaml"], env=env, cwd=work,
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and " 0 errors" in checked.stdout, checked.stdout + checked.stderr
