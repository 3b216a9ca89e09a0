from django.urls import path

from .views import captions, room, webcast

app_name = "live"

urlpatterns = [
    path("<slug:event>/meetings/<slug:meeting>/room/", room.RoomView.as_view(), name="room"),
    path(
        "<slug:event>/meetings/<slug:meeting>/console/", room.ConsoleView.as_view(), name="console"
    ),
    path("<slug:event>/meetings/<slug:meeting>/technical/", room.TechView.as_view(), name="tech"),
    # the webcast: audio with interpretation, video, captions (passive followers, the public)
    path(
        "<slug:event>/meetings/<slug:meeting>/webcast/",
        webcast.WebcastView.as_view(),
        name="webcast",
    ),
    # the interpreter's booth console (vev.media: booth microphone, relay, handover)
    path("<slug:event>/meetings/<slug:meeting>/booth/", room.BoothView.as_view(), name="booth"),
    # live captions: the captioner's page and the transcript (views/captions.py)
    path(
        "<slug:event>/meetings/<slug:meeting>/captions/",
        captions.CaptionerView.as_view(),
        name="captioner",
    ),
    path(
        "<slug:event>/meetings/<slug:meeting>/transcript/",
        captions.TranscriptView.as_view(),
        name="transcript",
    ),
    path(
        "<slug:event>/meetings/<slug:meeting>/transcript.txt",
        captions.TranscriptTextView.as_view(),
        name="transcript_text",
    ),
    path(
        "<slug:event>/meetings/<slug:meeting>/transcript.vtt",
        captions.TranscriptVttView.as_view(),
        name="transcript_vtt",
    ),
]
