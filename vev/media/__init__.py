"""Media: audio, interpretation, webcast, video and recording on Janus.

See docs/subsystems/media.md.
"""
