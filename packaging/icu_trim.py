"""A smaller ICU data library for the Linux bundle: Qt's libicudata (32 MB) without the
data of locales other than English, converters and dictionaries this app never loads.

    python packaging/icu_trim.py SRC_LIBICUDATA OUT_DIR     (the spec calls trimmed_icudata)

QtCore links ICU for collation, case mapping, IDNA and legacy text codecs. The UI is
English only and reads and writes UTF-8: kept are the root and `en*` locale data of every
category (so another locale falls back to root, as ICU does for any locale it lacks),
collation root + en with the UCA table, break rules without the CJK/Thai dictionaries, and
every non-locale item (normalisation, properties, IDNA's uts46, time-zone tables) except
the legacy-charset converters (*.cnv; UTF-8/16/32, ASCII and Latin-1 are built into ICU).

Needs ICU's `icupkg` and `genccode` (Debian: icu-devtools) and a C compiler; without them
(or on any failure) returns None and the bundle keeps the full library.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*$")
_KEEP_LOCALES = re.compile(r"^(root|en(_[A-Za-z0-9]+)*|res_index|pool)$")


def keep_item(item: str) -> bool:
    """Whether an ICU data item ("coll/de.res", "uts46.nrm", ...) stays."""
    folder, _, name = item.rpartition("/")
    stem, _, ext = name.rpartition(".")
    if ext == "cnv" or ext == "dict":
        return False
    if folder == "translit":
        return False
    if ext == "res" and (_LOCALE.match(stem) or folder):
        return bool(_KEEP_LOCALES.match(stem)) or not _LOCALE.match(stem)
    return True


def _elf_symbol(lib: Path, symbol: str) -> tuple[int, int] | None:
    """(file offset, size) of `symbol` in `lib`, from readelf (None if not found)."""
    out = subprocess.run(["readelf", "-sW", str(lib)], capture_output=True, text=True,
                         check=True).stdout
    value = size = None
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 8 and parts[7] == symbol:
            value, size = int(parts[1], 16), int(parts[2], 0)
            break
    if value is None or size is None:
        return None
    sections = subprocess.run(["readelf", "-SW", str(lib)], capture_output=True, text=True,
                              check=True).stdout
    for line in sections.splitlines():
        m = re.search(r"\]\s+\.rodata\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m:
            address, offset = int(m.group(1), 16), int(m.group(2), 16)
            return value - address + offset, size
    return None


def trimmed_icudata(src: Path, work: Path) -> Path | None:
    """Build a trimmed copy of `src` (libicudata.so.NN) in `work`; None if not possible."""
    tools = [shutil.which(t) for t in ("icupkg", "genccode", "cc", "readelf")]
    if not all(tools):
        print("[icu_trim] icupkg/genccode/cc/readelf not found: the full ICU data is kept",
              file=sys.stderr)
        return None
    m = re.match(r"libicudata\.so\.(\d+)", src.name)
    if not m:
        return None
    major = m.group(1)
    name = f"icudt{major}l"
    try:
        work.mkdir(parents=True, exist_ok=True)
        found = _elf_symbol(src, f"icudt{major}_dat")
        if found is None:
            return None
        offset, size = found
        dat = work / f"{name}.dat"
        with src.open("rb") as f:
            f.seek(offset)
            dat.write_bytes(f.read(size))
        items = subprocess.run(["icupkg", "-l", str(dat)], capture_output=True, text=True,
                               check=True).stdout.split()
        drop = [i for i in items if not keep_item(i)]
        (work / "drop.txt").write_text("\n".join(drop) + "\n")
        small = work / "small" / f"{name}.dat"
        small.parent.mkdir(exist_ok=True)
        # --ignore-deps: root break rules name the CJK/Thai dictionaries; without them ICU
        # breaks those scripts by rules alone.
        subprocess.run(["icupkg", "--ignore-deps", "-r", str(work / "drop.txt"), str(dat),
                        str(small)],
                       check=True, capture_output=True)
        # genccode writes the data as a C array named icudtNN_dat (-e: the entry point).
        subprocess.run(["genccode", "-e", f"icudt{major}", "-d", str(work), str(small)],
                       check=True, capture_output=True)
        c_file = work / f"{name}_dat.c"
        if not c_file.exists():
            return None
        # The array is named after the file (icudtNNl_dat); ICU's libraries look for
        # icudtNN_dat. Plain C: no ICU headers needed to compile it.
        code = c_file.read_text()
        code = code.replace(f"{name}_dat", f"icudt{major}_dat")
        code = code.replace('#include "unicode/umachine.h"', "#include <stdint.h>")
        code = code.replace("U_CDECL_BEGIN", "").replace("U_CDECL_END", "")
        c_file.write_text(code)
        out = work / "lib" / src.name
        out.parent.mkdir(exist_ok=True)
        subprocess.run(["cc", "-shared", "-fPIC", "-O0", f"-Wl,-soname,{src.name}", "-o",
                        str(out), str(c_file)], check=True, capture_output=True)
        subprocess.run(["strip", "--strip-unneeded", str(out)], check=False,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"[icu_trim] failed ({exc}): the full ICU data is kept", file=sys.stderr)
        return None
    print(f"[icu_trim] {src.name}: {src.stat().st_size / 1e6:.1f} MB -> "
          f"{out.stat().st_size / 1e6:.1f} MB ({len(drop)} of {len(items)} items dropped)",
          file=sys.stderr)
    return out


if __name__ == "__main__":
    result = trimmed_icudata(Path(sys.argv[1]), Path(sys.argv[2]))
    print(result or "not trimmed")
