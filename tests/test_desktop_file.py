"""The menu entry and the icon: valid, consistent with the app, and installable."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from backrehab_gui.infra import desktop_install

REPO = Path(__file__).resolve().parents[1]
DESKTOP = REPO / "packaging" / "backrehab.desktop"
ICON = REPO / "assets" / "icons" / "backrehab.svg"

# The Desktop Menu Specification's registered categories that may describe this app.
MAIN_CATEGORIES = {"AudioVideo", "Audio", "Video", "Development", "Education", "Game",
                   "Graphics", "Network", "Office", "Science", "Settings", "System",
                   "Utility"}
ADDITIONAL_CATEGORIES = {"Sports", "MedicalSoftware", "Clock", "Accessibility"}


def entry(path: Path = DESKTOP) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def validate(path: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (apt install desktop-file-utils)")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_the_desktop_entry_has_what_menus_and_docks_need():
    e = entry()
    assert e["Type"] == "Application"
    assert e["Name"] == "BackRehab"
    assert e["GenericName"] and e["Comment"]
    assert e["Exec"] == "backrehab"  # the console script; it takes no files
    assert "%" not in e["Exec"]
    assert e["Icon"] == "backrehab" == ICON.stem
    assert e["Terminal"] == "false"
    assert e["StartupNotify"] == "true"
    assert e["Keywords"].endswith(";") and "exercise" in e["Keywords"].split(";")
    categories = [c for c in e["Categories"].split(";") if c]
    assert e["Categories"].endswith(";")
    assert set(categories) <= MAIN_CATEGORIES | ADDITIONAL_CATEGORIES
    assert len(set(categories) & MAIN_CATEGORIES) == 1  # one menu section, not two


def test_the_desktop_file_name_matches_the_app_and_its_window_class():
    e = entry()
    assert e["StartupWMClass"] == DESKTOP.stem == desktop_install.DESKTOP_ID
    # The app tells Qt the same name (the Wayland app id and the dock's link to this file).
    found = set()
    for source in (REPO / "backrehab_gui").rglob("*.py"):
        found |= set(re.findall(r'setDesktopFileName\(\s*"([^"]+)"', source.read_text()))
    assert found <= {DESKTOP.stem}


def test_desktop_file_validate_accepts_it():
    validate(DESKTOP)


def test_the_icon_is_a_square_scalable_svg():
    root = ElementTree.parse(ICON).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    x, y, width, height = (float(v) for v in root.get("viewBox").split())
    assert width == height
    # Nothing that a renderer might fetch or run.
    text = ICON.read_text()
    assert "<script" not in text and "xlink:href=\"http" not in text and "<image" not in text


@pytest.mark.parametrize("size", [16, 32, 48, 256])
def test_the_icon_renders_at_menu_sizes(qapp, size):
    renderer = QSvgRenderer(str(ICON))
    assert renderer.isValid()
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    pixels = [image.pixelColor(x, y) for x in range(size) for y in range(size)]
    opaque = [p for p in pixels if p.alpha() > 200]
    # Fills most of its square, and has light parts (spine) and dark parts (watch).
    assert len(opaque) > 0.45 * size * size  # the round watch: about half the square
    assert any(p.lightness() > 200 for p in opaque)
    assert any(p.lightness() < 90 for p in opaque)


def test_install_puts_both_files_where_desktops_look_and_uninstall_removes_them(tmp_path):
    done = desktop_install.install(tmp_path, ["/opt/Back Rehab/bin/backrehab"])
    assert done.desktop_file == tmp_path / "applications" / "backrehab.desktop"
    assert done.icon == tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "backrehab.svg"
    assert done.icon.read_bytes() == ICON.read_bytes()
    e = entry(done.desktop_file)
    assert e["Exec"] == '"/opt/Back Rehab/bin/backrehab"'
    assert e["TryExec"] == "/opt/Back Rehab/bin/backrehab"
    assert e["Icon"] == "backrehab"
    validate(done.desktop_file)
    assert sorted(desktop_install.uninstall(tmp_path)) == sorted([done.desktop_file, done.icon])
    assert desktop_install.uninstall(tmp_path) == []


def test_the_default_launch_command_is_an_absolute_path():
    command = desktop_install.launch_command()
    assert Path(command[0]).is_absolute()


def test_exec_quoting_follows_the_spec():
    q = desktop_install.exec_quote
    assert q("/usr/bin/backrehab") == "/usr/bin/backrehab"
    assert q("/home/a b/backrehab") == '"/home/a b/backrehab"'
    assert q("100%") == "100%%"
    # Inside quotes: \" \` \$ \\ ; then the file format doubles each backslash.
    assert q('a"b') == '"a\\\\"b"'
    assert q("a$b") == '"a\\\\$b"'
    assert q("a\\b") == '"a\\\\\\\\b"'


def test_data_home_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert desktop_install.data_home() == tmp_path
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    assert desktop_install.data_home() == Path.home() / ".local" / "share"


def test_a_missing_source_is_a_plain_error(monkeypatch, tmp_path):
    monkeypatch.setattr(desktop_install, "desktop_source", lambda: tmp_path / "gone.desktop")
    with pytest.raises(desktop_install.InstallError, match="missing"):
        desktop_install.install(tmp_path / "target", ["backrehab"])
