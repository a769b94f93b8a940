"""circular new: a new document set with the next free 发文字号, registered before anyone else takes it."""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import re
import shutil
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import LiteralScalarString

from .errors import CircularError, Where, display_path
from .load import Register, load_all, load_organs
from .model import DocNumber, IssueDate, ValueProblem
from .names import INVISIBLE, folder_problem, visible
from .project import REGISTER_FILE, Project, project_lock

NOTICE_FILE = "notice.yaml"
# "待填" is what `circular lint` reports as an unfinished placeholder (rule leftover, an error)
BODY_PLACEHOLDER = "待填：正文（段落之间空一行）\n"
RECIPIENT_PLACEHOLDER = "待填：主送机关"


def new_notice(data_dir: Path, folder: str, title: str, organ: str | None = None, date: str | None = None,
               recipients: tuple[str, ...] = (), waiting=lambda: None) -> tuple[Path, DocNumber]:
    """Create data/<folder>/notice.yaml numbered with the organ's next free 发文字号 of the year.

    Holds the project lock, as a build does: two `new` (or a `new` and a build) never take one number."""
    problem = folder_problem(folder)
    if problem:
        raise CircularError(None, f"目录名“{visible(folder)[:60]}”不合适：{problem}", "用一个简短的名字，例如 2013-08")
    _check_title(title)
    for n, recipient in enumerate(recipients, start=1):
        if not recipient.strip() or _CONTROL.search(recipient):
            raise CircularError(None, f"第 {n} 个主送机关（--recipient）为空或含有控制字符",
                                "请写机关名称，例如 各区县教委")
    if not data_dir.is_dir():
        raise CircularError(Where(display_path(data_dir)), "数据目录不存在", "请在项目根目录运行，或用 --data 指定目录")
    with project_lock(Project.of(data_dir), waiting):
        return _new_notice(data_dir, folder, title, organ, date, recipients)


def _check_title(title: str) -> None:
    if not title.strip():
        raise CircularError(None, "标题（--title）不能为空", "例如 --title 关于召开2013年关工委工作会议的通知")
    if _CONTROL.search(title) or INVISIBLE.search(title):
        raise CircularError(None, "标题（--title）中有换行、控制字符或不可见字符", "标题写在一行内，分行由程序排")
    if len(title) > MAX_TITLE_CHARS:
        raise CircularError(None, f"标题（--title）过长（{len(title)} 字，最多 {MAX_TITLE_CHARS} 字）", "请精简标题")


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_TITLE_CHARS = 200  # ten lines of 二号 characters


def _new_notice(data_dir: Path, folder: str, title: str, organ: str | None, date: str | None,
                recipients: tuple[str, ...]) -> tuple[Path, DocNumber]:
    target = data_dir / folder
    if target.exists():
        raise CircularError(Where(display_path(target)), "该目录已存在", "换一个目录名，或直接编辑其中的文件")
    organs = load_organs(data_dir)
    name = organ or next(iter(organs))
    if name not in organs:
        close = difflib.get_close_matches(name, list(organs), n=1, cutoff=0.3)
        raise CircularError(Where(display_path(data_dir / "organs.yaml")), f"未登记的发文机关“{name}”",
                            f"是否应为“{close[0]}”？" if close else "可用的机关：" + "、".join(organs))
    try:
        issued = IssueDate.parse(date) if date else IssueDate(dt.date.today())
    except ValueProblem as exc:
        raise CircularError(Where("--date"), exc.message, exc.fix) from None
    register = Register.load(data_dir / REGISTER_FILE)
    load_all(data_dir, register)  # numbers typed in data but not yet built are taken too
    number = register.allocate(f"{folder}/notice", organs[name].code, issued.value.year)
    text = _notice_yaml(name, number, title, issued, recipients or (RECIPIENT_PLACEHOLDER,))
    staging = data_dir / f".{folder}.new-{os.getpid()}"
    try:
        staging.mkdir()
        (staging / NOTICE_FILE).write_text(text, encoding="utf-8")
        register.save()  # the number is taken before the folder appears; a retry gets the same number
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target / NOTICE_FILE, number


def _notice_yaml(organ: str, number: DocNumber, title: str, issued: IssueDate, recipients: tuple[str, ...]) -> str:
    data = CommentedMap()
    data["organ"] = organ
    data["doc_number"] = str(number)
    data["title"] = title
    data["recipients"] = list(recipients)
    data["body"] = LiteralScalarString(BODY_PLACEHOLDER)
    data["date"] = str(issued)
    data["imprint"] = CommentedMap(date=str(issued))
    data.yaml_set_start_comment(
        f"{number}：由 circular new 生成，发文字号已登记在 {REGISTER_FILE}。\n"
        "请填写主送机关和正文；成文日期、印发日期按实际改；要印发的文件写在 transmits: 下（每行一个文件名）。")
    data.yaml_set_comment_before_after_key("imprint", before="版记：印发日期（抄送机关写在 copy_to: 下）")
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
