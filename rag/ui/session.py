"""The signed-in workspace of one browser session: settings, the clerk's name, the agency.

`app.py` builds the `Settings` once per run, passes it to `sign_in` (which stops the run
until a clerk has signed in when sign-in is configured), then `open_workspace` hands the
result to the pages through `current()`.
"""

from __future__ import annotations

import getpass
import time
from dataclasses import dataclass

import streamlit as st

from rag.core.agency import AgencyProfile, load_agency
from rag.core.errors import BadInput, ConfigError
from rag.core.settings import Settings

_KEY = "_workspace"
_SIGNED_IN = "_signed_in_user"
_FAILURES = "_sign_in_failures"
MAX_FAILURES = 5  # then a pause: a session cannot guess passwords at full speed
LOCKOUT_SECONDS = 60


@dataclass(frozen=True)
class Workspace:
    """What every page works with: the settings, who is working, for which agency."""

    settings: Settings
    user: str  # the name written to the register's audit trail
    agency: AgencyProfile
    agency_warning: str = ""


def current() -> Workspace:
    """The workspace `app.py` opened for this run."""
    ws = st.session_state.get(_KEY)
    if not isinstance(ws, Workspace):
        st.error("请从主程序启动：streamlit run app.py")
        st.stop()
    return ws


def open_workspace(settings: Settings, user: str) -> Workspace:
    """Load the agency profile and make the workspace available to the page about to run."""
    warning = ""
    try:
        agency = load_agency(settings.agency, settings.corpus_dir)
    except ConfigError as exc:  # the 设置 page must stay reachable to fix it
        agency, warning = AgencyProfile(name=settings.agency or "（未配置机关）"), exc.chinese()
    ws = Workspace(settings, user, agency, warning)
    st.session_state[_KEY] = ws
    return ws


# Widget values that must survive a visit to another page (Streamlit drops the state of widgets
# not drawn in a run): the intake form, the register's filters. Only value widgets use these
# prefixes — a button's or an uploader's state cannot be assigned.
KEPT_PREFIXES = ("in_", "gap_", "chk_", "f_")


def keep_widget_state() -> None:
    """Re-assign the kept widget values so that leaving the page does not discard what the clerk typed."""
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(KEPT_PREFIXES):
            st.session_state[key] = st.session_state[key]


def local_user() -> str:
    """Without sign-in: the operating-system account running the app."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a container
        return "经办人"


def sign_in(settings: Settings) -> str:
    """The signed-in clerk's name; shows the sign-in screen and stops the run until there is one."""
    if settings.auth == "none":
        return local_user()
    if settings.auth == "oidc":
        return _oidc()
    name = st.session_state.get(_SIGNED_IN)
    if isinstance(name, str) and name:
        return name
    _password_form(settings)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def sign_out() -> None:
    """Forget the signed-in clerk (password mode) or end the identity-provider session (OIDC)."""
    if st.session_state.pop(_SIGNED_IN, None) is None:
        st.logout()
    st.session_state.pop(_KEY, None)


def _heading() -> None:
    st.markdown("## :material/description: 公开助手")
    st.caption("政府信息公开申请办理工作台 · 仅限本单位经办人员使用")


def _password_form(settings: Settings) -> None:
    from rag.auth import authenticate, load_users, users_path

    _, middle, _ = st.columns([1, 1.3, 1])
    with middle:
        _heading()
        failures: list[float] = st.session_state.setdefault(_FAILURES, [])
        recent = [t for t in failures if time.monotonic() - t < LOCKOUT_SECONDS]
        with st.form("sign_in"):
            st.markdown("#### 经办人登录")
            username = st.text_input("用户名", key="sign_in_user")
            password = st.text_input("密码", type="password", key="sign_in_password")
            submitted = st.form_submit_button("登录", type="primary", width="stretch")
        if not submitted:
            return
        if len(recent) >= MAX_FAILURES:
            st.error(f"登录失败次数过多，请{LOCKOUT_SECONDS}秒后再试")
            return
        try:
            user = authenticate(load_users(users_path(settings)), username, password)
        except ConfigError as exc:
            st.error(exc.chinese())
            return
        except BadInput as exc:
            failures.append(time.monotonic())
            st.error(exc.chinese())
            return
        st.session_state[_SIGNED_IN] = user.name
        st.session_state.pop(_FAILURES, None)
        st.rerun()


def _oidc() -> str:
    # st.user has no `is_logged_in` at all until [auth] is configured in secrets.toml.
    info = st.user.to_dict()
    if info.get("is_logged_in"):
        return str(info.get("name") or info.get("email") or info.get("sub") or "已登录用户")
    _, middle, _ = st.columns([1, 1.3, 1])
    with middle:
        _heading()
        st.markdown("#### 经办人登录")
        st.caption("使用本单位统一身份认证登录。")
        if st.button("统一身份认证登录", type="primary", width="stretch"):
            try:
                st.login()
            except st.errors.StreamlitAuthError as exc:
                st.error(f"统一身份认证未配置好（.streamlit/secrets.toml 的 [auth] 一节，并需安装 Authlib）：{exc}")
    st.stop()
    raise AssertionError("unreachable")
