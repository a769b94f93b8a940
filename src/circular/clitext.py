"""click's own texts in Chinese: usage errors, help headings, option descriptions.

click marks every text it prints with gettext (``_()`` and ``ngettext()`` imported into each of its
modules); those names are looked up when a message is made, so pointing them at this catalogue
translates click without touching its code. Texts not listed stay as click wrote them (the
message-sweep test lists every text a user can see, so a new click text shows up there).
"""

from __future__ import annotations

import sys

import click

TEXTS = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示此帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Error: {message}": "错误: {message}",
    "Try '{command} {option}' for help.": "运行 {command} {option} 查看用法。",
    "Invalid value: {message}": "取值不正确：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值不正确：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有选项“{name}”。",
    "No such command {name!r}.": "没有命令“{name}”。",
    "Option {name!r} does not take a value.": "选项“{name}”不带取值。",
    "Argument {name!r} takes {nargs} values.": "参数“{name}”需要 {nargs} 个值。",
    "Aborted!": "已中断。",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "“{value}”不是有效的是/否值（可写：{states}）。",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在。",
    "{name} {filename!r} is a file.": "{name}“{filename}”是文件，应为目录。",
    "{name} {filename!r} is a directory.": "{name}“{filename}”是目录，应为文件。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”不可读。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”不可写。",
    "{name} {filename!r} is not executable.": "{name}“{filename}”不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "unknown error": "未知错误",
    "Value must be an iterable.": "取值必须是一组值。",
    "integer": "整数",
    "float": "数值",
}
PLURAL_TEXTS = {
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Option {name!r} requires an argument.": "选项“{name}”需要一个取值。",
    "{value!r} is not {choice}.": "“{value}”不是可选值 {choice}。",
    "Did you mean {possibility}?": "是否应为 {possibility}？",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
}
_PLURAL_OTHER = {
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Option {name!r} requires an argument.": "选项“{name}”需要 {nargs} 个取值。",
    "{value!r} is not {choice}.": "“{value}”不在可选值 {choices} 中。",
    "Did you mean {possibility}?": "是否应为以下之一：{possibilities}？",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 {len} 个。",
}


def _text(message: str) -> str:
    return TEXTS.get(message, message)


def _plural(singular: str, plural: str, n: int) -> str:
    if n == 1:
        return PLURAL_TEXTS.get(singular, singular)
    return _PLURAL_OTHER.get(singular, plural)


def install() -> None:
    """Point click's gettext names at the catalogue (done once, when the command starts)."""
    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            if hasattr(module, "_"):
                setattr(module, "_", _text)  # noqa: B010 (the names click's modules bind at import)
            if hasattr(module, "ngettext"):
                setattr(module, "ngettext", _plural)  # noqa: B010


class ChineseCommand(click.Command):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class ChineseGroup(click.Group):
    """A command group whose usage errors are one Chinese line, like every other error."""

    command_class = ChineseCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        install()
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else prog_name or "circular"
            click.echo(f"错误: {exc.format_message()}（运行 {command} --help 查看用法）", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"错误: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("已中断。", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)


ChineseGroup.group_class = ChineseGroup
