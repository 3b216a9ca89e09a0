"""The command envelope shared by every vev socket (vev.core.realtime.consumer)."""

from typing import Literal

import pytest
from channels.testing.websocket import WebsocketCommunicator
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field

from tests.sockets import CONNECT_TIMEOUT
from vev.core.realtime.consumer import (
    MAX_FRAME_CHARS,
    CommandConsumer,
    CommandError,
    CommandRegistry,
)

pytestmark = pytest.mark.django_db(transaction=True)

REGISTRY = CommandRegistry("test socket")


class DomainError(Exception):
    pass


class CodedDomainError(DomainError):
    """A domain error naming its own reply code (like ``LiveError(code="denied")``)."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


class Echo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=10, title=gettext_lazy("Message"))


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["speak", "reply"]
    seconds: int = Field(default=0, ge=0, le=60)
    code: str = ""  # no title: named as the protocol spells it


@REGISTRY.command("echo.say", permission="open", payload=Echo)
def say(prefix, payload):
    return {"said": f"{prefix}{payload.text}"}


@REGISTRY.command("echo.choose", permission="open", payload=Choice)
def choose(prefix, payload):
    return {}


@REGISTRY.command("echo.async", permission="open", payload=Echo)
async def say_async(prefix, payload):
    return {"said": payload.text.upper()}


@REGISTRY.command("echo.secret", permission="closed")
def secret(prefix, payload):  # pragma: no cover - refused before it runs
    raise AssertionError("ran without permission")


@REGISTRY.command("echo.refuse", permission="open")
def refuse(prefix, payload):
    raise DomainError("The chair has not opened the meeting.")


@REGISTRY.command("echo.not_yours", permission="open")
def not_yours(prefix, payload):
    raise CodedDomainError("Only the chair may do this.", "denied")


@REGISTRY.command("echo.busy", permission="open")
def busy(prefix, payload):
    raise CommandError("Someone else holds the floor.", code="conflict")


@REGISTRY.command("echo.crash", permission="open")
def crash(prefix, payload):
    raise RuntimeError("bug")


class EchoConsumer(CommandConsumer):
    registry = REGISTRY
    conflict_errors = (DomainError,)
    command_rate = 1.0
    command_burst = 12

    async def connect(self):
        await self.accept()

    async def permitted(self, command):
        return command.permission == "open"

    def handler_args(self):
        return ("> ",)


async def send(communicator, frame):
    await communicator.send_json_to(frame)
    return await communicator.receive_json_from(timeout=3)


async def test_envelope_replies_and_errors():
    communicator = WebsocketCommunicator(EchoConsumer.as_asgi(), "/ws/test/")
    assert (await communicator.connect(timeout=CONNECT_TIMEOUT))[0]

    ok = await send(communicator, {"command": "echo.say", "id": "1", "payload": {"text": "hi"}})
    assert ok == {"type": "reply", "id": "1", "ok": True, "result": {"said": "> hi"}}
    ok = await send(communicator, {"command": "echo.async", "id": "2", "payload": {"text": "hi"}})
    assert ok["result"] == {"said": "HI"}

    def code(reply):
        assert reply["ok"] is False and reply["error"]["message"]
        return reply["error"]["code"]

    assert code(await send(communicator, {"command": "echo.say", "payload": {}})) == "invalid"
    too_long = {"command": "echo.say", "id": "3", "payload": {"text": "x" * 11}}
    reply = await send(communicator, too_long)
    assert code(reply) == "invalid"
    assert reply["error"]["message"] == (
        "Message: Ensure this value has at most 10 characters (it has 11)."
    )
    extra = {"command": "echo.say", "id": "4", "payload": {"text": "a", "b": 1}}
    assert code(await send(communicator, extra)) == "invalid"
    assert code(await send(communicator, {"command": "nope", "id": "5"})) == "unknown_command"
    assert code(await send(communicator, {"command": "echo.secret", "id": "6"})) == "denied"
    reply = await send(communicator, {"command": "echo.refuse", "id": "7"})
    assert code(reply) == "conflict" and "not opened" in reply["error"]["message"]
    assert code(await send(communicator, {"command": "echo.busy", "id": "8"})) == "conflict"
    # A domain error's own code reaches the wire (it is not flattened into ``conflict``).
    reply = await send(communicator, {"command": "echo.not_yours", "id": "8b"})
    assert code(reply) == "denied" and reply["error"]["message"] == "Only the chair may do this."
    assert code(await send(communicator, {"command": "echo.crash", "id": "9"})) == "server_error"

    await communicator.send_to(text_data="not json")
    assert code(await communicator.receive_json_from()) == "invalid"
    await communicator.send_to(text_data="x" * (MAX_FRAME_CHARS + 1))
    assert code(await communicator.receive_json_from()) == "invalid"
    # The socket survived every error.
    ok = await send(communicator, {"command": "echo.say", "id": "10", "payload": {"text": "ok"}})
    assert ok["ok"] is True
    await communicator.disconnect()


async def test_a_flood_of_commands_is_rate_limited():
    communicator = WebsocketCommunicator(EchoConsumer.as_asgi(), "/ws/test/")
    assert (await communicator.connect(timeout=CONNECT_TIMEOUT))[0]
    codes = []
    for index in range(20):
        frame = {"command": "echo.say", "id": str(index), "payload": {"text": "x"}}
        reply = await send(communicator, frame)
        codes.append("ok" if reply["ok"] else reply["error"]["code"])
    assert codes[:12] == ["ok"] * 12
    assert "rate_limited" in codes[12:]
    await communicator.disconnect()


def test_a_command_name_is_registered_once():
    with pytest.raises(ValueError, match="registered twice"):
        REGISTRY.command("echo.say", permission="open")(say)


async def test_invalid_payloads_are_explained_in_the_participants_language():
    """Pydantic's English messages never reach a delegate: each kind of problem is a sentence
    in their language, naming the field by its title (here French, from Django's catalogue)."""
    communicator = WebsocketCommunicator(
        EchoConsumer.as_asgi(), "/ws/test/", headers=[(b"accept-language", b"fr")]
    )
    assert (await communicator.connect())[0]

    async def message(command, payload):
        reply = await send(communicator, {"command": command, "id": "x", "payload": payload})
        assert reply["ok"] is False and reply["error"]["code"] == "invalid"
        return reply["error"]["message"]

    too_long = await message("echo.say", {"text": "x" * 11})
    assert too_long.endswith(
        "Assurez-vous que cette valeur comporte au plus 10 caractères (actuellement 11)."
    )
    assert "String should" not in too_long
    assert (await message("echo.say", {})).endswith("Ce champ est obligatoire.")
    assert (await message("echo.choose", {"kind": "shout"})).endswith(
        "Sélectionnez un choix valide. shout n’en fait pas partie."
    )
    assert (await message("echo.choose", {"kind": "speak", "seconds": "soon"})).endswith(
        "Saisissez un nombre entier."
    )
    assert (await message("echo.choose", {"kind": "speak", "seconds": 90})).endswith(
        "Assurez-vous que cette valeur est inférieure ou égale à 60."
    )
    untitled = await message("echo.choose", {"kind": "speak", "code": 5})
    assert untitled.startswith("“code”")
    await communicator.disconnect()
