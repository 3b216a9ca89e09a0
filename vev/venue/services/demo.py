"""The venue of the demo session (receiver of ``council.signals.demo_loaded``).

Geneva 2020: a lobby, the delegates' lounge between Conference Rooms 1 and 2 (two bookable
meeting rooms and a 360° view), the host country's pavilion (Switzerland), a sponsor space,
exhibits with opening hours, two demonstration sponsors and a telepresence robot. The maps are
SVG drawings of vev's own (``data/maps``). The lounge's 360° stream address comes from
``VEV_DEMO_LOUNGE_STREAM`` (HLS ``.m3u8``) when set; otherwise the still picture is shown.
"""

from __future__ import annotations

import os
from datetime import time
from pathlib import Path

from django.core.files.base import ContentFile

from vev.council.models import Entity, Event

from ..models import Area, Exhibit, Robot, Space, Sponsor, Venue
from . import files

MAPS = Path(__file__).resolve().parent.parent / "data" / "maps"


def _image(name: str) -> ContentFile:
    data = (MAPS / name).read_bytes()
    files.check_svg(data, name)
    return ContentFile(data, name=name)


def _slides_pdf() -> ContentFile:
    from vev.documents.services.writers import simple_pdf

    data = simple_pdf(
        "Geneva, international city",
        [
            "Geneva has hosted the International Telecommunication Union since 1948.",
            "About 40 international organisations and 180 permanent missions work in Geneva.",
            "The CICG, the Geneva International Conference Centre, next to the Palais des "
            "Nations, held many ITU meetings.",
            "In 2020 Council met online for the first time (DM-20/1004).",
        ],
        pages=2,
    )
    return ContentFile(data, name="geneva-international-city.pdf")


