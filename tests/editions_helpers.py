"""Helpers for the editions tests (approve, status, history, diff, redline, amendments, drafts).

Kept apart from ``helpers.py``/``conftest.py`` on purpose: the editions tests bring their own
project copies, git repositories and document readers.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import helpers
import yaml
from click.testing import Result
from lxml import etree

REPO_ROOT = Path(__file__).resolve().parent.parent

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
W = f"{{{W_NS}}}"

ANSI = re.compile(r"\x1b\[")
FINGERPRINT = re.compile(r"^sha256:[0-9a-f]{64}$")

MANAGER = "kam-manager"
HEAD = "kam-head"
MANAGER_GENITIVE = "менеджера по работе с ключевыми клиентами"

# A clause of roles/_common.yaml (guiding_documents) that both shipped roles splice in.
COMMON_CLAUSE = "Уставом организации."
COMMON_CLAUSE_NEW = "Уставом и учредительными документами организации."
# A responsibility clause of roles/_common.yaml.
COMMON_RESPONSIBILITY = "За причинение материального ущерба работодателю"


# --------------------------------------------------------------------------- project and git


def copy_project(target: Path) -> Path:
    """The shipped jobdesc.yaml and roles/ (no *.editions) copied into ``target``; the roles
    stand without the department regulation (its own editions are tested in test_policy_editions)."""
    helpers.copy_project(target, editions=False)
    shutil.rmtree(target / "policies")
    for role in (target / "roles").glob("kam-*.yaml"):
        text = role.read_text(encoding="utf-8")
        role.write_text(text.replace(*helpers.LINKS_AS_TEXT[0]), encoding="utf-8")
    assert not list((target / "roles").glob("*.editions")), "the copy must start without editions"
    return target


def git(root: Path, *args: str) -> str:
    """``git ARGS`` in ``root`` with a fixed identity; must succeed."""
    command = [
        "git",
        "-c",
        "user.name=Тест",
        "-c",
        "user.email=test@example.invalid",
        "-c",
        "commit.gpgsign=false",
        "-c",
        "core.autocrlf=false",
        *args,
    ]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, (command, done.stdout, done.stderr)
    return done.stdout


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def git_project(target: Path) -> Path:
    """A copy of the shipped project in a fresh git repository with one commit."""
    copy_project(target)
    git(target, "init", "-q")
    commit_all(target, "project")
    return target


# --------------------------------------------------------------------------- the CLI


def jd(*args: str | Path) -> Result:
    """``jobdesc ARGS`` in-process (stdout and stderr apart)."""
    return helpers.run_cli(*args)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.output
    return result


def refused(result: Result) -> str:
    """Exit 1 with exactly one line on stderr, nothing on stdout, no traceback; returns the line."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == "", result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].strip(), "the refusal must say something"
    return lines[0]


# --------------------------------------------------------------------------- files


