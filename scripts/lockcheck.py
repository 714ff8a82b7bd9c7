"""Does the lock (requirements/*.txt) belong to pyproject.toml's dependency lists?

    python3 scripts/lockcheck.py stamp   write the fingerprint into each lock file
    python3 scripts/lockcheck.py check   exit 1, naming the stale files, if any differs

`./scripts/dev.sh lock` stamps after resolving; every set-up checks before installing, so a
dependency added to pyproject.toml without `./scripts/dev.sh lock` is said at once instead
of silently missing. Standard library only (runs before any venv exists).
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ("requirements/run.txt", "requirements/test.txt")
INPUTS = "requirements/build.in"
MARK = "# pyproject-dependencies-sha256: "


def digest(root: Path = ROOT) -> str:
    """The fingerprint of what the lock is resolved from (not of the project's code)."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    inputs = {
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "build.in": [
            line.strip()
            for line in (root / INPUTS).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ],
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def stale(root: Path = ROOT) -> list[str]:
    want = MARK + digest(root)
    return [
        lock
        for lock in LOCKS
        if not (root / lock).is_file()
        or want not in (root / lock).read_text(encoding="utf-8").splitlines()
    ]


def stamp(root: Path = ROOT) -> None:
    line = MARK + digest(root)
    for lock in LOCKS:
        path = root / lock
        kept = [x for x in path.read_text(encoding="utf-8").splitlines() if not x.startswith(MARK)]
        path.write_text("\n".join([line, *kept]) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv == ["stamp"]:
        stamp()
        return 0
    if argv == ["check"]:
        bad = stale()
        if bad:
            print(
                f"the lock is out of date with pyproject.toml: {', '.join(bad)}; "
                "update it with ./scripts/dev.sh lock (and commit requirements/)",
                file=sys.stderr,
            )
            return 1
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
