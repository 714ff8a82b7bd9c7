"""3 (team provisioning): bad input to export/import/import-aws and the profile dialog.

In the style of test_bad_input.py (deterministic Hypothesis, no example database, the
case count in the summary): an export file of any bytes or JSON is refused naming FILE;
any `profiles import-aws` / `export` / `import` arguments with a value that cannot work
end in exit 2 naming the flag, never a traceback, never a socket (no server is started,
no AWS call is made); the profile dialog names each problem in its label's words.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.core.profile import validate_region
from app.services.profile_transfer import EXPORT_FORMAT, TransferError, parse_export
from app.ui.dialogs.profile_dialog import ProfileDialog
from tests.reliability.conftest import count_case
from tests.reliability.test_bad_input import (
    DEPTHS,
    _deep,
    _json_values,
    _run_cli,
    cases,
    texts,
)

pytestmark = pytest.mark.timeout(300)

record_items = st.fixed_dictionaries(
    {},
    optional={
        "name": _json_values(3), "region": _json_values(3), "endpoint_url": _json_values(3),
        "user_pool_id": _json_values(3), "client_id": _json_values(3),
        "needs_secret": _json_values(3), "aws_profile": _json_values(3),
        "presets": _json_values(4),
    },
)  # fmt: skip
export_files = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda v: json.dumps(v).encode(), _json_values()),
    st.builds(
        lambda fmt, version, items: json.dumps(
            {"format": fmt, "version": version, "profiles": items}
        ).encode(),
        st.sampled_from([EXPORT_FORMAT, EXPORT_FORMAT, "other", None, 1]),
        st.sampled_from([1, 1, 1, 0, 2, "1", None, True]),
        st.lists(record_items, max_size=4) | _json_values(3),
    ),
    st.builds(lambda d, k: _deep(d, k).encode(), DEPTHS, st.sampled_from(["list", "map"])),
)


@cases(600)
@given(content=export_files)
def test_export_file_any_content_is_refused_naming_file_or_read(content: bytes) -> None:
    count_case("export file")
    try:
        records = parse_export(content, "team.json")
    except TransferError as exc:
        assert str(exc).startswith("FILE: "), exc
        return
    for record in records:
        assert record.profile.name.strip()
        assert record.client_id is None or record.client_id.strip()


@contextlib.contextmanager
def _no_network() -> Iterator[list[object]]:
    """Refuse every bind and connect while a CLI case runs: no server, no AWS call."""
    attempts: list[object] = []
    real_bind, real_connect = socket.socket.bind, socket.socket.connect

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError(f"a generated CLI command tried to use the network: {address!r}")

    socket.socket.bind = refuse  # type: ignore[method-assign,assignment]
    socket.socket.connect = refuse  # type: ignore[method-assign,assignment]
    try:
        yield attempts
    finally:
        socket.socket.bind = real_bind  # type: ignore[method-assign]
        socket.socket.connect = real_connect  # type: ignore[method-assign]


# A region that is never valid: import-aws must refuse before any AWS call.
bad_regions = texts.filter(lambda r: bool(validate_region(r)))
import_aws_argvs = st.builds(
    lambda region, extra: ["profiles", "import-aws", "--region", region, *extra],
    bad_regions,
    st.lists(
        st.sampled_from(["--aws-profile", "--user-pool-id", "--client-id", "--name",
                         "--endpoint-url"]).flatmap(lambda f: st.tuples(st.just(f), texts)),
        max_size=3,
    ).map(lambda pairs: [x for pair in pairs for x in pair]),
)
export_argvs = st.builds(
    lambda names: ["profiles", "export", *names],
    st.lists(texts.filter(lambda n: bool(n.strip()) and not n.startswith("-")),
             min_size=1, max_size=3),
)


@pytest.fixture
def _no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("LANGUAGE", "C")


@cases(400)
@given(argv=st.one_of(import_aws_argvs, export_argvs))
@pytest.mark.usefixtures("_no_keyring")
def test_provisioning_cli_any_bad_arguments_exit_2_naming_the_flag(argv: list[str]) -> None:
    assume(not any(a in ("-h", "--help") for a in argv))
    count_case("provisioning CLI")
    with _no_network() as attempts:
        code, out, err = _run_cli(argv)
    assert not attempts, (argv, attempts)
    assert "Traceback" not in out + err
    assert code == 2, (argv, code, out, err)
    named = ("--region", "--aws-profile", "--user-pool-id", "--client-id", "--name",
             "--endpoint-url", "NAME", "argument")
    assert any(flag in err for flag in named), (argv, err)


@cases(150)
@given(content=export_files)
@pytest.mark.usefixtures("_no_keyring")
def test_import_any_file_exits_2_naming_file(tmp_path: Path, content: bytes) -> None:
    count_case("import file")
    path = tmp_path / "team.json"
    path.write_bytes(content)
    with _no_network() as attempts:
        code, out, err = _run_cli(["profiles", "import", str(path)])
    assert not attempts and "Traceback" not in out + err
    if code == 0:  # an empty or all-skipped file is fine; nothing needed a network
        return
    assert code in (1, 2, 5), (code, err)
    if code == 2:
        assert "FILE" in err or "--secret-stdin" in err, err


LABELS = ("User pool ID", "Region", "Name", "Endpoint URL", "Client ID")


@pytest.fixture(scope="module")
def profile_dialog(qapp: object) -> Iterator[ProfileDialog]:
    """One dialog for every example (building one per example costs more than checking)."""
    dialog = ProfileDialog(["eu-west-1", "us-east-1"])
    yield dialog
    dialog.deleteLater()


@cases(300)
@given(pool=texts, region=texts, name=texts, endpoint=texts, client_id=texts)
def test_profile_dialog_any_values_name_the_field_in_its_words(
    profile_dialog: ProfileDialog, pool: str, region: str, name: str, endpoint: str,
    client_id: str,
) -> None:
    count_case("profile dialog")
    dialog = profile_dialog
    dialog.pool_edit.setText(pool)
    dialog.region_combo.setCurrentText(region)
    dialog.name_edit.setText(name)
    dialog.endpoint_edit.setText(endpoint)
    dialog.client_id_edit.setText(client_id)
    for field, problems in dialog.field_problems().items():
        for text in problems:
            assert text.startswith(LABELS), (field, text)
            assert "endpoint_url" not in text and "user_pool_id" not in text
            assert not text.startswith(f"{field}:")
    assert dialog.ok_button.isEnabled() == (not dialog.problems())
