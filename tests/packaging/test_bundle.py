"""The packaged app: built once per session; self-test, a window, the .tar.gz and the .deb."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import is_ci

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "cognito-resend"
SIZE_LIMIT_MB = 150
SHOWN_MARKER = "cognito-resend: main window shown"  # app/ui/application.py
# Everything the bundle is built from; a change to any of these means a rebuild.
SOURCES = ("app", "resources", "packaging", "main.py", "pyproject.toml")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]


@dataclass(frozen=True)
class Build:
    out: Path
    version: str

    @property
    def bundle(self) -> Path:
        return self.out / APP_ID

    @property
    def exe(self) -> Path:
        return self.bundle / APP_ID

    @property
    def tarball(self) -> Path:
        return self.out / f"{APP_ID}-{self.version}-linux-{os.uname().machine}.tar.gz"

    @property
    def deb(self) -> Path:
        arch = subprocess.run(
            ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
        ).stdout.strip()
        return self.out / f"{APP_ID}_{self.version}_{arch}.deb"


def _source_key() -> str:
    digest = hashlib.sha256(f"{sys.version} {sys.executable}".encode())
    for name in SOURCES:
        top = ROOT / name
        files = sorted(top.rglob("*")) if top.is_dir() else [top]
        for f in files:
            if f.is_file() and "__pycache__" not in f.parts:
                digest.update(str(f.relative_to(ROOT)).encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def _missing_tools() -> list[str]:
    missing = [t for t in ("objdump", "dpkg-deb", "dpkg") if shutil.which(t) is None]
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        missing.append("PyInstaller (pip install -e '.[package]')")
    return missing


@pytest.fixture(scope="session")
def build() -> Build:
    """The artefacts of packaging/build.sh, built once per source state (cached in build/)."""
    missing = _missing_tools()
    if missing:
        reason = f"cannot build the bundle here; missing: {', '.join(missing)}"
        if is_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    cache = Path(os.environ.get("COGNITO_RESEND_BUNDLE_CACHE", ROOT / "build" / "test-bundle"))
    out = cache / _source_key()
    done = out / ".complete"
    if not done.exists():
        # Older source states are never used again; they are 130 MB each.
        if cache.exists():
            for old in cache.iterdir():
                if old != out:
                    shutil.rmtree(old, ignore_errors=True)
        t0 = time.perf_counter()
        proc = subprocess.run(
            ["bash", str(ROOT / "packaging" / "build.sh"), "--out", str(out)],
            cwd=ROOT,
            env={**os.environ, "PYTHON": sys.executable},
            capture_output=True,
            text=True,
            timeout=1100,
        )
        assert proc.returncode == 0, f"build failed:\n{proc.stdout}\n{proc.stderr[-6000:]}"
        done.write_text(f"built in {time.perf_counter() - t0:.1f} s\n", encoding="utf-8")
    return Build(out=out, version=version(APP_ID))


@pytest.fixture
def headless_env(tmp_path: Path) -> dict[str, str]:
    """No display, Qt offscreen, and this test's own XDG folders (set by tests/conftest.py)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    env["HOME"] = str(tmp_path / "home")
    Path(env["HOME"]).mkdir()
    return env


