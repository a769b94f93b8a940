"""The ``circular`` command: thin click wrappers over the stages."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from . import __version__
from .clitext import ChineseGroup, install
from .errors import EXIT_USAGE, CircularError, display_path, os_error

install()  # before the commands below are declared: click translates some texts as they are made

DATA = click.option("--data", "data_dir", type=click.Path(path_type=Path), default=Path("data"), metavar="目录",
                    show_default=True, help="数据目录")
OUT = click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), metavar="目录",
                   show_default=True, help="输出目录")


def user_errors(func):
    """User mistakes end in one Chinese line and exit 2 (or the error's own code), no traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except CircularError as exc:
            click.echo(exc.line(), err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:  # a full disk, a read-only folder…: the user's machine, in the user's words
            click.echo(os_error(exc).line(), err=True)
            sys.exit(EXIT_USAGE)
        except KeyboardInterrupt:
            click.echo("已中断；out/ 保持上一次完整构建的内容。", err=True)
            sys.exit(130)

    return wrapper


@click.group(cls=ChineseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="circular", message="%(prog)s %(version)s", help="显示版本号并退出。")
def main() -> None:
    """circular：由结构化数据生成符合 GB/T 9704—2012 的党政机关公文。"""


@main.command()
@DATA
@OUT
@click.option("--no-paginate", is_flag=True, help="不用 LibreOffice 试排（不保证版记在偶数页）")
@click.option("--pdf", "pdfs", is_flag=True, help="试排时一并生成全部 PDF（make circular 用：只启动一次 LibreOffice）")
@user_errors
def build(data_dir: Path, out_dir: Path, no_paginate: bool, pdfs: bool) -> None:
    """读取数据目录，生成全部公文（.docx）到输出目录，并写出 manifest.json。

    装有 LibreOffice 时先试排一次，使版记落在偶数页（双面印刷时位于最后一面）。
    """
    from .build import build as run_build

    manifest = run_build(data_dir, out_dir, paginate=not no_paginate, warn=lambda m: click.echo(m, err=True),
                         pdfs=pdfs)
    rebuilt = set(manifest.rebuilt)
    for doc in manifest.documents:
        if doc.docx in rebuilt:
            click.echo(f"已生成 {out_dir / doc.docx}")
    if rebuilt:  # a document printed with 待填 in it is not ready to issue
        from .lint.engine import placeholders

        for finding in placeholders(data_dir):
            click.echo(finding.line(), err=True)
    unchanged = sum(bool(d.docx) and d.docx not in rebuilt for d in manifest.documents)
    if unchanged:
        click.echo(f"{unchanged} 份文件的内容没有变化，沿用上次生成的结果")


@main.command()
@click.argument("sets", nargs=-1, metavar="[目录名]...")
@click.option("--to", "formats", type=click.Choice(["html", "md"]), multiple=True, default=("html",),
              show_default=True, help="导出格式（可写多次）：html 网页、md Markdown")
@DATA
@OUT
@user_errors
def export(sets: tuple[str, ...], formats: tuple[str, ...], data_dir: Path, out_dir: Path) -> None:
    """把已生成的公文另存为网页（HTML）或 Markdown，供公开发布；与 .docx 放在一起并记入 manifest.json。

    不给目录名时导出全部公文。数据在上次生成之后改过时请先运行 make circular。
    """
    from .build.exports import export as run_export

    _, made = run_export(data_dir, out_dir, tuple(dict.fromkeys(formats)), sets,
                         warn=lambda m: click.echo(m, err=True))
    for path in made:
        click.echo(f"已生成 {display_path(path)}")


@main.command("import")
@click.argument("draft", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="草稿.docx")
@click.argument("set_name", required=False, metavar="[目录名]")
@DATA
@user_errors
def import_(draft: Path, set_name: str | None, data_dir: Path) -> None:
    """把 Word / WPS 草稿导入为 data/目录名/notice.yaml（及正文、附件的 Markdown 文件）。

    识别标题、发文字号、主送、正文（手写的序号变为标题和编号，由程序重新编号）、表格、附件说明、署名、成文日期和版记；
    草稿中找不到的地方写成“待填”并注明在哪里找过。目录名默认取草稿的文件名；已有的目录不会被覆盖。
    """
    from .docfiles import require_docx
    from .importer import import_docx
    from .load import load_organs
    from .names import safe_name

    require_docx(draft)
    folder = import_docx(draft, data_dir, set_name or safe_name(draft.stem), load_organs(data_dir))
    for path in sorted(folder.iterdir()):
        click.echo(f"已生成 {display_path(path)}")
    click.echo("请检查标有“待填”的地方，然后运行 circular lint 和 make circular")


@main.command()
@click.argument("target", type=click.Path(path_type=Path), metavar="目录")
@click.option("--source", default=None, metavar="安装来源",
              help="requirements.txt 中 circular 的来源（默认 circular==当前版本；也可写 git 地址或本地路径）")
@user_errors
def init(target: Path, source: str | None) -> None:
    """新建一个公文数据仓库：data/（含一份示例公文）、templates/、Makefile、CI 工作流和 README。

    circular 以固定版本安装（requirements.txt 和 constraints.txt）。之后在该目录运行 make circular。
    """
    from .init import init as run_init

    files = run_init(target, source)
    click.echo(f"已在 {display_path(target)} 中建立公文数据仓库（{len(files)} 个文件）；"
               f"接着运行：cd {display_path(target)} && make circular")


FONT_GATE = click.option("--fonts", "font_gate", type=click.Choice(["strict", "warn", "off"]), default="strict",
                         show_default=True,
                         help="所需字体会被替换成其他字体类别（如仿宋变黑体）时：停止 / 警告 / 不检查")


@main.command()
@OUT
@click.option("--jobs", "-j", type=int, default=None, metavar="进程数",
              help="并行的 LibreOffice 进程数（默认：CPU 核数）")
@FONT_GATE
@click.option("--previews/--no-previews", default=True, show_default=True, help="同时生成每页 PNG 和整篇长图")
@click.option("--optional", is_flag=True, help="没有 LibreOffice 时只提示、不报错（make circular 用）")
@user_errors
def pdf(out_dir: Path, jobs: int | None, font_gate: str, previews: bool, optional: bool) -> None:
    """用 LibreOffice 把输出目录中的全部 .docx 转成 PDF（及预览图、会议通知合订本），并记入 manifest.json。"""
    from .build import render_pdfs
    from .convert import soffice
    from .errors import ToolError

    if optional:
        try:
            soffice()
        except ToolError as exc:
            click.echo(f"提示: {exc.message}；PDF、预览图和会议通知合订本未生成（{exc.fix}）", err=True)
            return
    _, made = render_pdfs(out_dir, jobs, font_gate, previews, warn=lambda m: click.echo(m, err=True))
    if not made:
        click.echo("PDF 都是最新的")
    for path in made:
        click.echo(f"已生成 {display_path(path)}")


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="[文件]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="输出格式")
@click.option("--all/--failures", "show_all", default=None,
              help="列出每一项（--all）或只列不合格项和计数（--failures）；默认在终端只列不合格项")
@OUT
@user_errors
def check(files: tuple[Path, ...], fmt: str, out_dir: Path, show_all: bool | None) -> None:
    """按 GB/T 9704—2012 检查 .pdf 或 .docx（.docx 先用 LibreOffice 渲染）的版式。有 FAIL 时退出码为 1。

    不给文件时，检查 out/manifest.json 中全部已生成的 PDF（先运行 make pdf）。
    """
    import json
    import shutil
    import tempfile

    from .convert import to_pdf
    from .docfiles import require_docx, require_pdf
    from .errors import EXIT_FINDINGS, Where
    from .progress import step
    from .verify.pdf import PdfView
    from .verify.rules import FAIL, check_print
    from .verify.rules import check as run_check

    bound: dict[Path, list[tuple[int, int]]] = {}  # print files: (first page, pages) of each document
    if not files:
        from . import manifest as manifests

        entries = manifests.read(out_dir).documents
        if not all(d.pdf for d in entries):
            raise CircularError(Where(display_path(out_dir / manifests.MANIFEST)), "还没有生成 PDF",
                                "请先运行 make pdf")
        files = tuple(out_dir / d.pdf_file for d in entries)
        bound = {out_dir / d.pdf_file: [(c.first_page, c.pages) for c in d.contains] for d in entries if d.contains}
    report, failed = [], False
    with tempfile.TemporaryDirectory(prefix="circular-check-") as tmp, step("检查版式", len(files)) as progress:
        for path in files:
            progress.advance(current=path.name)
            pdf = path
            if path.suffix.lower() == ".docx":
                require_docx(path)
                copy = Path(tmp) / "document.docx"
                shutil.copyfile(path, copy)
                try:
                    pdf = to_pdf([copy])[copy]
                except CircularError as exc:  # name the user's file, not our temporary copy
                    raise type(exc)(Where(display_path(path)), exc.message, exc.fix) from None
            elif path.suffix.lower() == ".pdf":
                require_pdf(path)
            else:
                raise CircularError(Where(display_path(path)), "只能检查 .docx 或 .pdf 文件",
                                    "请给出 .docx 或 .pdf 文件")
            with PdfView(pdf) as view:
                results = check_print(view, bound[path]) if path in bound else run_check(view)
            failed |= any(r.status == FAIL for r in results)
            report.append((path, results))
    if fmt == "json":
        click.echo(json.dumps([{"file": str(p), "results": [r.__dict__ for r in rs]} for p, rs in report],
                              ensure_ascii=False, indent=2))
    elif fmt == "sarif":
        from .verify.sarif import layout_sarif

        click.echo(json.dumps(layout_sarif(report), ensure_ascii=False, indent=2))
    else:
        everything = show_all if show_all is not None else not sys.stdout.isatty()
        for path, results in report:
            fails = sum(r.status == FAIL for r in results)
            if not everything and not fails:
                continue
            click.echo(f"== {path}")
            for r in results:
                if everything or r.status == FAIL:
                    click.echo(r.line())
            click.echo(f"{len(results)} 项：{fails} 项不合格，{sum(r.status == 'SKIP' for r in results)} 项跳过")
        if not everything:
            total = sum(len(rs) for _, rs in report)
            bad = sum(r.status == FAIL for _, rs in report for r in rs)
            click.echo(f"{len(report)} 份文件，{total} 项：{bad} 项不合格（--all 列出每一项）")
    if failed:
        sys.exit(EXIT_FINDINGS)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path),
                metavar="[数据目录]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="输出格式（sarif 供 CI 在数据行上标注）")
@click.option("--list", "list_rules", is_flag=True, help="列出全部检查规则及默认级别")
@user_errors
def lint(paths: tuple[Path, ...], fmt: str, list_rules: bool) -> None:
    """检查数据中的文字：发文字号、日期、标点、序号、跨文件一致性、占位符。有“错误”时退出码为 1。

    数据目录默认为 data；data/lint.yaml 可关闭规则或改变级别，例如 rules: {punct.space: 提示}。
    """
    import json

    from .errors import EXIT_FINDINGS
    from .lint import ERROR
    from .lint import lint as run_lint
    from .lint.rules import RULES
    from .lint.sarif import lint_sarif

    if list_rules:
        for spec in RULES:
            click.echo(f"{spec.id:28} {spec.severity}  {spec.title}")
        return
    findings = [f for path in (paths or (Path("data"),)) for f in run_lint(path)]
    if fmt == "json":
        click.echo(json.dumps([{"rule": f.rule, "severity": f.severity, "file": f.where.path, "line": f.where.line,
                                "column": f.where.column, "message": f.message, "fix": f.fix} for f in findings],
                              ensure_ascii=False, indent=2))
    elif fmt == "sarif":
        click.echo(json.dumps(lint_sarif(findings), ensure_ascii=False, indent=2))
    else:
        for f in findings:
            click.echo(f.line())
        counts = {s: sum(f.severity == s for f in findings) for s in ("错误", "警告", "提示")}
        click.echo(f"{len(findings)} 处：" + "，".join(f"{s} {n}" for s, n in counts.items()))
    if any(f.severity == ERROR for f in findings):
        sys.exit(EXIT_FINDINGS)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="文件.docx")
