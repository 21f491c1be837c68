"""The one exceptions module of storyline.

Tree::

    StorylineError                 every error storyline raises on purpose
    ├── InputError                 one input item could not be read; the batch goes on
    │   ├── UnsupportedInput       a file type no reader takes (binary, unknown extension)
    │   ├── EmptyInput             nothing left after decoding and cleaning
    │   ├── TooLarge               over the configured size limit
    │   ├── DecodeError            bytes that no encoding repair turns into text
    │   └── MalformedInput         broken JSON line, truncated gzip/WARC, feed that is not a feed
    ├── StoreError                 the database cannot be opened or written
    ├── NotFound                   a document, entity, claim… that does not exist
    ├── ConfigError                a bad setting (file, environment or option)
    └── AuthError                  a write without a valid API token

Every message says what to do next. Errors become messages only at the edges: the CLI prints
``str(error)`` and exits 1, the API answers ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base of every error storyline raises on purpose."""

    code = "storyline_error"


class InputError(StorylineError):
    """One input item could not be read; the rest of the batch goes on."""

    code = "bad_input"


class UnsupportedInput(InputError):
    code = "unsupported_input"


class EmptyInput(InputError):
    code = "empty_input"


class TooLarge(InputError):
    code = "too_large"


class DecodeError(InputError):
    code = "undecodable"


class MalformedInput(InputError):
    code = "malformed"


class StoreError(StorylineError):
    code = "store_error"


class NotFound(StorylineError):
    code = "not_found"


class ConfigError(StorylineError):
    code = "config_error"


class AuthError(StorylineError):
    code = "unauthorized"


__all__ = [
    "AuthError",
    "ConfigError",
    "DecodeError",
    "EmptyInput",
    "InputError",
    "MalformedInput",
    "NotFound",
    "StoreError",
    "StorylineError",
    "TooLarge",
    "UnsupportedInput",
]
