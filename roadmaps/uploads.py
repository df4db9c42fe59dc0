"""Checks on the files people upload as evidence or consultation documents.

A file's type is read from its content (its first bytes, and for office documents the
inside of the zip), never from its name or the browser's claim; the name's extension must
then agree with what the content is. Images are decoded and encoded again by Pillow, which
drops EXIF, GPS and other metadata (a photo's location can endanger the people in it).
The stored file gets a random name; views serve it as a download to those allowed only.

Both checks are built not to be turned into a way of exhausting the server's memory. An
archive is judged by its table of contents (declared sizes and compression ratios, bounded
in total) before anything in it is inflated, and only the first bytes of the one member that
names the type are ever read. An image's pixel count is read from its header and refused
above ``PORTAL_MAX_IMAGE_PIXELS`` before it is decoded; Pillow's own limit is set to the same
budget where images are opened.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# 24 million pixels: a 6000 x 4000 camera photo. Decoded, such an image takes some 70 MB in
# RGB; each copy made while its metadata is stripped takes as much again.
DEFAULT_MAX_IMAGE_PIXELS = 24_000_000
# An office document's parts are XML, which deflate compresses some 5 to 30 times; a zip
# bomb's member is compressed about a thousand times. What the archive declares is checked
# before anything is inflated; reading through ``zipfile`` never inflates a member beyond the
# size it declares.
MAX_ARCHIVE_MEMBERS = 10_000
MAX_ARCHIVE_INFLATED_SIZE = 256 * 1024 * 1024
MAX_MEMBER_RATIO = 200  # for members over RATIO_CHECKED_FROM bytes
RATIO_CHECKED_FROM = 1024 * 1024
# ODF stores ``mimetype`` uncompressed, first, and it holds a short media type.
MAX_MIMETYPE_SIZE = 256


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]
    kind: str  # "document" or "image"
    pillow_format: str = ""


PDF = FileType("PDF", "application/pdf", (".pdf",), "document")
PNG = FileType("PNG image", "image/png", (".png",), "image", "PNG")
JPEG = FileType("JPEG image", "image/jpeg", (".jpg", ".jpeg"), "image", "JPEG")
GIF = FileType("GIF image", "image/gif", (".gif",), "image", "GIF")
WEBP = FileType("WebP image", "image/webp", (".webp",), "image", "WEBP")
DOCX = FileType(
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    "document",
)
XLSX = FileType(
    "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    "document",
)
PPTX = FileType(
    "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
    "document",
)
ODT = FileType(
    "OpenDocument text", "application/vnd.oasis.opendocument.text", (".odt",), "document"
)
ODS = FileType(
    "OpenDocument spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet",
    (".ods",),
    "document",
)
ODP = FileType(
    "OpenDocument presentation",
    "application/vnd.oasis.opendocument.presentation",
    (".odp",),
    "document",
)
# Word 97-2003, Excel and PowerPoint share one container format (OLE2); its header does not
# say which of the three it holds, so any of their extensions is accepted.
OLE2 = FileType(
    "Office 97-2003 document", "application/octet-stream", (".doc", ".xls", ".ppt"), "document"
)
OLE2_CONTENT_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}

ODF_TYPES = {t.content_type: t for t in (ODT, ODS, ODP)}
OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
ALLOWED_EXTENSIONS = sorted(
    {
        ext
        for t in (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP, OLE2)
        for ext in t.extensions
    }
)


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, ready to be saved through the storage API."""

    content: File
    original_name: str
    size: int
    content_type: str
    kind: str


def max_upload_size() -> int:
    return getattr(settings, "ROADMAPS_MAX_UPLOAD_SIZE", DEFAULT_MAX_UPLOAD_SIZE)