@user_errors
def text(file: Path) -> None:
    """按公文要素输出 .docx 的文字（可作 git 的 textconv，见 circular git-setup）。"""
    from .docfiles import require_docx
    from .review.text import render_text

    require_docx(file)
    click.echo(render_text(file), nl=False)


@main.command()
@click.argument("folder", metavar="目录名")
@click.option("--title", required=True, metavar="标题", help="标题，如 关于召开……会议的通知")
@click.option("--organ", default=None, metavar="机关", help="发文机关全称（organs.yaml 中登记的；默认第一个）")
@click.option("--date", default=None, metavar="日期", help="成文日期，如 2013年8月1日（默认今天；决定发文字号的年份）")
@click.option("--recipient", "recipients", multiple=True, metavar="机关", help="主送机关（可写多次）")
@DATA
@user_errors
def new(folder: str, title: str, organ: str | None, date: str | None, recipients: tuple[str, ...],
        data_dir: Path) -> None:
    """新建一份公文：data/目录名/notice.yaml，取该机关当年下一个未用的发文字号并登记。"""
    from .scaffold import new_notice

    def waiting() -> None:
        click.echo("另一个 circular 进程正在构建或登记发文字号，等它结束后继续…", err=True)

    path, number = new_notice(data_dir, folder, title, organ, date, recipients, waiting)
    click.echo(f"已新建 {display_path(path)}（发文字号 {number}，已登记）")
    click.echo("请填写其中标有“待填”的主送机关和正文，然后运行 make circular；circular lint 会指出未填的地方。")


