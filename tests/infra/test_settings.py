"""Settings survive a round trip, and a damaged file never stops the app."""

import json

from backrehab_gui.infra.settings import Settings, SettingsStore


def test_defaults_when_there_is_no_file(tmp_path):
    store = SettingsStore(tmp_path)
    assert store.load() == Settings() and store.problems == []


def test_round_trip(tmp_path):
    store = SettingsStore(tmp_path / "new-folder")
    wanted = Settings().changed(voice_enabled=False, voice_rate=140, prepare_seconds=15,
                                player_fullscreen=True, player_geometry="AdnQywAD")
    store.save(wanted)
    assert SettingsStore(tmp_path / "new-folder").load() == wanted


def test_bad_values_fall_back_one_by_one(tmp_path):
    (tmp_path / "settings.json").write_text(json.dumps({
        "voice_rate": "fast", "voice_volume": 7, "prepare_seconds": 20, "unknown": 1}))
    store = SettingsStore(tmp_path)
    loaded = store.load()
    assert loaded.prepare_seconds == 20
    assert loaded.voice_rate == Settings().voice_rate and loaded.voice_volume == 1.0
    assert len(store.problems) == 2 and "voice_rate" in store.problems[0]


def test_a_damaged_file_gives_defaults_and_says_so(tmp_path):
    (tmp_path / "settings.json").write_text("{ not json")
    store = SettingsStore(tmp_path)
    assert store.load() == Settings() and "could not be read" in store.problems[0]


def test_save_leaves_no_temporary_files(tmp_path):
    store = SettingsStore(tmp_path)
    store.save(Settings())
    store.save(Settings().changed(voice_rate=200))
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_choices_and_times_are_checked(tmp_path):
    (tmp_path / "settings.json").write_text(json.dumps({
        "theme": "neon", "remind_morning": "25:00", "remind_evening": "", "quiet_start": "21:30",
        "text_scale": 1.5}))
    store = SettingsStore(tmp_path)
    loaded = store.load()
    assert loaded.theme == "system" and loaded.remind_morning == "07:30"
    assert loaded.remind_evening == "" and loaded.quiet_start == "21:30"
    assert loaded.text_scale == 1.5 and len(store.problems) == 2
