"""Typed real-time events, published only after the database commit.

``schema.BaseEvent`` is the base of every event; ``publish.publish_on_commit`` is the only way
services hand an event to the channel layer; ``groups`` names every channel-layer group.
"""
