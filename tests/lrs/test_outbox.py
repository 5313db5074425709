"""The outbox on disk: each statement queued once, a torn write skipped and repaired, bounded,
compacted after sending, shared by several processes at once; and the settings that feed it."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest

from leadgame.lrs import config as settings
from leadgame.lrs import outbox as outbox_module
from leadgame.lrs.outbox import Outbox, OutboxFull
from support import REPO, run_cli


def statement(number: int, verb: str = "answered") -> dict:
    return {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"s{number}")), "verb": {"id": f"x:{verb}", "display": {"en": verb}},
            "timestamp": f"2026-03-01T10:{number % 60:02d}:00+00:00"}


def test_each_statement_is_queued_once_and_leaves_the_queue_when_sent(tmp_path):
    outbox = Outbox(tmp_path)
    assert outbox.add([statement(1), statement(2), statement(1)]) == 2
    assert outbox.add([statement(2), statement(3, "launched")]) == 1
    assert [json.loads(line)["id"] for _, line in outbox.queued()] == [statement(n)["id"] for n in (1, 2, 3)]
    outbox.mark_sent([statement(1)["id"]])
    status = outbox.status()
    assert (status.queued, status.sent, status.verbs) == (2, 1, {"answered": 1, "launched": 1})
    assert outbox.add([statement(1)]) == 0  # sent: never queued again
    assert Outbox(tmp_path).add([statement(1), statement(2)]) == 0  # another process knows it too


def test_a_write_torn_by_a_crash_is_skipped_and_never_spoils_the_next(tmp_path):
    outbox = Outbox(tmp_path)
    outbox.add([statement(1)])
    with open(outbox.queue_file, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(statement(2))[:30])  # the process died mid-line
    later = Outbox(tmp_path)
    assert [i for i, _ in later.queued()] == [statement(1)["id"]]
    assert later.add([statement(2), statement(3)]) == 2  # the lost statement is made again, and kept whole
    assert [i for i, _ in later.queued()] == [statement(n)["id"] for n in (1, 2, 3)]
    assert later.status().damaged == 1
    later.mark_sent([statement(1)["id"]])
    later.compact()
    assert later.queue_file.read_text(encoding="utf-8").count("\n") == 2 and later.status().damaged == 0


def test_compaction_keeps_the_unsent_and_remembers_the_sent(tmp_path, monkeypatch):
    outbox = Outbox(tmp_path)
    outbox.add([statement(n) for n in range(10)])
    outbox.mark_sent([statement(n)["id"] for n in range(7)])
    monkeypatch.setattr(outbox_module, "MAX_SENT_IDS", 5)
    outbox.compact()
    assert [i for i, _ in outbox.queued()] == [statement(n)["id"] for n in (7, 8, 9)]
    assert len(outbox.sent_file.read_text(encoding="utf-8").split()) == 5
    assert outbox.add([statement(n) for n in range(10)]) == 0  # this process still knows every id


def test_the_outbox_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(outbox_module, "MAX_QUEUED_BYTES", 600)
    outbox = Outbox(tmp_path)
    outbox.add([statement(n) for n in range(3)])
    with pytest.raises(OutboxFull, match="the outbox is full"):
        outbox.add([statement(n) for n in range(3, 20)])
    assert outbox.status().queued == 3


def test_processes_appending_at_once_each_keep_every_line_whole(tmp_path):
    code = ("import sys, uuid\nfrom leadgame.lrs.outbox import Outbox\nbox = Outbox(sys.argv[1])\n"
            "for n in range(150):\n"
            "    box.add([{'id': str(uuid.uuid5(uuid.NAMESPACE_URL, sys.argv[2] + str(n))), 'pad': 'x' * 3000}])\n")
    writers = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path), name], cwd=REPO) for name in "abc"]
    assert all(writer.wait(120) == 0 for writer in writers)
    lines = Outbox(tmp_path).queue_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 450 and len({json.loads(line)["id"] for line in lines}) == 450


def test_settings_come_from_the_file_and_the_environment_wins(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[lrs]\nendpoint = "https://lrs.example.org/xAPI/"\nusername = "lg"\npassword = "from-file"\n'
                    'actor = "account"\naccount_name = "staff-1"\naccount_homepage = "https://lms.example.org"\n', encoding="utf-8")
    config = settings.load(path, {"LEADGAME_LRS_PASSWORD": "from-env", "LEADGAME_LRS_BASE": "https://learn.example.org/lg/"})
    assert (config.endpoint, config.username, config.password) == ("https://lrs.example.org/xAPI/", "lg", "from-env")
    assert config.actor == "account" and config.base == "https://learn.example.org/lg"
    assert config.statements_url == "https://lrs.example.org/xAPI/statements"
    assert "from-env" not in repr(config) and "from-file" not in repr(config) and "staff-1" not in repr(config)
    assert str(path) in config.source and "LEADGAME_LRS_PASSWORD" in config.source


@pytest.mark.parametrize("text, words", [
    ('[lrs]\nendpoint = "http://lrs.example.org/xAPI/"\n', "must use https://"),
    ('[lrs]\nendpoint = "https://lg:secret@lrs.example.org/xAPI/"\n', "not in the endpoint address"),
    ('[lrs]\nactor = "everyone"\n', "'actor' should be one of anonymous, account, mbox_sha1sum"),
    ('[lrs]\nactor = "account"\naccount_name = "x"\n', "needs both account_name and account_homepage"),
    ('[lrs]\nactor = "mbox_sha1sum"\n', "needs the learner's email address"),
    ('[lrs]\nendpoint = "https://lrs.example.org/"\nusername = "lg"\n', "give both username and password"),
    ('[lrs]\nendpint = "https://lrs.example.org/"\n', "unknown key 'endpint'"),
    ('[lrs]\nbatch = 0\n', "'batch' should be between 1 and 1000"),
    ('[lrs\nendpoint = 1\n', "not valid TOML"),
])
def test_settings_that_cannot_work_are_named_with_their_file(tmp_path, text, words):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(settings.ConfigError) as raised:
        settings.load(path, {})
    assert words in str(raised.value) and str(path) in str(raised.value) and "secret" not in str(raised.value)


def test_broken_settings_turn_recording_off_but_never_stop_play(tmp_path, isolated_saves):
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[lrs]\nendpoint = "http://lrs.example.org/xAPI/"\npassword = "hunter2"\n', encoding="utf-8")
    from support import FIXTURE_SCENARIOS

    played = run_cli("play", "mini-pilot", "--plain", "--seed", "0", input="stark\n",
                     env={"LEADGAME_SCENARIOS": str(FIXTURE_SCENARIOS)})
    assert played.returncode == 0 and "learning records are off" in played.stderr and "must use https://" in played.stderr
    assert "Traceback" not in played.stderr and "hunter2" not in played.stderr
    assert not (isolated_saves / ".lrs").exists()
    status = run_cli("lrs", "status")
    assert status.returncode == 2 and "must use https://" in status.stderr


def test_status_and_push_without_an_lrs_say_what_to_do():
    status = run_cli("lrs", "status")
    assert status.returncode == 0 and "none configured: games are not recorded" in status.stdout
    assert "anonymous: a random id for this device" in status.stdout
    pushed = run_cli("lrs", "push")
    assert pushed.returncode == 2 and "no LRS is configured: set 'endpoint' under [lrs]" in pushed.stderr
    report = run_cli("report", "--lrs")
    assert report.returncode == 2 and "no LRS is configured" in report.stderr
    assert "add --lrs" in run_cli("report", "--session", "W1").stderr