def sniff(head: bytes, upload: File) -> FileType | None:
    """What the content is, from its first bytes (and a zip's table of contents)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE2
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(upload)
    return None


def _archive_refused(upload: File) -> ValidationError:
    name = PurePath(upload.name or "").name or "file"
    return ValidationError(
        _(
            "“%(name)s” is an archive that would unpack to more than %(limit)s, or is "
            "compressed far more than documents are. The portal does not accept it; save the "
            "document again from its application and upload that file."
        )
        % {"name": name, "limit": filesizeformat(MAX_ARCHIVE_INFLATED_SIZE)}
    )


def _check_archive(archive: zipfile.ZipFile, upload: File) -> None:
    """Refuse an archive from its declared sizes, before any member is inflated."""
    members = archive.infolist()
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise _archive_refused(upload)
    total = 0
    for member in members:
        total += member.file_size
        if total > MAX_ARCHIVE_INFLATED_SIZE:
            raise _archive_refused(upload)
        if member.file_size > RATIO_CHECKED_FROM and member.file_size > MAX_MEMBER_RATIO * max(
            member.compress_size, 1
        ):
            raise _archive_refused(upload)


def _sniff_zip(upload: File) -> FileType | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            _check_archive(archive, upload)
            names = archive.namelist()
            if "mimetype" in names:
                member = archive.getinfo("mimetype")
                if member.file_size > MAX_MIMETYPE_SIZE:
                    return None
                # Bounded twice: by the size checked above and by the read itself (the
                # declared size may lie; zipfile stops at it and checks the CRC).
                with archive.open(member) as stream:
                    head = stream.read(MAX_MIMETYPE_SIZE + 1)
                mimetype = head[:100].decode("ascii", "replace").strip()
                return ODF_TYPES.get(mimetype)
            if "[Content_Types].xml" in names:
                for prefix, file_type in OOXML_PARTS:
                    if any(name.startswith(prefix) for name in names):
                        return file_type
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)
    return None


def max_image_pixels() -> int:
    return getattr(settings, "PORTAL_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)


def _image_too_large(limit: int) -> ValidationError:
    return ValidationError(
        _(
            "The image has more pixels than the portal accepts (at most %(limit)s million). "
            "Make it smaller and upload it again."
        )
        % {"limit": f"{limit / 1_000_000:g}"}
    )


def _clean_image(upload: File, file_type: FileType) -> bytes:
    """Decode the image fully and encode it again without its metadata, if its header
    declares no more pixels than the budget."""
    limit = max_image_pixels()
    # Pillow warns above its limit and refuses above twice it. With the warning made an
    # error, opening an image refuses it above the budget from its header, before a pixel
    # is decoded.
    Image.MAX_IMAGE_PIXELS = limit
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as probe:
                if probe.format != file_type.pillow_format:
                    raise ValidationError(_("The image is damaged or not what its name says."))
                width, height = probe.size
                if width * height > limit:  # should Pillow's limit have been changed
                    raise _image_too_large(limit)
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
                image = ImageOps.exif_transpose(image)  # keep the photo upright without EXIF
                out = io.BytesIO()
                if file_type is JPEG:
                    image.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
                elif file_type is GIF:
                    image.save(out, "GIF")
                else:
                    image.save(out, file_type.pillow_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _image_too_large(limit) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("The image could not be read: it is damaged or too large.")
        ) from None
    return out.getvalue()


def check_upload(upload: File) -> CheckedFile:
    """Check size and type; return what to store. Raises ValidationError with a message
    for the person who uploaded it."""
    name = PurePath(upload.name or "").name[:255] or "file"
    size = upload.size or 0
    limit = max_upload_size()
    if size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    file_type = sniff(head, upload)
    if file_type is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a file type the portal accepts. Upload a PDF, an image (PNG, "
                "JPEG, GIF, WebP) or an office document (Word, Excel, PowerPoint, OpenDocument)."
            )
            % {"name": name}
        )
    extension = PurePath(name).suffix.lower()
    if extension not in file_type.extensions:
        raise ValidationError(
            _(
                "The content of “%(name)s” is a %(type)s, which its name does not say. Rename "
                "it to end in %(extensions)s, or upload the file you meant."
            )
            % {
                "name": name,
                "type": file_type.label,
                "extensions": " or ".join(file_type.extensions),
            }
        )
    content_type = file_type.content_type
    if file_type is OLE2:
        content_type = OLE2_CONTENT_TYPES[extension]
    if file_type.kind == "image":
        data = _clean_image(upload, file_type)
        return CheckedFile(
            content=ContentFile(data, name=name),
            original_name=name,
            size=len(data),
            content_type=content_type,
            kind="image",
        )
    upload.seek(0)
    return CheckedFile(
        content=File(upload, name=name),
        original_name=name,
        size=size,
        content_type=content_type,
        kind="document",
    )


def check_form_upload(form: Any, field: str) -> None:
    """In a form's ``clean()``: check ``field``'s upload and keep the checked file as
    ``<field>_checked`` (None without one), or add the check's error to the field."""
    upload = form.cleaned_data.get(field)
    form.cleaned_data[f"{field}_checked"] = None
    if upload:
        try:
            form.cleaned_data[f"{field}_checked"] = check_upload(upload)
        except ValidationError as error:
            form.add_error(field, error)