@main.command("git-setup")
@user_errors
def git_setup() -> None:
    """让 git diff 按公文要素显示 .docx 的文字改动：写 .gitattributes 并设置 diff.circular.textconv。"""
    from .review.textconv import setup

    for line in setup(Path.cwd()):
        click.echo(line)


def _build_side(data_dir: Path, out: Path, render: bool) -> None:
    from .build import build as run_build
    from .build import render_pdfs

    run_build(data_dir, out, paginate=render)
    if render:
        render_pdfs(out, previews=False)


def _compare(old: Path | None, new: Path | None, rev: str | None, data_dir: Path, render: bool, tmp: Path):
    """Two .docx, two out/ folders, or revision ``rev`` against the working tree's data."""
    from .docfiles import require_docx
    from .errors import Where
    from .review.diff import diff_files, diff_folders
    from .review.revision import checkout, relative_to_repo

    if rev:
        if old or new:
            raise CircularError(None, "--rev 与两个路径不能同时使用", "例如 circular diff --rev HEAD~1")
        inside = relative_to_repo(data_dir, Path.cwd())
        with checkout(rev, Path.cwd()) as tree:
            _build_side(tree / inside, tmp / "old", render)
        _build_side(data_dir, tmp / "new", render)
        return diff_folders(tmp / "old", tmp / "new")
    if not (old and new):
        raise CircularError(None, "需要两个 .docx 文件、两个输出目录，或 --rev 版本",
                            "例如 circular diff 旧.docx 新.docx")
    if old.is_dir() and new.is_dir():
        return diff_folders(old, new)
    if old.suffix == new.suffix == ".docx":
        require_docx(old)
        require_docx(new)
        return [diff_files(old, new, new.name)]
    raise CircularError(Where(display_path(old)), "只能比较两个 .docx 文件或两个输出目录",
                        "例如 circular diff 旧.docx 新.docx")


