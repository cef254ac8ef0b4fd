"""Sign-in for the web app on an intranet without an identity provider: a users file of salted
scrypt hashes (`RAG_AUTH=password`, `RAG_USERS_FILE`). With an identity provider the app uses
Streamlit's OIDC sign-in instead (`RAG_AUTH=oidc`, st.login); nothing here is needed then.

The users file holds one clerk per line, like an htpasswd file:

    zhangsan:scrypt$16384$8$1$<salt>$<hash>:张三

Add or change a clerk with `python -m rag.auth add zhangsan --name 张三` (asks the password
twice; `--password-stdin` for scripts). Passwords are never stored, logged or shown.
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rag.core.errors import BadInput, ConfigError, RagError
from rag.core.settings import Settings

SCHEME = "scrypt"
# n=2^14, r=8: 16 MB and about 50 ms per try on an office PC — cheap for one sign-in, slow for
# guessing. Stored with each hash, so raising them later keeps old hashes valid.
_N, _R, _P = 2**14, 8, 1
_SALT_BYTES, _KEY_BYTES = 16, 32
MIN_PASSWORD = 8
_USERNAME = re.compile(r"[A-Za-z0-9_.@\-\u4e00-\u9fff]{1,64}")
# A hash computed once for unknown user names, so a wrong name costs as long as a wrong password
# (the time of a failed sign-in must not reveal which clerks exist).
_DUMMY: list[str] = []


@dataclass(frozen=True)
class User:
    """A clerk who may sign in; `name` goes into the register's audit trail."""

    username: str
    display_name: str = ""
    password_hash: str = field(default="", repr=False)

    @property
    def name(self) -> str:
        return self.display_name or self.username


def users_path(settings: Settings) -> Path:
    """The configured users file, or `users.txt` in the data directory."""
    return settings.users_file or settings.data_dir / "users.txt"


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash of `password` in the users-file form `scrypt$n$r$p$salt$hash`."""
    salt = salt if salt is not None else os.urandom(_SALT_BYTES)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=_KEY_BYTES)
    return "$".join((SCHEME, str(_N), str(_R), str(_P), _b64(salt), _b64(key)))


def verify_password(password: str, stored: str) -> bool:
    """Does `password` match the stored hash? (constant-time comparison)."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return False
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, key = base64.b64decode(parts[4], validate=True), base64.b64decode(parts[5], validate=True)
        given = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(key),
                               maxmem=256 * 1024 * 1024)
    except ValueError:  # damaged numbers or base64: the line cannot match any password
        return False
    return hmac.compare_digest(given, key)


def load_users(path: Path) -> dict[str, User]:
    """The clerks of a users file, by user name; ConfigError when it is missing or damaged."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"找不到用户文件 {path}：请管理员先运行 python -m rag.auth add 用户名 添加经办人") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"用户文件 {path} 无法读取：{exc}") from exc
    users: dict[str, User] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        username, sep, rest = line.partition(":")
        stored, _, display = rest.partition(":")
        if not sep or not _USERNAME.fullmatch(username) or not stored.startswith(SCHEME + "$"):
            raise ConfigError(f"用户文件 {path} 第{n}行格式不对，应为 用户名:scrypt$…:显示名")
        users[username] = User(username, display.strip(), stored)
    return users


def authenticate(users: dict[str, User], username: str, password: str) -> User:
    """The signed-in clerk; BadInput with one message for a wrong name or a wrong password."""
    user = users.get(username.strip())
    if user is None:
        if not _DUMMY:
            _DUMMY.append(hash_password("unused-dummy-password"))
        verify_password(password, _DUMMY[0])
    elif verify_password(password, user.password_hash):
        return user
    raise BadInput("用户名或密码不正确")


def save_user(path: Path, username: str, password: str, display_name: str = "") -> User:
    """Add a clerk to the users file, or change an existing clerk's password and name."""
    username = username.strip()
    if not _USERNAME.fullmatch(username):
        raise BadInput(f"用户名应为1–64个字母、数字、汉字或 _.@-，收到：{username!r}")
    if len(password) < MIN_PASSWORD:
        raise BadInput(f"密码至少{MIN_PASSWORD}位")
    if any(ch in display_name for ch in ":\n\r"):
        raise BadInput("显示名不能含有冒号或换行")
    path = Path(path)
    users = load_users(path) if path.is_file() else {}
    user = User(username, display_name.strip(), hash_password(password))
    users[username] = user
    lines = ["# 公开助手 经办人账号（用户名:密码散列:显示名）；用 python -m rag.auth add 维护"]
    lines += [f"{u.username}:{u.password_hash}:{u.display_name}" for u in users.values()]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.chmod(0o600)  # hashes are slow to crack, not impossible: readable by the service only
    tmp.replace(path)
    return user


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def main(argv: list[str] | None = None) -> int:
    """`python -m rag.auth add USERNAME [--name 显示名] [--users-file PATH] [--password-stdin]`."""
    parser = argparse.ArgumentParser(prog="python -m rag.auth", description="维护网页登录的经办人账号（RAG_AUTH=password）")
    verbs = parser.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", help="添加经办人，或修改其密码和显示名")
    add.add_argument("username", help="登录用户名")
    add.add_argument("--name", default="", help="显示名（写入台账的操作记录），如 张三")
    add.add_argument("--users-file", type=Path, help="用户文件（默认取配置 RAG_USERS_FILE，或 数据目录/users.txt）")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
    verbs.add_parser("list", help="列出经办人").add_argument("--users-file", type=Path)
    args = parser.parse_args(argv)
    path = args.users_file or users_path(Settings())
    try:
        if args.verb == "list":
            for u in load_users(path).values():
                print(f"{u.username}\t{u.display_name}")
            return 0
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("密码：")
            if getpass.getpass("再输入一次：") != password:
                raise BadInput("两次输入的密码不一致")
        user = save_user(path, args.username, password, args.name)
    except RagError as exc:
        print(exc.chinese(), file=sys.stderr)
        return 2
    print(f"已保存经办人 {user.username}（{user.name}）到 {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
