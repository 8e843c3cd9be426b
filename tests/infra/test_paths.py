"""The data folder: argument, then $BACKREHAB_HOME, then the person's choice, then the default."""

from pathlib import Path

from backrehab_gui.infra import paths


def test_resolution_order(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("BACKREHAB_HOME", raising=False)
    assert paths.data_dir() == tmp_path / "data" / "BackRehab"
    paths.choose_data_dir(tmp_path / "Dropbox" / "rehab")
    assert paths.data_dir() == tmp_path / "Dropbox" / "rehab"
    monkeypatch.setenv("BACKREHAB_HOME", str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"
    assert paths.data_dir(tmp_path / "arg") == tmp_path / "arg"
    paths.choose_data_dir(None)
    monkeypatch.delenv("BACKREHAB_HOME")
    assert paths.data_dir() == tmp_path / "data" / "BackRehab"


def test_bundled_folders_exist():
    assert (paths.bundled_routines() / "program.yaml").is_file()
    assert isinstance(paths.assets(), Path) and (paths.assets() / "sounds").is_dir()
