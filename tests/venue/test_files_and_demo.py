"""Uploads checked by content; the demo venue."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vev.venue.errors import VenueError
from vev.venue.services import files

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="5"/></svg>'


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "active content",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "scripts"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><image x:href="https://evil.example/a.png"/></svg>',
            "outside content",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>',
            "DOCTYPE",
        ),
        (b"<svg", "not a valid SVG"),
        (b"GIF89a....", "not an SVG, PNG, JPEG or WebP"),
    ],
)
def test_unsafe_or_unknown_images_are_refused(data, message):
    with pytest.raises(VenueError, match=message):
        files.check_image(SimpleUploadedFile("map.svg", data))


def test_images_are_checked_by_content_not_name():
    assert files.check_image(SimpleUploadedFile("map.png", SVG)).format == "svg"
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
    assert files.check_image(SimpleUploadedFile("x.svg", png)).format == "png"
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (files.IMAGE_MAX_BYTES + 1))
    with pytest.raises(VenueError, match="at most"):
        files.check_image(big)


def test_exhibit_files():
    from vev.documents.services.writers import simple_pdf

    assert (
        files.check_exhibit_file(SimpleUploadedFile("s.pdf", simple_pdf("T", ["x"]))).format
        == "pdf"
    )
    webm = b"\x1a\x45\xdf\xa3" + b"\0" * 40
    assert files.check_exhibit_file(SimpleUploadedFile("v.bin", webm)).format == "webm"
    with pytest.raises(VenueError, match="damaged"):
        files.check_exhibit_file(SimpleUploadedFile("s.pdf", b"%PDF-1.4 broken"))
    with pytest.raises(VenueError, match="neither a PDF"):
        files.check_exhibit_file(SimpleUploadedFile("s.exe", b"MZ\0\0"))


def test_the_demo_session_has_its_venue(db):
    from vev.council.services.demo import load_demo
    from vev.venue.models import Area, Exhibit, Robot, Space, Venue

    result = load_demo()
    venue = Venue.objects.get(event=result.event)
    assert venue.host_country.iso_code == "CH"
    kinds = set(Space.objects.filter(venue=venue).values_list("kind", flat=True))
    assert {"lobby", "lounge", "pavilion", "sponsor"} <= kinds
    lounge = venue.spaces.get(slug="lounge")
    assert lounge.panorama_poster and lounge.has_live_view
    assert Area.objects.filter(space__venue=venue, kind="room").count() == 3
    assert Exhibit.objects.filter(space__venue=venue).count() >= 4
    assert venue.spaces.get(kind="sponsor").sponsor is not None
    assert Robot.objects.filter(event=result.event).exists()
    for space in venue.spaces.all():
        files.check_svg(space.background.read(), space.background.name)


def test_a_space_refused_on_validation_leaves_no_stored_file(settings, tmp_path, event, role_users):
    from tests.venue.conftest import create_venue
    from vev.venue.models import Space
    from vev.venue.services import setup

    settings.MEDIA_ROOT = tmp_path / "media"
    venue = create_venue(event)
    space = Space(venue=venue, slug="pavilion", name="", kind="pavilion")  # a name is required
    with pytest.raises(VenueError):
        setup.save(
            space,
            by=role_users["secretariat"],
            event=event,
            uploads={"background": SimpleUploadedFile("map.svg", SVG)},
        )
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
