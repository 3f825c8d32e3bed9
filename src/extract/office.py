"""DOC and WPS reader: converts the file to DOCX with LibreOffice (headless) and reads that.

Each thread of each worker process converts with a LibreOffice profile of its own, so parallel
workers never share (and lock) one profile; a conversion that hangs is killed after a timeout.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

from .docx import read_docx
from .model import Document, ReaderError

# Environment variable naming the LibreOffice binary (default: soffice or libreoffice on PATH).
SOFFICE_ENV = "NIANBAO_SOFFICE"
# Environment variable overriding CONVERSION_TIMEOUT (seconds).
TIMEOUT_ENV = "NIANBAO_SOFFICE_TIMEOUT"
# Seconds one conversion may take. Reports convert in 1–3 s; the first conversion of a worker
# also builds its LibreOffice profile (a few seconds more).
CONVERSION_TIMEOUT = 120.0
INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui; "
                "or set NIANBAO_SOFFICE to the soffice binary)")
_SOFFICE_NAMES = ("soffice", "libreoffice")
_SOFFICE_PATHS = ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                  "/Applications/LibreOffice.app/Contents/MacOS/soffice")
_STDERR_CHARS = 400
# Start-up warnings LibreOffice prints on every run; they explain nothing about a failure.
_OUTPUT_NOISE = ("javaldx", "java may not function")

_profiles: dict[tuple[int, int], Path] = {}
_profiles_lock = threading.Lock()


def read_doc_via_libreoffice(data: bytes, name: str) -> Document:
    """Read a Word 97–2003 (.doc) or WPS Writer (.wps) file: convert to DOCX, then read_docx.

    No LibreOffice -> status unsupported (the message says what to install); a failed or
    timed-out conversion -> failed with LibreOffice's reason.
    """
    if not data:
        raise ReaderError(f"{name}: the file is empty", "failed")
    fmt = "wps" if name.lower().rsplit("?", 1)[0].endswith(".wps") else "doc"
    converted = convert_to_docx(data, name, fmt)
    document = read_docx(converted, name)
    metadata = dict(document.metadata)
    metadata["converted_by"] = "LibreOffice"
    return replace(document, format=fmt, metadata=metadata)


def find_soffice() -> str | None:
    """The LibreOffice binary to run: $NIANBAO_SOFFICE if set (even when it names nothing, so a
    wrong setting is reported rather than silently ignored), else soffice/libreoffice on PATH."""
    configured = os.environ.get(SOFFICE_ENV)
    if configured:
        found = shutil.which(configured)
        return found
    for candidate in _SOFFICE_NAMES:
        found = shutil.which(candidate)
        if found:
            return found
    for candidate in _SOFFICE_PATHS:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def conversion_timeout() -> float:
    configured = os.environ.get(TIMEOUT_ENV)
    if configured:
        try:
            return max(float(configured), 0.001)
        except ValueError:
            pass
    return CONVERSION_TIMEOUT


def convert_to_docx(data: bytes, name: str, fmt: str = "doc", timeout: float | None = None) -> bytes:
    """The bytes of `data` (a .doc or .wps file) converted to DOCX by LibreOffice."""
    soffice = find_soffice()
    if soffice is None:
        configured = os.environ.get(SOFFICE_ENV)
        where = f" ({SOFFICE_ENV}={configured} is not an executable)" if configured else ""
        raise ReaderError(f"{name}: {fmt} documents are converted with LibreOffice, which is not "
                          f"installed{where}; {INSTALL_HINT}", "unsupported")
    timeout = conversion_timeout() if timeout is None else timeout
    profile = _profile_dir()
    with tempfile.TemporaryDirectory(prefix="nianbao-convert-") as work:
        # Kingsoft WPS Writer files are Word 97 binaries, but LibreOffice maps the .wps extension to
        # Microsoft Works; and left to guess, it imports undecodable bytes as plain text. So the
        # Word 97 import filter is named explicitly for both.
        source = Path(work) / "report.doc"
        source.write_bytes(data)
        out_dir = Path(work) / "out"
        out_dir.mkdir()
        command = [
            soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--nologo",
            "--norestore", "--nodefault", "--nolockcheck", "--infilter=MS Word 97",
            "--convert-to", "docx:MS Word 2007 XML",
            "--outdir", str(out_dir), str(source),
        ]
        stdout, stderr, returncode = _run(command, timeout, name, fmt, profile)
        result = out_dir / "report.docx"
        if returncode != 0 or not result.exists():
            reason = _tail(stderr) or _tail(stdout) or f"exit status {returncode}"
            raise ReaderError(f"{name}: LibreOffice could not open this {fmt} file as a Word 97-2003 "
                              f"document, so it was not converted (the file is damaged, encrypted or not "
                              f"a Word document); LibreOffice said: {reason}", "failed")
        return result.read_bytes()


def _run(command: list[str], timeout: float, name: str, fmt: str, profile: Path) -> tuple[str, str, int]:
    env = dict(os.environ)
    env.setdefault("SAL_USE_VCLPLUGIN", "svp")  # no display needed
    try:
        # A session of its own, so a hung LibreOffice and the helpers it started die together.
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    except OSError as exc:
        raise ReaderError(f"{name}: LibreOffice ({command[0]}) could not be started: {exc}; {INSTALL_HINT}",
                          "unsupported") from exc
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        process.communicate()
        _discard_profile(profile)  # a killed instance can leave the profile locked or half written
        raise ReaderError(f"{name}: LibreOffice did not finish converting this {fmt} document to DOCX "
                          f"within {timeout:g} seconds (the file may be very large or damaged); "
                          "conversion stopped", "failed") from exc
    return (stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"), process.returncode)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def _tail(text: str) -> str:
    """The end of LibreOffice's output, without its start-up noise."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and not any(
        noise in line for noise in _OUTPUT_NOISE)]
    return " ".join(lines)[-_STDERR_CHARS:]


def _profile_dir() -> Path:
    """This thread's private LibreOffice profile (created on first use, removed at exit)."""
    key = (os.getpid(), threading.get_ident())
    with _profiles_lock:
        profile = _profiles.get(key)
        if profile is None or not profile.exists():
            profile = Path(tempfile.mkdtemp(prefix=f"nianbao-lo-profile-{key[0]}-"))
            _profiles[key] = profile
        return profile


def _discard_profile(profile: Path) -> None:
    with _profiles_lock:
        for key, value in list(_profiles.items()):
            if value == profile:
                del _profiles[key]
    shutil.rmtree(profile, ignore_errors=True)


@atexit.register
def _remove_profiles() -> None:
    pid = os.getpid()
    with _profiles_lock:
        for key, profile in list(_profiles.items()):
            if key[0] == pid:
                shutil.rmtree(profile, ignore_errors=True)
                del _profiles[key]