def _source_of(path: str) -> str:
    """A finding's file as the manifest names sources (relative to the working directory)."""
    return display_path(Path(path))


def _bundle(results, folder: Path, data_dir: Path) -> dict:
    """The review bundle: page images of the changed documents, lint findings, an HTML page."""
    from .lint import lint as run_lint
    from .review.diff import LAYOUT_ONLY, as_html, as_markdown
    from .review.pages import page_diff
    from .verify.pdf import PdfView
    from .verify.rules import FAIL, check

    folder.mkdir(parents=True, exist_ok=True)
    pages = {}
    for n, doc in enumerate(results):
        if (doc.status in ("changed", "added") or doc.bytes_only) and doc.new_pdf:
            pages[doc.name] = page_diff(Path(doc.old_pdf) if doc.old_pdf else None, Path(doc.new_pdf), folder,
                                        f"文件{n + 1}")
            if doc.bytes_only and any(p["changed"] for p in pages[doc.name]):
                doc.status = "changed"  # the words are the same, the pages are not (a colour, a font)
                doc.moves.append(LAYOUT_ONLY)
            if doc.status == "same":
                continue
            with PdfView(Path(doc.new_pdf)) as view:
                doc.failures = [r.line() for r in check(view) if r.status == FAIL]
    # lint findings on the files the changed documents were made from (the rest is not under review)
    touched = {source for doc in results if doc.status != "same" for source in doc.sources}
    findings = [f for f in run_lint(data_dir) if _source_of(f.where.path) in touched] if data_dir.is_dir() else None
    (folder / "index.html").write_text(as_html(results, pages, findings), encoding="utf-8")
    (folder / "summary.md").write_text(as_markdown(results), encoding="utf-8")
    return pages


