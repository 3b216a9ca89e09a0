"""The Janus adapter: the only code of vev that speaks Janus's protocols.

Other apps never import this package; they call ``vev.media.services``.
"""