def _run(
    cmd: list[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)


# -- the bundle ----------------------------------------------------------------------------------


def test_bundle_is_small_and_leaves_out_what_the_app_never_loads(build: Build) -> None:
    files = [p for p in build.bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    assert size_mb <= SIZE_LIMIT_MB, f"bundle is {size_mb:.1f} MB (limit {SIZE_LIMIT_MB} MB)"
    internal = build.bundle / "_internal"
    names = {str(p.relative_to(internal)) for p in internal.rglob("*")}
    assert "botocore/data/cognito-idp" in names
    assert not any(n.startswith("botocore/data/s3") or n.startswith("boto3/data/") for n in names)
    assert not any("Qt6Quick" in n or "Qt6Qml" in n or "Qt6Pdf" in n for n in names)
    assert not any("/Qt/translations/" in n for n in names)
    assert not any(n.startswith(("moto/ec2", "moto/ssm", "moto/s3")) for n in names)
    assert not any(n.startswith("libgtk-3") for n in names)
    plugins = {
        n.split("/plugins/", 1)[1] for n in names if "/Qt/plugins/" in n and n.endswith(".so")
    }
    assert {
        "platforms/libqxcb.so",
        "platforms/libqoffscreen.so",
        "imageformats/libqsvg.so",
    } <= plugins


def test_frozen_self_test_passes_headless(build: Build, headless_env: dict[str, str]) -> None:
    proc = _run([str(build.exe), "--self-test"], headless_env)
    report = proc.stdout
    assert "self-test (installed bundle; Python" in report, report + proc.stderr
    assert f"Cognito Resend {build.version}" in report
    for name in ("resources", "aws model", "qt", "log folder", "sandbox", "resend"):
        assert f"[ OK ] {name}" in report, report + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    if os.environ.get("COGNITO_RESEND_REAL_KEYRING") == "1":
        # The bundle must carry keyring's Secret Service backend (and jeepney under it).
        assert "[ OK ] keyring      Secret Service" in report, report
        assert proc.returncode == 0, report + proc.stderr
        assert report.rstrip().splitlines()[-1].startswith("SELF-TEST PASSED")
    else:
        assert "[FAIL] keyring" in report and proc.returncode == 1, report


def test_frozen_app_reports_its_version(build: Build, headless_env: dict[str, str]) -> None:
    proc = _run([str(build.exe), "--version"], headless_env, timeout=60)
    assert build.version in proc.stdout + proc.stderr, proc
    # From the bundled package metadata, not app_version()'s source-tree fallback.
    src = "from importlib.metadata import version; print(version('cognito-resend'))"
    proc = _run([str(build.exe), "-c", src], headless_env, timeout=60)
    assert proc.stdout.strip() == build.version, proc


def test_frozen_exe_runs_python_c_for_the_sandbox_trigger(
    build: Build, headless_env: dict[str, str]
) -> None:
    """app/sandbox/trigger.py starts `sys.executable -B -u -c SRC ARG`; frozen, that is us."""
    src = "import json, sys; print(json.dumps(sys.argv)); sys.exit(3)"
    proc = _run([str(build.exe), "-B", "-u", "-c", src, "result.json"], headless_env, timeout=60)
    assert proc.stdout.strip() == '["-c", "result.json"]', proc
    assert proc.returncode == 3


# -- the .tar.gz and the .deb ----------------------------------------------------------------------


def test_tarball_holds_the_bundle_under_a_versioned_folder(build: Build) -> None:
    assert build.tarball.is_file(), sorted(p.name for p in build.out.iterdir())
    top = f"{APP_ID}-{build.version}"
    with tarfile.open(build.tarball) as tar:
        exe = tar.getmember(f"{top}/{APP_ID}")
        assert exe.isfile() and exe.mode & 0o111
        assert tar.getmember(f"{top}/_internal/resources/icons/app.svg").isfile()


@pytest.fixture(scope="session")
def installed_root(build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .deb installed with dpkg into a throw-away root (its own empty dpkg database)."""
    root = tmp_path_factory.mktemp("deb-root")
    admin = root / "var" / "lib" / "dpkg"
    (admin / "info").mkdir(parents=True)
    (admin / "updates").mkdir()
    (admin / "status").touch()
    # --force-depends: the throw-away database knows none of the Qt libraries it needs
    # (this machine has them); --force-not-root lets a non-root developer run it too.
    proc = subprocess.run(
        [
            "dpkg",
            f"--root={root}",
            "--force-depends",
            "--force-not-root",
            "--force-script-chrootless",
            "--log=/dev/null",
            "-i",
            str(build.deb),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


def test_deb_metadata_and_file_list(build: Build) -> None:
    fields = subprocess.run(
        ["dpkg-deb", "-f", str(build.deb), "Package", "Version", "Architecture", "Depends"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"Package: {APP_ID}" in fields and f"Version: {build.version}" in fields
    assert "libxcb-cursor0" in fields
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(build.deb)], capture_output=True, text=True, check=True
    ).stdout
    for path in (
        f"./opt/{APP_ID}/{APP_ID}",
        f"./opt/{APP_ID}/_internal/",
        f"./usr/share/applications/{APP_ID}.desktop",
        f"./usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
        f"./usr/bin/{APP_ID} -> /opt/{APP_ID}/{APP_ID}",
    ):
        assert path in listing, path
    assert "root/root" in listing and "/home/" not in listing


def test_installed_launcher_points_at_the_installed_binary(installed_root: Path) -> None:
    desktop_file = installed_root / "usr/share/applications" / f"{APP_ID}.desktop"
    desktop = desktop_file.read_text(encoding="utf-8")
    entries = dict(
        line.split("=", 1)
        for line in desktop.splitlines()
        if "=" in line and not line.startswith("#")
    )
    target = f"/opt/{APP_ID}/{APP_ID}"
    assert entries["Exec"].split()[0] == target
    assert entries["Icon"] == APP_ID and entries["Name"] == "Cognito Resend"
    assert os.access(installed_root / target.lstrip("/"), os.X_OK)
    assert os.readlink(installed_root / "usr/bin" / APP_ID) == target
    assert (installed_root / "usr/share/icons/hicolor/scalable/apps" / f"{APP_ID}.svg").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(
            ["desktop-file-validate", str(desktop_file)],
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stdout + check.stderr


def test_installed_app_starts_and_shows_its_window_offscreen(
    installed_root: Path, headless_env: dict[str, str]
) -> None:
    """The binary dpkg installed opens the real main window (then closes it: the env hook)."""
    exe = installed_root / "opt" / APP_ID / APP_ID
    env = {**headless_env, "COGNITO_RESEND_EXIT_AFTER_SHOWN": "1"}
    t0 = time.perf_counter()
    proc = _run([str(exe)], env, timeout=120)
    assert SHOWN_MARKER in proc.stdout, proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    log_file = Path(env["XDG_STATE_HOME"]) / APP_ID / "log" / f"{APP_ID}.log"
    assert log_file.is_file(), "the app wrote no log file"
    assert time.perf_counter() - t0 < 120
