"""BackRehab: a guided, spoken workout timer for a home lower-back program."""

__version__ = "0.1.0"
