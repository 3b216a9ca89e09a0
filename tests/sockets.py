"""Shared settings of the tests' WebSocket communicators."""

#: Seconds a test socket may take to be accepted. Channels' default (1 s) is shorter than an
#: admission takes on a loaded 2-core CI machine (a transaction on PostgreSQL, the hub's start).
CONNECT_TIMEOUT = 20
