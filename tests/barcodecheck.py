"""Read the barcodes of a PDF page as a scanner would: rasterize it with poppler (not the pdfium
renderer lgforms uses for its own PNGs) and decode with zxing-cpp (not segno/ReportLab, which encode).

    for b in decode_page(pdf, page=2):
        b.format, b.text, b.bytes, b.extra  # zxing-cpp Barcode objects
"""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest


def rasterize(pdf: bytes, page: int = 1, dpi: int = 300):
    """One page as a greyscale PIL image, rendered by poppler's pdftoppm."""
    from PIL import Image

    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.fail("poppler-utils (pdftoppm) is required for the tests; .ci/run installs it")
    png = subprocess.run([exe, "-r", str(dpi), "-f", str(page), "-l", str(page), "-gray", "-png", "-singlefile", "-"],
                         input=pdf, capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png))


def decode_page(pdf: bytes, page: int = 1, dpi: int = 300) -> list:
    """Every barcode zxing-cpp finds on the page (QR Codes, Code 128 / GS1-128, …)."""
    import zxingcpp

    return list(zxingcpp.read_barcodes(rasterize(pdf, page, dpi)))


def by_format(barcodes: list, name: str) -> list:
    """The decoded barcodes of one symbology, by zxing-cpp's name: "QRCode", "Code128"."""
    return [b for b in barcodes if b.format.name == name]
