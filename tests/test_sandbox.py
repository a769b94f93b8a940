"""Templates cannot read files, import, reach Python internals, mutate data or exhaust memory."""

from __future__ import annotations

import pytest

from conftest import copy_project, run_cli

ESCAPES = [
    "{{ meeting.parse_raw('x', proto='pickle', allow_pickle=True) }}",
    "{{ meeting.parse_file('/etc/passwd') }}",
    "{{ inv.model_validate_json('{}') }}",
    "{{ organ.__reduce_ex__(2) }}",
    "{{ meeting.items.__self__.__class__ }}",
    "{{ inv.agenda.__class__.__base__.__subclasses__() }}",
    "{{ range.__func__.__globals__ }}",
    "{{ inv.date.format_map(inv) }}",
    "{{ 'x'.center(10**9) }}",
    "{{ 'x'|center(10**9) }}",
    "{{ 'x'|indent(10**9) }}",
    "{{ 'x'|format() }}",
    "{{ meeting|pprint }}",
    "{{ meeting|tojson }}",
    "{{ [1, 2]|random }}",
    "{{ meeting|attr('__class__') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'].listdir('/') }}",
    "{{ joiner.__init__.__globals__.__builtins__.open('/etc/passwd').read() }}",
    "{{ meeting.__class__.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ inv.agenda.append('多加一项') }}",
    "{{ inv.contact.update({'name': '别人'}) }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}{{ os }}",
    "{{ range(10**9)|list|length }}",
    "{{ 'a' * 1000000000 }}",
    "{{ 2 ** 100000000 }}",
    "{{ config }}",
    "{{ meeting.model_config.__class__ }}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_invitation_template_cannot_escape(tmp_path, source):
    project = copy_project(tmp_path)
    template = project / "templates" / "invitation.md.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("# 会议地点", source + "\n\n# 会议地点"),
                        encoding="utf-8")
    result = run_cli("build", "--no-paginate", cwd=project)
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("templates/invitation.md.j2:"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    message = result.stderr.split("错误:", 1)[1]
    for leak in ("root:", "uid=", "<class", "/bin", "__", "Traceback", "object at 0x"):
        assert leak not in message, message
    assert not (project / "out").exists()


@pytest.mark.parametrize("source", ["{{ ''.__class__.__mro__ }}", "{{ organ.__class__ }}", "{{ 'x' * 10**8 }}"])
def test_word_template_cannot_escape(tmp_path, source):
    import docx

    project = copy_project(tmp_path)
    document = docx.Document()
    document.add_paragraph(source)
    document.save(project / "templates" / "回执.docx")
    result = run_cli("build", "--no-paginate", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("templates/回执.docx"), result.stderr


# --- every attribute path, walked ----------------------------------------------------------------

import types  # noqa: E402

from circular.templating import SAFE_DICT_METHODS, SAFE_FILTERS, SAFE_LOOP_ATTRIBUTES, SAFE_STR_METHODS  # noqa: E402


def _template_objects():
    """What a template can name: the invitation's data as the renderer passes it, the receipt's,
    the globals, and the objects Jinja itself hands out (loop, self, a macro, caller)."""
    from jinja2.runtime import Undefined

    from circular.load import load_all
    from circular.load.invitations import wording_context
    from circular.templating import environment, plain_data
    from conftest import DATA

    pending = load_all(DATA)[0].pending[0]
    data = plain_data(wording_context(pending.meeting, pending.organ))
    receipt = plain_data(dict(pending.build().main.attachments[0].form.context))
    env = environment()
    captured: list = []
    probe = environment()
    probe.globals["capture"] = captured.append  # only in this probe: to get hold of Jinja's own objects
    probe.from_string("{{ capture(self) }}{% for i in [1] %}{{ capture(loop) }}{% endfor %}"
                      "{% macro m() %}{{ capture(caller) if caller is defined }}{% endmacro %}{{ capture(m) }}"
                      "{% call m() %}x{% endcall %}").render()
    roots = {**data, **receipt, **env.globals, "jinja": captured}
    return env, roots, Undefined


SAFE_METHOD_OWNERS = {str: SAFE_STR_METHODS, dict: SAFE_DICT_METHODS}


def _allowed_callable(value) -> bool:
    """Builtin methods of plain data on the allow-list, Jinja's own loop helpers, the bounded
    range, macros and callers; nothing whose code can import, open files or unpickle."""
    from jinja2.runtime import LoopContext, Macro

    owner = getattr(value, "__self__", None)
    name = getattr(value, "__name__", "")
    if isinstance(value, types.BuiltinMethodType) and type(owner) in SAFE_METHOD_OWNERS:
        return name in SAFE_METHOD_OWNERS[type(owner)]
    if isinstance(value, types.MethodType) and isinstance(owner, LoopContext):
        return name in SAFE_LOOP_ATTRIBUTES
    if isinstance(value, types.MethodType) and name == "_range":
        return True
    return isinstance(value, Macro)


def test_no_attribute_path_reaches_code():
    env, roots, undefined = _template_objects()
    seen: set[int] = set()
    pending = [(name, value, 0) for name, value in roots.items()]
    reachable = 0
    while pending:
        path, obj, depth = pending.pop()
        if id(obj) in seen or depth > 5:
            continue
        seen.add(id(obj))
        names = set(dir(obj)) | (set(map(str, obj)) if isinstance(obj, dict) else set())
        for name in sorted(names):
            for how, value in (("attr", env.getattr(obj, name)), ("item", env.getitem(obj, name))):
                if isinstance(value, undefined):
                    continue
                reachable += 1
                where = f"{path}.{name} ({how})"
                assert not isinstance(value, (types.ModuleType, type, types.CodeType, types.FrameType)), where
                assert not isinstance(value, types.FunctionType), where  # a Python function carries __globals__
                if callable(value):
                    assert _allowed_callable(value), f"{where}: {value!r}"
                pending.append((f"{path}.{name}", value, depth + 1))
        if isinstance(obj, list):
            pending.extend((f"{path}[{i}]", v, depth + 1) for i, v in enumerate(obj[:3]))
    assert reachable > 50  # the walk really walked: every data field, loop attribute and method


def test_only_allow_listed_filters_and_globals():
    from circular.templating import environment

    env = environment()
    assert set(env.filters) == set(SAFE_FILTERS)
    assert set(env.globals) == {"range"}
    for dangerous in ("center", "indent", "format", "wordwrap", "attr", "safe", "pprint", "tojson", "random",
                      "xmlattr", "urlize"):
        assert dangerous not in env.filters


def test_templates_receive_plain_data_only():
    from circular.templating import plain_data

    class Live:
        def read(self):
            return open("/etc/passwd").read()

    with pytest.raises(TypeError):
        plain_data({"x": Live()})
