"""Uploads built to exhaust the server's memory are refused from what they declare, before
they are inflated or decoded, with a message for the person who uploaded them."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from roadmaps.models import MilestoneUpdate
from roadmaps.uploads import check_upload

# The bound the checks must stay under while refusing a bomb (Python's allocations, as
# tracemalloc counts them). Before the checks existed, the zip bomb took over 1 GiB.
PEAK_MEMORY_BOUND = 20 * 1024 * 1024
GIB = 1024**3
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@pytest.fixture(scope="session")
def zip_bomb_odt(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A ~1 MB .odt whose ``mimetype`` member inflates to 1 GiB, written in chunks so the
    test never holds the gigabyte either."""
    path: Path = tmp_path_factory.mktemp("bombs") / "bomb.odt"
    chunk = ODT_MIMETYPE + b"\0" * (1024 * 1024 - len(ODT_MIMETYPE))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as member:
            member.write(chunk)
            zeros = b"\0" * (1024 * 1024)
            for _ in range(1023):
                member.write(zeros)
        archive.writestr("content.xml", b"<office:document-content/>")
    data = path.read_bytes()
    assert len(data) < 2 * 1024 * 1024
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("mimetype").file_size == GIB
    return data


@pytest.fixture(scope="session")
def pixel_bomb_png() -> bytes:
    """A PNG of 6300 x 6300 pixels (39.7 million) that weighs a few tens of kilobytes."""
    out = io.BytesIO()
    Image.new("1", (6300, 6300)).save(out, "PNG", optimize=True)
    return out.getvalue()


def peak_memory_of(check: Callable[[], Any]) -> tuple[int, BaseException | None]:
    """Peak of Python's allocations while ``check`` runs, and what it raised."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    raised = None
    try:
        check()
    except Exception as error:  # the caller asserts what it was
        raised = error
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak, raised


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_a_zip_bomb_odt_is_refused_from_its_declared_sizes_without_inflating_it(zip_bomb_odt):
    peak, raised = peak_memory_of(lambda: check_upload(upload("plan.odt", zip_bomb_odt)))
    assert isinstance(raised, ValidationError)
    assert "“plan.odt” is an archive that would unpack to more than" in raised.messages[0]
    assert peak < PEAK_MEMORY_BOUND, f"peak {peak / 1e6:.1f} MB"


def test_a_member_that_declares_a_small_size_is_read_no_further_than_that(monkeypatch):
    """A declared size that lies is no way around the bound: reading stops at it."""
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODT_MIMETYPE + b"\0" * (64 * 1024 * 1024))
    data = bytearray(bomb.getvalue())
    # Rewrite the declared (inflated) size of the member in both headers to 40 bytes.
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("mimetype")
    local_size_at = info.header_offset + 22
    data[local_size_at : local_size_at + 4] = (40).to_bytes(4, "little")
    central = bytes(data).rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (40).to_bytes(4, "little")
    peak, raised = peak_memory_of(lambda: check_upload(upload("plan.odt", bytes(data))))
    assert isinstance(raised, ValidationError)
    assert "not a file type the portal accepts" in raised.messages[0]
    assert peak < PEAK_MEMORY_BOUND, f"peak {peak / 1e6:.1f} MB"


def test_an_archive_of_too_many_members_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        for number in range(10_001):
            archive.writestr(f"word/{number}.xml", b"")
    with pytest.raises(ValidationError, match="is an archive that would unpack"):
        check_upload(upload("many.docx", out.getvalue()))


def test_an_ordinary_document_still_passes(settings):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODT_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", b"<text:p>Shelters need funding.</text:p>" * 20_000)
    checked = check_upload(upload("notes.odt", out.getvalue()))
    assert checked.content_type == "application/vnd.oasis.opendocument.text"


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(pixel_bomb_png):
    assert len(pixel_bomb_png) < 200 * 1024
    before = Image.core.get_stats()["new_count"]
    peak, raised = peak_memory_of(lambda: check_upload(upload("map.png", pixel_bomb_png)))
    assert isinstance(raised, ValidationError)
    assert raised.messages == [
        "The image has more pixels than the portal accepts (at most 24 million). "
        "Make it smaller and upload it again."
    ]
    assert peak < PEAK_MEMORY_BOUND, f"peak {peak / 1e6:.1f} MB"
    # Pillow allocates a decoded image outside Python's allocator: none was made.
    assert Image.core.get_stats()["new_count"] == before


def test_the_pixel_budget_is_a_setting(settings, pixel_bomb_png):
    settings.PORTAL_MAX_IMAGE_PIXELS = 100
    small = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(small, "PNG")
    with pytest.raises(ValidationError, match=r"accepts \(at most 0.0001 million\)"):
        check_upload(upload("tile.png", small.getvalue()))
    settings.PORTAL_MAX_IMAGE_PIXELS = 200
    assert check_upload(upload("tile.png", small.getvalue())).kind == "image"


def test_an_image_far_over_the_budget_is_refused_by_pillow_as_a_form_error(settings):
    """Above twice its limit Pillow raises an error of its own rather than a warning."""
    settings.PORTAL_MAX_IMAGE_PIXELS = 500
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG")
    with pytest.raises(ValidationError, match=r"accepts \(at most 0.0005 million\)"):
        check_upload(upload("tile.png", out.getvalue()))
    assert Image.MAX_IMAGE_PIXELS == 500


# --- Through the upload forms --------------------------------------------------------------


def report(client, milestone, **data):
    payload = {
        "status": "in_progress",
        "progress": "45",
        "narrative": "The bill passed its second reading.",
        "link_1_sensitivity": "public",
        "link_2_sensitivity": "public",
        "file_1_sensitivity": "public",
        "file_2_sensitivity": "public",
        "file_3_sensitivity": "public",
        **data,
    }
    return client.post(reverse("roadmaps:milestone_report", args=[milestone.pk]), payload)


@pytest.mark.django_db
def test_a_zip_bomb_as_evidence_is_refused_on_the_report_page(client_for, milestone, zip_bomb_odt):
    client = client_for("focal_point")
    responses = []
    peak, raised = peak_memory_of(
        lambda: responses.append(
            report(client, milestone, file_1=SimpleUploadedFile("plan.odt", zip_bomb_odt))
        )
    )
    assert raised is None
    response = responses[0]
    assert response.status_code == 200
    assert "is an archive that would unpack to more than" in response.content.decode()
    assert not MilestoneUpdate.objects.exists()
    assert peak < PEAK_MEMORY_BOUND + 2 * len(zip_bomb_odt), f"peak {peak / 1e6:.1f} MB"


@pytest.mark.django_db
def test_a_pixel_bomb_as_evidence_is_refused_on_the_report_page(
    client_for, milestone, pixel_bomb_png
):
    response = report(
        client_for("focal_point"),
        milestone,
        file_1=SimpleUploadedFile("map.png", pixel_bomb_png),
    )
    assert "more pixels than the portal accepts (at most 24 million)" in response.content.decode()
    assert not MilestoneUpdate.objects.exists()


@pytest.mark.django_db
def test_a_zip_bomb_as_consultation_input_is_refused(client_for, consultation, world, zip_bomb_odt):
    response = client_for("org_admin").post(
        reverse("consultations:input_submit", args=[consultation.pk]),
        {
            "on_behalf_of": str(world.organization.pk),
            "text": "Shelters need funding.",
            "attachment": SimpleUploadedFile("notes.odt", zip_bomb_odt),
        },
    )
    assert "“notes.odt” is an archive that would unpack to more than" in (response.content.decode())
    assert not consultation.inputs.exists()
