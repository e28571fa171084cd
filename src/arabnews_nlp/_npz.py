"""Load ``.npz`` archives of saved models only after their headers say they are sane.

``np.load`` allocates each array from the shape written in its ``.npy`` header before reading
a byte of data, so a crafted 1 MB archive (a header claiming billions of elements, or a
deflated run of zeros) costs gigabytes before any check could run. :func:`read_npz` reads the
headers first and refuses, without allocating:

* a missing array, an object dtype, or a dtype of another kind than expected;
* a shape other than the one the caller's JSON manifest implies (named dimensions, such as
  the non-zeros of a sparse matrix, must agree between arrays);
* an array larger than its archive member, or a member that inflates more than
  :data:`MAX_INFLATION` times (no saved model compresses anywhere near that).

Example:
    >>> import io, tempfile
    >>> import numpy as np
    >>> path = tempfile.mkdtemp() + "/w.npz"
    >>> np.savez(path, coef=np.zeros((2, 3)), idf=np.ones(3))
    >>> arrays = read_npz(path, {"coef": ((2, "terms"), "f"), "idf": (("terms",), "f")})
    >>> arrays["coef"].shape, arrays["idf"].shape
    ((2, 3), (3,))
    >>> read_npz(path, {"coef": ((5, 3), "f")})
    Traceback (most recent call last):
    ...
    ValueError: coef has shape (2, 3), expected (5, 3)
"""

from __future__ import annotations

import math
import os
import zipfile
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.lib.format as npy

__all__ = ["MAX_INFLATION", "read_npz"]

#: Largest uncompressed/compressed ratio accepted for one member (saved models compress 1-4x;
#: a run of zeros deflates about 1000x).
MAX_INFLATION = 32
#: Members this small may compress any way they like (headers alone are ~128 bytes).
_SMALL = 1 << 16

#: ``{array name: (shape, dtype kinds)}``: a shape entry is a length, or a name that every
#: array using it must agree on; kinds are ``numpy.dtype.kind`` letters (``"f"``, ``"iu"``).
Expected = Mapping[str, tuple[tuple[int | str, ...], str]]


def _header(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[tuple[int, ...], Any, int]:
    """Shape, dtype and header length of one ``.npy`` member, reading only its header."""
    with archive.open(info) as fh:
        version = npy.read_magic(fh)
        if version == (1, 0):
            shape, _, dtype = npy.read_array_header_1_0(fh)
        elif version == (2, 0):
            shape, _, dtype = npy.read_array_header_2_0(fh)
        else:
            raise ValueError(f"{info.filename}: unsupported .npy version {version}")
        return shape, dtype, fh.tell()


def read_npz(path: str | os.PathLike[str], expected: Expected) -> dict[str, np.ndarray]:
    """The ``expected`` arrays of the archive at ``path``, loaded once their headers passed.

    Raises:
        ValueError: a check failed (nothing large was allocated), or the file is no archive.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            if sum(i.compress_size for i in infos.values()) > os.path.getsize(path):
                raise ValueError("the archive's directory claims more data than the file holds")
            sizes: dict[str, int] = {}
            for name, (shape, kinds) in expected.items():
                info = infos.get(f"{name}.npy")
                if info is None:
                    raise ValueError(f"the array {name!r} is missing")
                if info.file_size > max(MAX_INFLATION * info.compress_size, _SMALL):
                    raise ValueError(f"{name} inflates {info.file_size} bytes from "
                                     f"{info.compress_size}: not a saved model")  # fmt: skip
                got, dtype, header = _header(archive, info)
                if dtype.hasobject or dtype.kind not in kinds:
                    raise ValueError(f"{name} has dtype {dtype}, expected kind {kinds!r}")
                if len(got) != len(shape) or any(
                    want != n and not isinstance(want, str)
                    for want, n in zip(shape, got, strict=True)
                ):
                    raise ValueError(f"{name} has shape {got}, expected {shape}")
                for want, n in zip(shape, got, strict=True):
                    if isinstance(want, str) and sizes.setdefault(want, n) != n:
                        raise ValueError(f"{name} has {n} {want}, other arrays {sizes[want]}")
                if math.prod(got) * dtype.itemsize > info.file_size - header:
                    raise ValueError(f"{name}'s header claims more data than the archive holds")
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ValueError(f"not a valid .npz archive: {exc}") from None
    with np.load(path, allow_pickle=False) as arrays:
        return {name: arrays[name] for name in expected}
