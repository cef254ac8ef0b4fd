"""rag.auth: salted scrypt hashes in a users file, sign-in, and the `python -m rag.auth` tool."""

from __future__ import annotations

import io

import pytest

from rag.auth import (SCHEME, User, authenticate, hash_password, load_users, main, save_user, users_path,
                      verify_password)
from rag.core.errors import BadInput, ConfigError


@pytest.mark.parametrize("password, attempt, expected", [
    ("正确的密码2024", "正确的密码2024", True),
    ("正确的密码2024", "正确的密码2025", False),
    ("S3cret-pass", "s3cret-pass", False),  # case matters
    ("S3cret-pass", "S3cret-pass ", False),  # so does a trailing space
    ("S3cret-pass", "", False),
])
def test_password_matches_only_itself(password, attempt, expected):
    assert verify_password(attempt, hash_password(password)) is expected


def test_same_password_hashes_differently_each_time_and_never_contains_it():
    a, b = hash_password("同一个密码123"), hash_password("同一个密码123")
    assert a != b  # a fresh salt each time
    assert a.startswith(SCHEME + "$") and "同一个密码123" not in a


@pytest.mark.parametrize("stored", [
    "", "plain-text-password", "md5$abc", "scrypt$16384$8$1$notbase64!!$xx", "scrypt$x$8$1$AAAA$AAAA",
    "scrypt$16384$8$1$AAAA",  # a field missing
])
def test_damaged_hash_never_matches(stored):
    assert verify_password("anything", stored) is False


def test_saved_clerk_can_sign_in_and_gets_display_name(tmp_path):
    path = tmp_path / "users.txt"
    save_user(path, "zhangsan", "zhang-pass-1", "张三")
    save_user(path, "lisi", "li-pass-22")
    users = load_users(path)
    assert set(users) == {"zhangsan", "lisi"}
    assert authenticate(users, "zhangsan", "zhang-pass-1").name == "张三"
    assert authenticate(users, " lisi ", "li-pass-22").name == "lisi"  # no display name: the user name
    assert "zhang-pass-1" not in path.read_text(encoding="utf-8")
    assert path.stat().st_mode & 0o077 == 0  # readable by the service account only


def test_changing_a_password_replaces_the_old_one(tmp_path):
    path = tmp_path / "users.txt"
    save_user(path, "zhangsan", "old-password", "张三")
    save_user(path, "zhangsan", "new-password", "张三丰")
    users = load_users(path)
    assert len(users) == 1 and users["zhangsan"].name == "张三丰"
    with pytest.raises(BadInput):
        authenticate(users, "zhangsan", "old-password")


@pytest.mark.parametrize("username, password", [("zhangsan", "wrong-pass"), ("nobody", "zhang-pass-1"), ("", "")])
def test_wrong_name_or_password_gives_one_message(tmp_path, username, password):
    path = tmp_path / "users.txt"
    save_user(path, "zhangsan", "zhang-pass-1", "张三")
    with pytest.raises(BadInput) as err:
        authenticate(load_users(path), username, password)
    assert err.value.chinese().endswith("用户名或密码不正确")  # never says which of the two was wrong


@pytest.mark.parametrize("username, password, display, message", [
    ("zhang san", "long-enough", "", "用户名"),
    ("a:b", "long-enough", "", "用户名"),
    ("", "long-enough", "", "用户名"),
    ("zhangsan", "short", "", "至少8位"),
    ("zhangsan", "long-enough", "张:三", "冒号"),
])
def test_unusable_accounts_are_refused(tmp_path, username, password, display, message):
    with pytest.raises(BadInput, match=message):
        save_user(tmp_path / "users.txt", username, password, display)
    assert not (tmp_path / "users.txt").exists()


def test_missing_users_file_says_how_to_add_a_clerk(tmp_path):
    with pytest.raises(ConfigError, match="python -m rag.auth add"):
        load_users(tmp_path / "nope.txt")


@pytest.mark.parametrize("line", ["zhangsan", "zhangsan:plaintext:张三", "bad name:scrypt$1$1$1$AA$AA:x"])
def test_damaged_users_file_is_a_config_error_naming_the_line(tmp_path, line):
    path = tmp_path / "users.txt"
    path.write_text(f"# comment\n\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="第3行"):
        load_users(path)


def test_users_file_defaults_to_the_data_directory(settings):
    assert users_path(settings) == settings.data_dir / "users.txt"
    assert users_path(settings.model_copy(update={"users_file": settings.data_dir / "x.txt"})).name == "x.txt"


def test_command_line_adds_and_lists_clerks(tmp_path, monkeypatch, capsys):
    path = tmp_path / "users.txt"
    monkeypatch.setattr("sys.stdin", io.StringIO("clerk-password\n"))
    assert main(["add", "wangwu", "--name", "王五", "--users-file", str(path), "--password-stdin"]) == 0
    assert authenticate(load_users(path), "wangwu", "clerk-password") == load_users(path)["wangwu"]
    assert main(["list", "--users-file", str(path)]) == 0
    assert "wangwu\t王五" in capsys.readouterr().out


def test_command_line_refuses_a_short_password_with_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    assert main(["add", "wangwu", "--users-file", str(tmp_path / "u.txt"), "--password-stdin"]) == 2
    assert "密码至少8位" in capsys.readouterr().err


def test_user_repr_never_shows_the_hash():
    assert "scrypt" not in repr(User("a", "甲", hash_password("whatever-1")))
