"""Start with the desktop: the XDG autostart entry in a temporary config folder."""

from __future__ import annotations

import os
import shlex
import stat

import pytest

from backrehab_gui.infra import autostart


@pytest.fixture
def config(tmp_path, monkeypatch):
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "system"))
    return home


def entry(path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


def test_enable_writes_a_desktop_entry_and_disable_removes_it(config):
    assert not autostart.enabled()
    path = autostart.enable("backrehab --tray")
    assert path == config / "autostart" / "backrehab.desktop"
    values = entry(path)
    assert values["Type"] == "Application"
    assert values["Name"] == "BackRehab"
    assert values["Exec"] == "backrehab --tray"
    assert values["Icon"] == "backrehab"
    assert values["X-GNOME-Autostart-enabled"] == "true"
    assert values["Comment"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert autostart.enabled()
    autostart.disable()
    assert not path.exists()
    assert not autostart.enabled()
    autostart.disable()  # twice is fine


def test_enable_again_replaces_the_entry_and_leaves_no_temporary_files(config):
    autostart.enable("backrehab --tray")
    autostart.enable("/opt/backrehab/bin/backrehab --tray")
    assert entry(autostart.desktop_file())["Exec"] == "/opt/backrehab/bin/backrehab --tray"
    assert os.listdir(config / "autostart") == ["backrehab.desktop"]


def test_an_argument_list_is_quoted_as_the_specification_asks(config):
    path = autostart.enable(["/home/ann/My Apps/backrehab", "--data", "/tmp/50%", "--tray"])
    exec_line = entry(path)["Exec"]
    assert exec_line == '"/home/ann/My Apps/backrehab" --data /tmp/50%% --tray'
    assert shlex.split(exec_line.replace("%%", "%")) == [
        "/home/ann/My Apps/backrehab", "--data", "/tmp/50%", "--tray"]
    assert autostart.exec_value(['a"b$c']) == '"a\\\\"b\\\\$c"'


def test_the_default_command_starts_in_the_tray(config):
    command = autostart.default_command()
    assert command[-1] == autostart.TRAY_FLAG == "--tray"
    autostart.enable()
    assert entry(autostart.desktop_file())["Exec"].endswith("--tray")


def test_a_relative_xdg_config_home_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/path")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart.desktop_file() == tmp_path / ".config" / "autostart" / "backrehab.desktop"


def test_an_entry_switched_off_by_the_desktop_counts_as_off(config):
    path = autostart.enable("backrehab --tray")
    path.write_text(path.read_text().replace("X-GNOME-Autostart-enabled=true",
                                             "X-GNOME-Autostart-enabled=false"))
    assert not autostart.enabled()
    path.write_text("[Desktop Entry]\nType=Application\nExec=backrehab\nHidden=true\n")
    assert not autostart.enabled()


def test_disable_hides_a_system_wide_entry_instead_of_deleting(config, tmp_path):
    system = tmp_path / "system" / "autostart"
    system.mkdir(parents=True)
    (system / "backrehab.desktop").write_text(autostart.desktop_entry("backrehab --tray"))
    assert autostart.enabled()
    autostart.disable()
    assert entry(autostart.desktop_file())["Hidden"] == "true"
    assert not autostart.enabled()
    autostart.enable("backrehab --tray")
    assert autostart.enabled()


def test_bad_commands_are_refused_with_a_plain_message(config):
    with pytest.raises(autostart.AutostartError, match="line breaks"):
        autostart.enable("backrehab\nrm -rf ~")
    with pytest.raises(autostart.AutostartError, match="no command"):
        autostart.enable("  ")
    with pytest.raises(autostart.AutostartError, match="no command"):
        autostart.enable([])
    assert not autostart.desktop_file().exists()


def test_a_folder_that_cannot_be_made_is_a_plain_autostart_error(config):
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("a file where the config folder should be")
    with pytest.raises(autostart.AutostartError) as caught:
        autostart.enable("backrehab --tray")
    assert isinstance(caught.value, OSError)
    assert caught.value.message.startswith(
        "BackRehab could not be set to start with the desktop: ")
    assert str(config / "autostart" / "backrehab.desktop") in caught.value.message
    assert not autostart.enabled()
