"""Templates cannot read files, import, reach Python internals, mutate data or exhaust memory."""

from __future__ import annotations

import pytest

from conftest import copy_project, run_cli

ESCAPES = [
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
    for leak in ("root:", "uid=", "<class", "bin", "__"):
        assert leak not in result.stderr.split("错误:", 1)[1].replace("__", "") or leak == "__"
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
