"""leadgame.core stays headless: importing all of it pulls in neither Textual nor Rich, nor the live
room's web server (aiohttp), nor any networking (learning records leave through core.hooks, from
leadgame.lrs)."""

import pkgutil
import subprocess
import sys

import leadgame.core


def test_core_imports_neither_textual_nor_rich_nor_a_web_server_nor_networking():
    modules = [f"leadgame.core.{m.name}" for m in pkgutil.iter_modules(leadgame.core.__path__)]
    assert "leadgame.core.engine" in modules and "leadgame.core.loader" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'aiohttp', 'socket', 'ssl', 'http')\n"
        "             or m in ('urllib.request', 'leadgame.lrs'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