def load_demo_venue(event: Event, *, people: dict) -> Venue:
    switzerland = Entity.objects.filter(iso_code="CH").first()
    venue = Venue.objects.create(
        event=event,
        name="Virtual CICG, Geneva",
        host_country=switzerland,
        welcome=(
            "Welcome to the virtual venue of the 2020 Council session. Walk into the lounge "
            "between the conference rooms to meet colleagues, visit the pavilion of our host "
            "country, book a side meeting or a telepresence robot in the physical lounge."
        ),
    )
    alpine = Sponsor.objects.create(
        event=event,
        name="Alpine Networks (demo)",
        level=Sponsor.Level.GOLD,
        url="https://alpine-networks.example/",
        description="A fictitious sponsor for the demonstration.",
    )
    alpine.logo.save("logo-alpine.svg", _image("logo-alpine.svg"), save=True)
    leman = Sponsor.objects.create(
        event=event,
        name="Léman Satellite (demo)",
        level=Sponsor.Level.SILVER,
        url="https://leman-sat.example/",
        description="A fictitious sponsor for the demonstration.",
    )
    leman.logo.save("logo-leman.svg", _image("logo-leman.svg"), save=True)

    def space(slug, name, kind, position, map_name, **fields):
        row = Space(venue=venue, slug=slug, name=name, kind=kind, position=position, **fields)
        row.background.save(map_name, _image(map_name), save=False)
        row.save()
        return row

    lobby = space(
        "lobby",
        "Lobby",
        Space.Kind.LOBBY,
        0,
        "lobby.svg",
        description=(
            "Where everybody arrives: doors lead to the lounge, the pavilion and the sponsors."
        ),
    )
    lounge = space(
        "lounge",
        "Delegates' lounge",
        Space.Kind.LOUNGE,
        1,
        "lounge.svg",
        description=(
            "Between Conference Rooms 1 and 2, as at the CICG. "
            "Live 360° view of the physical lounge."
        ),
        stream_kind=Space.StreamKind.HLS if os.environ.get("VEV_DEMO_LOUNGE_STREAM") else "",
        stream_url=os.environ.get("VEV_DEMO_LOUNGE_STREAM", ""),
    )
    lounge.panorama_poster.save("lounge-360.svg", _image("lounge-360.svg"), save=True)
    pavilion = space(
        "switzerland",
        "Pavilion of Switzerland",
        Space.Kind.PAVILION,
        2,
        "pavilion.svg",
        description="Our host country presents Geneva, international city.",
        host_entity=switzerland,
    )
    sponsors = space(
        "sponsors",
        "Sponsors' hall",
        Space.Kind.SPONSOR,
        3,
        "sponsor.svg",
        description="Stands of the sponsors of the session.",
        sponsor=alpine,
    )
    for target, x in ((lounge, 20), (pavilion, 1150)):
        Area.objects.create(
            space=lobby,
            kind=Area.Kind.DOOR,
            name=f"To the {target.name.lower()}",
            x=x,
            y=340,
            w=30,
            h=120,
            target=target,
        )
    Area.objects.create(
        space=lobby,
        kind=Area.Kind.DOOR,
        name="To the sponsors' hall",
        x=540,
        y=20,
        w=120,
        h=30,
        target=sponsors,
    )
    for space_row in (lounge, pavilion, sponsors):
        Area.objects.create(
            space=space_row,
            kind=Area.Kind.DOOR,
            name="Back to the lobby",
            x=560,
            y=760,
            w=80,
            h=30,
            target=lobby,
        )
    for name, x in (("Meeting room A", 260), ("Meeting room B", 640)):
        Area.objects.create(
            space=lounge,
            kind=Area.Kind.MEETING_ROOM,
            name=name,
            x=x,
            y=40,
            w=300,
            h=180,
            capacity=6,
            slot_minutes=30,
            opens_at=time(8, 0),
            closes_at=time(20, 0),
        )
    Area.objects.create(
        space=pavilion,
        kind=Area.Kind.MEETING_ROOM,
        name="Swiss bilateral room",
        x=900,
        y=200,
        w=250,
        h=160,
        capacity=4,
        slot_minutes=30,
        opens_at=time(9, 0),
        closes_at=time(18, 0),
    )
    slides = Exhibit(
        space=pavilion,
        kind=Exhibit.Kind.SLIDES,
        title="Geneva, international city",
        description="Slides of the Permanent Mission of Switzerland (demonstration).",
        x=300,
        y=300,
        opens_at=time(8, 0),
        closes_at=time(20, 0),
        file_format="pdf",
    )
    slides.file.save("geneva-international-city.pdf", _slides_pdf(), save=False)
    slides.save()
    Exhibit.objects.create(
        space=pavilion,
        kind=Exhibit.Kind.INTERACTIVE,
        title="Geneva in figures",
        description="An interactive quiz about international Geneva.",
        url="/static/vev/venue/geneva-figures.html",
        x=700,
        y=300,
        opens_at=time(8, 0),
        closes_at=time(20, 0),
    )
    Exhibit.objects.create(
        space=pavilion,
        kind=Exhibit.Kind.LINK,
        title="Visit Geneva",
        description="The city's visitor information.",
        url="https://www.geneve.com/",
        x=500,
        y=560,
        opens_at=time(0, 0),
        closes_at=time(23, 59),
    )
    Exhibit.objects.create(
        space=sponsors,
        kind=Exhibit.Kind.LINK,
        title="Alpine Networks",
        description="Stand 1.",
        url="https://alpine-networks.example/",
        x=310,
        y=210,
        sponsor=alpine,
        opens_at=time(9, 0),
        closes_at=time(18, 0),
    )
    Exhibit.objects.create(
        space=sponsors,
        kind=Exhibit.Kind.LINK,
        title="Léman Satellite",
        description="Stand 2.",
        url="https://leman-sat.example/",
        x=890,
        y=210,
        sponsor=leman,
        opens_at=time(9, 0),
        closes_at=time(18, 0),
    )
    Robot.objects.create(
        event=event,
        name="Robot 1 (CICG lounge)",
        description=(
            "Drives among the delegates present in the physical lounge between Rooms 1 and 2."
        ),
        control_url="https://robots.example/cicg/robot-1/drive",
        slot_minutes=30,
        opens_at=time(11, 0),
        closes_at=time(16, 0),
    )
    return venue
