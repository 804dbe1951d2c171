"""Image XObjects, encoded once per process.

A 公印 or 印影 appears in thousands of documents; decoding, alpha-checking and compressing it
for each one cost ~30 ms per document with ReportLab's ``drawImage``. Here the encoded streams
are cached by content, and each document only writes the cached streams once (``PdfWriter.image``).
"""

from __future__ import annotations

import hashlib
import io
import threading
import zlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EncodedImage:
    name: str
    width: int
    height: int
    colorspace: str
    filter: str
    data: bytes
    smask: bytes | None  # Flate-compressed 8-bit alpha, if the image has any transparency


_cache: dict[tuple[bytes, tuple[int, int] | None], EncodedImage] = {}
_lock = threading.Lock()
_MAX_CACHE = 256


def encode_image(raw: bytes, max_px: tuple[int, int] | None = None) -> EncodedImage:
    """``raw`` PNG/JPEG (already checked by ``decode_image``) as a PDF image; larger than
    ``max_px`` in either direction: downsampled to fit it (JPEG decoded at a reduced scale)."""
    digest = hashlib.sha256(raw).digest()
    hit = _cache.get((digest, max_px))
    if hit is not None:
        return hit
    from PIL import Image

    with Image.open(io.BytesIO(raw), formats=("PNG", "JPEG")) as im:
        name = "lgimg" + digest.hex()[:16]
        if max_px is not None and (im.width > max_px[0] or im.height > max_px[1]):
            name += f"_{max_px[0]}x{max_px[1]}"
            # in place; a JPEG is decoded at a reduced DCT scale first (draft), never at full size
            im.thumbnail(max_px, Image.Resampling.LANCZOS, reducing_gap=2.0)
            im.format = "PNG"  # the original bytes no longer apply: re-encoded losslessly below
        if im.format == "JPEG" and im.mode in ("L", "RGB"):
            enc = EncodedImage(name, im.width, im.height, "DeviceGray" if im.mode == "L" else "DeviceRGB",
                               "DCTDecode", raw, None)
        else:
            alpha = None
            if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
                rgba = im.convert("RGBA")
                a = rgba.getchannel("A")
                if a.getextrema() != (255, 255):
                    alpha = zlib.compress(a.tobytes(), 6)
                base = rgba.convert("RGB")
            else:
                base = im.convert("L" if im.mode in ("1", "L", "I", "I;16") else "RGB")
            gray = base.mode == "L"
            enc = EncodedImage(name, base.width, base.height, "DeviceGray" if gray else "DeviceRGB",
                               "FlateDecode", zlib.compress(base.tobytes(), 6), alpha)
    with _lock:
        if len(_cache) >= _MAX_CACHE:
            _cache.pop(next(iter(_cache)))
        _cache[(digest, max_px)] = enc
    return enc
