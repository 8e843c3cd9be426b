"""The core runs without Qt or devices, as the layering promises."""

import subprocess
import sys
import textwrap


def test_core_imports_with_qt_and_devices_blocked():
    script = textwrap.dedent("""
        import importlib, pkgutil, sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {"PySide6", "shiboken6", "pyttsx3", "sqlite3"}:
                    raise ImportError("blocked: " + name)
        sys.meta_path.insert(0, Block())
        import backrehab_gui.core as core
        for info in pkgutil.iter_modules(core.__path__):
            importlib.import_module("backrehab_gui.core." + info.name)
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
