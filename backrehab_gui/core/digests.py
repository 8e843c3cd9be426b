"""A hash for keys and names, without loading OpenSSL.

``import hashlib`` starts OpenSSL (its configuration and providers), some 4 ms that each
start paid before Today for a few short keys: the routine cache's, the single-instance
socket's name. BLAKE2 is built into Python: ``hashlib.blake2b`` is ``_blake2.blake2b``,
taken here from where hashlib takes it (and from hashlib where a Python has no such
module). Hashes that are kept in the history or name files already written (a routine's
fingerprint, the journal's fallback files) stay SHA-256, through hashlib, when needed.
"""

from __future__ import annotations


def blake2b(data: bytes = b"", *, digest_size: int = 32):
    """``hashlib.blake2b(data, digest_size=digest_size)``."""
    try:
        from _blake2 import blake2b as make
    except ImportError:  # a Python whose hashlib has BLAKE2 elsewhere
        from hashlib import blake2b as make
    return make(data, digest_size=digest_size)
