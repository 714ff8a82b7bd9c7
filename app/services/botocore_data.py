"""botocore's data for one cognito-idp client: a lean loader, trimmed files, cached per version."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import botocore.session

logger = logging.getLogger(__name__)

SERVICE = "cognito-idp"
_SERVICE = SERVICE


def config_errors() -> tuple[type[Exception], ...]:
    from botocore import exceptions as bex

    return (bex.ProfileNotFound, bex.ConfigParseError, bex.ConfigNotFound)


def isolated_session(cache_dir: str | None = None) -> botocore.session.Session:
    """A session that reads neither AWS_PROFILE nor the AWS config file."""
    return new_session(isolated=True, cache_dir=cache_dir)


def default_data_cache_dir() -> str:
    """The per-user cache folder for the trimmed botocore data (GatewayConfig.data_cache_dir)."""
    import platformdirs

    from app import APP_ID

    return str(platformdirs.user_cache_path(APP_ID, appauthor=False) / "botocore")


# The data files a cognito-idp client parses in full but uses a sliver of (measured:
# endpoints.json 1.25 MB, 50-100 ms; the cognito-idp model 45-90 ms with its loading).
_TRIMMED = ("endpoints", f"{_SERVICE}/")
# The unsigned calls the gateway makes. The cache key names them: a file trimmed for
# fewer operations (an older version of the app) is never read for more.
OPERATIONS = ("ResendConfirmationCode", "SignUp", "ConfirmSignUp")
_OPERATIONS_KEY = "ops-" + "-".join(sorted(OPERATIONS))


def trim_endpoints(data: dict[str, Any]) -> dict[str, Any]:
    """endpoints.json with every partition's services cut down to cognito-idp."""
    partitions = []
    for part in data["partitions"]:
        services = part.get("services", {})
        kept = {_SERVICE: services[_SERVICE]} if _SERVICE in services else {}
        partitions.append({**part, "services": kept})
    return {**data, "partitions": partitions}


def trim_service_model(data: dict[str, Any]) -> dict[str, Any]:
    """The cognito-idp model with OPERATIONS and the shapes they reach only."""
    ops = {name: data["operations"][name] for name in OPERATIONS}
    shapes: dict[str, Any] = data["shapes"]
    keep: dict[str, Any] = {}
    todo = [op[k]["shape"] for op in ops.values() for k in ("input", "output") if k in op]
    todo += [e["shape"] for op in ops.values() for e in op.get("errors", ())]
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        shape = shapes[name]
        keep[name] = shape
        todo += [m["shape"] for m in shape.get("members", {}).values()]
        todo += [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]
    return {**data, "operations": ops, "shapes": keep}


def _trim(name: str, data: dict[str, Any]) -> dict[str, Any] | None:
    if name == "endpoints":
        return trim_endpoints(data)
    if name.startswith(f"{_SERVICE}/") and name.endswith("/service-2"):
        return trim_service_model(data)
    return None


def new_session(*, isolated: bool, cache_dir: str | None = None) -> botocore.session.Session:
    """A botocore session whose model loader does not list all ~400 botocore services.

    botocore lists every service directory (twice) on the first client only to check that
    the name exists: ~70-140 ms of a CLI call. This app only ever loads cognito-idp.
    botocore alone, not boto3: boto3 adds nothing to one client call but its imports
    (s3transfer, multiprocessing: ~50-100 ms of every CLI start).
    """
    import json
    import os

    import botocore
    import botocore.session
    from botocore.loaders import Loader

    class _CognitoLoader(Loader):  # type: ignore[misc]  # botocore is untyped
        def list_available_services(self, type_name: str) -> list[str]:
            if self.list_api_versions(_SERVICE, type_name):
                return [_SERVICE]
            return list(super().list_available_services(type_name))

        def load_data_with_path(self, name: str) -> tuple[Any, str]:
            """botocore's data, trimmed to cognito-idp and cached, where that is safe.

            Only botocore's own files are trimmed (a model the user installed under
            ~/.aws/models or AWS_DATA_PATH is loaded as is), keyed by botocore's version
            and the file's size and mtime; any problem falls back to the full file.
            """
            if cache_dir is not None and name.startswith(_TRIMMED):
                try:
                    return self._cached(name)
                except Exception:  # the cache is an optimisation only
                    logger.debug("botocore data cache unusable for %s", name, exc_info=True)
            data, path = super().load_data_with_path(name)
            return data, str(path)

        def _cached(self, name: str) -> tuple[Any, str]:
            assert cache_dir is not None
            source = next(
                (
                    os.path.join(base, name)
                    for base in self.search_paths
                    for ext in (".json", ".json.gz")
                    if os.path.isfile(os.path.join(base, name) + ext)
                ),
                None,
            )
            if source is None or not self.is_builtin_path(source):
                data, path = super().load_data_with_path(name)
                return data, str(path)
            st = next(
                os.stat(source + ext)
                for ext in (".json", ".json.gz")
                if os.path.isfile(source + ext)
            )
            key = f"{botocore.__version__}-{st.st_size}-{st.st_mtime_ns}-{_OPERATIONS_KEY}"
            cached = os.path.join(cache_dir, name.replace("/", "_") + f"-{key}.json")
            try:
                with open(cached, encoding="utf-8") as f:
                    return json.load(f), source
            except FileNotFoundError:
                pass
            data, path = super().load_data_with_path(name)
            trimmed = _trim(name, data)
            if trimmed is None:
                return data, path
            os.makedirs(cache_dir, mode=0o700, exist_ok=True)
            tmp = f"{cached}.{os.getpid()}.tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(trimmed, f, separators=(",", ":"))
            os.replace(tmp, cached)  # atomic: a concurrent reader sees all or nothing
            return trimmed, path

    # (config name, env var, default, converter): no env var means AWS_PROFILE is not read.
    session_vars = (
        {
            "profile": (None, None, None, None),
            "config_file": (None, None, os.devnull, None),
        }
        if isolated
        else None
    )
    core = botocore.session.Session(session_vars=session_vars)
    # As botocore's own create_loader: AWS_DATA_PATH entries come before the built-in data.
    data_path = core.get_config_variable("data_path")
    extra = (
        [os.path.expanduser(os.path.expandvars(p)) for p in data_path.split(os.pathsep)]
        if data_path
        else None
    )
    core.register_component("data_loader", _CognitoLoader(extra_search_paths=extra))
    return core
