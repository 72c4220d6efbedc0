"""Detached signatures of approved editions, made with the key git signs commits with.

``approve --sign`` signs the edition's bytes with the SSH key (``gpg.format = ssh``) or the
OpenPGP key (the default) that ``git config user.signingkey`` names, into ``NNN.yaml.sig``;
``check`` verifies every ``.sig``. SSH signatures use the namespace ``jobdesc`` and are checked
against git's ``gpg.ssh.allowedSignersFile`` when it is set.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jobdesc.disk import git
from jobdesc.errors import JobdescError

NAMESPACE = "jobdesc"
TIMEOUT = 120  # seconds; a passphrase prompt or a smart card may take a while


@dataclass(frozen=True)
class Verdict:
    """The outcome of verifying one signature: ``problem`` (it fails) or ``note`` (it holds, with a caveat)."""

    problem: str | None = None
    note: str | None = None


def _git_config(root: Path, key: str) -> str | None:
    found = git.run(root, "config", "--get", key, purpose="подпись редакций берет ключ из настроек git")
    if found.returncode != 0:
        return None
    return found.stdout.decode("utf-8", "replace").strip() or None


def _run(command: list[str], data: bytes, what: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, input=data, capture_output=True, timeout=TIMEOUT, check=False)
    except FileNotFoundError:
        raise JobdescError(f"{command[0]} не найден: {what}") from None
    except subprocess.TimeoutExpired:
        raise JobdescError(f"{command[0]} не ответил за {TIMEOUT} с: {what}") from None


_CHATTER = ("created", "создан", "keybox", "trustdb")  # gpg's «directory '~/.gnupg' created» is not a reason


def _first_line(output: bytes) -> str:
    lines = [line.strip() for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    lines = [line for line in lines if not any(word in line for word in _CHATTER)] or lines
    return lines[0] if lines else "без объяснения"


def sign(root: Path, data: bytes) -> bytes:
    """A detached signature of ``data`` with git's signing key (``user.signingkey``, ``gpg.format``)."""
    kind = (_git_config(root, "gpg.format") or "openpgp").lower()
    key = _git_config(root, "user.signingkey")
    if kind == "ssh":
        if not key:
            raise JobdescError(
                "--sign: в git не задан ключ подписи: git config user.signingkey ~/.ssh/id_ed25519.pub "
                "(и git config gpg.format ssh)"
            )
        program = _git_config(root, "gpg.ssh.program") or "ssh-keygen"
        with tempfile.TemporaryDirectory(prefix="jobdesc-sign-") as folder:
            if key.startswith("key::"):  # a literal public key, its private half in ssh-agent
                literal = Path(folder) / "key.pub"
                literal.write_text(key.removeprefix("key::") + "\n", encoding="utf-8")
                key = str(literal)
            done = _run(
                [program, "-Y", "sign", "-f", os.path.expanduser(key), "-n", NAMESPACE],
                data,
                "подпись SSH делает ssh-keygen (OpenSSH 8.1 и новее)",
            )
        if done.returncode != 0 or not done.stdout:
            raise JobdescError(f"--sign: ssh-keygen не подписал редакцию ключом {key}: {_first_line(done.stderr)}")
        return done.stdout
    if kind == "openpgp":
        program = _git_config(root, "gpg.openpgp.program") or _git_config(root, "gpg.program") or "gpg"
        home = os.environ.get("GNUPGHOME") or os.path.expanduser("~/.gnupg")
        if not key and not os.path.isdir(home):  # gpg would create ~/.gnupg, start an agent and find no key
            raise JobdescError(
                f"--sign: ключа OpenPGP нет (нет папки {home}) и в git не задан ключ подписи: "
                "git config user.signingkey КЛЮЧ (или SSH: git config gpg.format ssh)"
            )
        command = [program, "--batch", "--armor", "--detach-sign"] + (["--local-user", key] if key else [])
        done = _run(command, data, "подпись OpenPGP делает gpg (GnuPG)")
        if done.returncode != 0 or not done.stdout:
            raise JobdescError(f"--sign: gpg не подписал редакцию: {_first_line(done.stderr)}")
        return done.stdout
    raise JobdescError(f"--sign: подпись в формате gpg.format={kind} не поддерживается; возможны ssh и openpgp")


def verify(root: Path, data: bytes, signature: Path) -> Verdict:
    """Whether ``signature`` (an ``.sig`` file) is a good signature of ``data``."""
    text = signature.read_bytes()
    if b"BEGIN SSH SIGNATURE" in text:
        return _verify_ssh(root, data, signature)
    if b"BEGIN PGP SIGNATURE" in text:
        program = _git_config(root, "gpg.openpgp.program") or _git_config(root, "gpg.program") or "gpg"
        done = _run([program, "--batch", "--verify", str(signature), "-"], data, "подпись OpenPGP проверяет gpg")
        if done.returncode != 0:
            return Verdict(problem="подпись OpenPGP не подтверждается (gpg --verify)")
        return Verdict()
    return Verdict(problem="это не подпись SSH или OpenPGP")


def _verify_ssh(root: Path, data: bytes, signature: Path) -> Verdict:
    program = _git_config(root, "gpg.ssh.program") or "ssh-keygen"
    what = "подпись SSH проверяет ssh-keygen (OpenSSH 8.1 и новее)"
    allowed = _git_config(root, "gpg.ssh.allowedSignersFile")
    if not allowed:
        done = _run([program, "-Y", "check-novalidate", "-n", NAMESPACE, "-s", str(signature)], data, what)
        if done.returncode != 0:
            return Verdict(problem="подпись SSH не подтверждается (ssh-keygen -Y verify)")
        return Verdict(
            note="подпись SSH верна, но кто подписал, не проверено: задайте список ключей "
            "git config gpg.ssh.allowedSignersFile"
        )
    allowed = os.path.expanduser(allowed)
    found = _run([program, "-Y", "find-principals", "-s", str(signature), "-f", allowed], b"", what)
    principals = found.stdout.decode("utf-8", "replace").split()
    if found.returncode != 0 or not principals:
        return Verdict(problem=f"подпись SSH сделана ключом, которого нет в {allowed} (gpg.ssh.allowedSignersFile)")
    done = _run(
        [program, "-Y", "verify", "-f", allowed, "-I", principals[0], "-n", NAMESPACE, "-s", str(signature)], data, what
    )
    if done.returncode != 0:
        return Verdict(problem="подпись SSH не подтверждается (ssh-keygen -Y verify)")
    return Verdict()