@main.command()
@click.argument("old", required=False, type=click.Path(exists=True, path_type=Path), metavar="[旧]")
@click.argument("new", required=False, type=click.Path(exists=True, path_type=Path), metavar="[新]")
@click.option("--rev", metavar="版本", help="与当前工作区比较的 git 版本，例如 HEAD~1 或 origin/main")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text",
              show_default=True, help="输出格式（markdown 可直接贴到合并请求评论）")
@click.option("--render", is_flag=True, help="用 LibreOffice 渲染两边，报告页面变化（--rev 时）")
@click.option("--bundle", type=click.Path(file_okay=False, path_type=Path), metavar="目录",
              help="把审阅包（改动页面截图、HTML、摘要）写到此目录；需要 PDF")
@DATA
@user_errors
def diff(old, new, rev, fmt, render, bundle, data_dir) -> None:
    """比较两份公文、两次构建（out/ 目录）或 git 版本：按要素逐字列出改动。有改动时退出码为 1。"""
    import tempfile

    from .review import diff as review

    with tempfile.TemporaryDirectory(prefix="circular-diff-") as tmp:
        results = _compare(old, new, rev, data_dir, render or bool(bundle), Path(tmp))
        if bundle:
            _bundle(results, bundle, data_dir)
    output = {"text": review.as_text, "json": review.as_json, "markdown": review.as_markdown,
              "html": review.as_html}[fmt](results)
    click.echo(output, nl=False)
    if any(d.status != "same" for d in results):
        sys.exit(1)


@main.group()
def template() -> None:
    """Word 模板（如 templates/回执.docx）相关命令。"""


@template.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="模板.docx")
@user_errors
def template_check(file: Path) -> None:
    """列出 Word 模板用到的变量、数据中没有的变量，以及放错位置的 {%p %}/{%tr %} 标签。有问题时退出码为 1。"""
    from .errors import EXIT_FINDINGS
    from .load.invitations import RECEIPT_FIELDS
    from .templatecheck import check_template

    used, missing, misplaced = check_template(file, RECEIPT_FIELDS)
    click.echo(f"{file}: 模板变量：" + ("、".join(used) or "（无）"))
    for name in used:
        if name in RECEIPT_FIELDS:
            click.echo(f"  {name}：{RECEIPT_FIELDS[name]}")
    for name in missing:
        click.echo(f"{file}: 错误: 数据中没有变量“{name}”（可用的有：{'、'.join(RECEIPT_FIELDS)}）")
    for finding in misplaced:
        click.echo(f"{finding.where}: 错误: {finding.message}")
    if missing or misplaced:
        sys.exit(EXIT_FINDINGS)


if __name__ == "__main__":  # pragma: no cover
    main(prog_name="circular")
