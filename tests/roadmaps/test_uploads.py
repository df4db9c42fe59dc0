import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from roadmaps.uploads import check_upload
from tests.roadmaps.factories import PDF_BYTES


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (1.0, 17.0, 0.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_pdf_is_accepted_with_its_type_read_from_the_content():
    checked = check_upload(upload("report.PDF", PDF_BYTES))
    assert checked.content_type == "application/pdf"
    assert checked.kind == "document"
    assert checked.size == len(PDF_BYTES)


def test_a_photo_loses_its_exif_and_gps_metadata():
    original = jpeg_with_gps()
    assert b"PhoneMaker" in original
    checked = check_upload(upload("photo.jpg", original))
    cleaned = checked.content.read()
    assert b"PhoneMaker" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
    assert checked.kind == "image"


def test_office_documents_are_recognized_from_inside_the_zip():
    docx = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    odt = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""})
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
    assert "wordprocessingml" in check_upload(upload("draft.docx", docx)).content_type
    assert check_upload(upload("draft.odt", odt)).content_type.endswith("opendocument.text")
    assert check_upload(upload("old.xls", ole2)).content_type == "application/vnd.ms-excel"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 an executable", "not a file type the portal accepts"),
        ("report.pdf", b"<html><script>alert(1)</script></html>", "not a file type"),
        ("photo.png", PDF_BYTES, "is a PDF, which its name does not say"),
        ("report.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "is a PNG image"),
        ("archive.docx", zipped({"a.txt": b"x"}), "not a file type"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "could not be read"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(name, data, message):
    with pytest.raises(ValidationError, match=message):
        check_upload(upload(name, data))


def test_an_oversized_file_is_refused_with_the_limit_in_the_message(settings):
    settings.ROADMAPS_MAX_UPLOAD_SIZE = 1024
    with pytest.raises(ValidationError, match="at most 1.0"):
        check_upload(upload("big.pdf", PDF_BYTES + b"0" * 2000))
