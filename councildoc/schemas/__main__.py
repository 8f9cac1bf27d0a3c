"""``python -m councildoc.schemas``: write the shipped schemas again from the build's declarations."""

from . import write

write()