def replace_once(path: Path, old: str, new: str) -> None:
    """Replace the only occurrence of ``old`` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def role_file(root: Path, role: str = MANAGER) -> Path:
    return root / "roles" / f"{role}.yaml"


def role_data(root: Path, role: str = MANAGER) -> dict:
    return yaml.safe_load(role_file(root, role).read_text(encoding="utf-8"))


def edition_file(root: Path, role: str, number: int) -> Path:
    return root / "roles" / f"{role}.editions" / f"{number:03d}.yaml"


def edition_record(root: Path, role: str, number: int) -> dict:
    return yaml.safe_load(edition_file(root, role, number).read_text(encoding="utf-8"))


def edition_files(root: Path) -> dict[str, bytes]:
    """Every file under every ``roles/*.editions`` folder, with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "roles").glob("*.editions/*"))
        if p.is_file()
    }


def string_duties(data: dict) -> list[str]:
    """The duties of a role that are plain clauses (the first ones of the shipped kam-manager)."""
    duties = data["duties"]
    result = []
    for duty in duties:
        if not isinstance(duty, str):
            break
        result.append(duty)
    return result


def clause_number(duties: list, text: str) -> str:
    """«2.N» of a duty: duties are section 2, the first duty is 2.1."""
    return f"2.{duties.index(text) + 1}"


# --------------------------------------------------------------------------- DOCX reading


def read_part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read(name)


def document_root(path: Path):  # noqa: ANN201
    return etree.fromstring(read_part(path, "word/document.xml"))


def paragraph_text(p) -> str:  # noqa: ANN001
    """The visible text of a w:p (w:t, tabs and non-breaking hyphens as «-»; deleted text excluded)."""
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}noBreakHyphen"):
        parts.append(node.text or "" if node.tag == f"{W}t" else "\t" if node.tag == f"{W}tab" else "-")
    return "".join(parts)


def body_paragraphs(root) -> list[str]:  # noqa: ANN001
    """The non-empty paragraph texts of the body in document order (table cells included)."""
    body = root.find(f"{W}body")
    return [text for text in (paragraph_text(p) for p in body.iter(f"{W}p")) if text.strip()]


def docx_paragraphs(path: Path) -> list[str]:
    return body_paragraphs(document_root(path))


def textconv_lines(path: Path) -> list[str]:
    """``jobdesc textconv FILE`` as lines (must succeed)."""
    result = ok(jd("textconv", path))
    return result.stdout.splitlines()


def header_parts(path: Path) -> dict[str, str]:
    """Header parts referenced by the body's sections: ``{type: text}`` per section, by part name."""
    with zipfile.ZipFile(path) as package:
        document = etree.fromstring(package.read("word/document.xml"))
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{{{PKG_REL_NS}}}Relationship")}
        result: dict[str, str] = {}
        for index, sect in enumerate(document.iter(f"{W}sectPr")):
            for ref in sect.findall(f"{W}headerReference"):
                name = "word/" + targets[ref.get(f"{{{R_NS}}}id")]
                header = etree.fromstring(package.read(name))
                text = "\n".join(paragraph_text(p) for p in header.iter(f"{W}p"))
                result[f"section{index}:{ref.get(f'{{{W_NS}}}type')}:{name}"] = text
        return result


def all_header_texts(path: Path) -> dict[str, str]:
    """Every ``word/header*.xml`` of the package with its text."""
    with zipfile.ZipFile(path) as package:
        names = [n for n in package.namelist() if re.fullmatch(r"word/header\d*\.xml", n)]
        return {n: "\n".join(paragraph_text(p) for p in etree.fromstring(package.read(n)).iter(f"{W}p")) for n in names}


# --------------------------------------------------------------------------- the end-to-end scenario


@dataclass
class Scenario:
    """Edition 1 approved and committed; three duty changes committed; edition 2 approved; built."""

    root: Path
    changed_old: str
    changed_new: str
    added: str
    removed: str
    n_changed: str  # «2.N» (old number)
    m_added: str  # «2.M» (new number)
    k_removed: str  # «2.K» (old number)
    diff_head_json: Result
    diff_ed1_json: Result
    diff_head_text: Result
    diff_ed1_text: Result
    approve2: Result
    build: Result
    edition1_single: Path  # folder with kam-manager.docx of edition 1, one copy
    edition2_single: Path  # folder with kam-manager.docx of edition 2, one copy

    @property
    def output(self) -> Path:
        return self.root / "output"


ADDED_DUTY = "Участвует в отраслевых выставках и конференциях, представляя продукцию организации."
CHANGED_FROM = "при возникновении нестандартных ситуаций"
CHANGED_TO = "при возникновении нестандартных и конфликтных ситуаций"
EDITION1_DATE = "2026-01-15"
EDITION2_DATE = "2026-03-02"
ORDER = "15-к"


def run_scenario(base: Path) -> Scenario:
    """The issue's scenario, all through the CLI, in a temporary git repository."""
    root = git_project(base / "project")
    ok(jd("-C", root, "approve", MANAGER, "--date", EDITION1_DATE))
    edition1_single = base / "edition1"
    ok(jd("-C", root, "build", MANAGER, "--copies", "1", "--out", edition1_single))
    commit_all(root, "edition 1")

    path = role_file(root)
    old_duties = string_duties(role_data(root))
    changed_old = next(d for d in old_duties if CHANGED_FROM in d)
    changed_new = changed_old.replace(CHANGED_FROM, CHANGED_TO)
    removed = old_duties[4]
    after = old_duties[8]
    assert len({changed_old, removed, after}) == 3
    replace_once(path, f"  - {changed_old}\n", f"  - {changed_new}\n")
    replace_once(path, f"  - {removed}\n", "")
    replace_once(path, f"  - {after}\n", f"  - {after}\n  - {ADDED_DUTY}\n")
    new_duties = string_duties(role_data(root))
    commit_all(root, "duties changed")

    scenario = Scenario(
        root=root,
        changed_old=changed_old,
        changed_new=changed_new,
        added=ADDED_DUTY,
        removed=removed,
        n_changed=clause_number(old_duties, changed_old),
        m_added=clause_number(new_duties, ADDED_DUTY),
        k_removed=clause_number(old_duties, removed),
        diff_head_json=jd("-C", root, "diff", MANAGER, "--from", "HEAD~1", "--format", "json"),
        diff_ed1_json=jd("-C", root, "diff", MANAGER, "--from", "1", "--format", "json"),
        diff_head_text=jd("-C", root, "diff", MANAGER, "--from", "HEAD~1"),
        diff_ed1_text=jd("-C", root, "diff", MANAGER, "--from", "1"),
        approve2=jd("-C", root, "approve", MANAGER, "--date", EDITION2_DATE, "--order", ORDER, "--same-function"),
        build=None,  # type: ignore[arg-type]
        edition1_single=edition1_single,
        edition2_single=base / "edition2",
    )
    ok(scenario.approve2)
    scenario.build = ok(jd("-C", root, "build"))
    ok(jd("-C", root, "build", MANAGER, "--copies", "1", "--out", scenario.edition2_single))
    return scenario


def numbered_item(lines: list[str], item: str) -> list[str]:
    """Lines that are exactly «K. item» (an item of a numbered list)."""
    pattern = re.compile(r"\d+\. " + re.escape(item))
    return [line for line in lines if pattern.fullmatch(line)]
