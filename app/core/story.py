"""What a support story card shows: a tone and a few words (app.core.customer_story writes them).

Apart from customer_story, which pulls in the diagnosis and attempt models (~12 ms): the
support view is a first screen (issue 15) and shows its idle story before they load.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Tone(StrEnum):
    """How the story is shown: only ERROR is red; an answer that needs no action is INFO."""

    SUCCESS = "success"  # a code is (or will be) on its way
    INFO = "info"  # nothing wrong, nothing to send
    WARNING = "warning"  # nothing (certain) went out; there is a next step
    ERROR = "error"  # something broke
    BUSY = "busy"  # checking or sending


@dataclass(frozen=True)
class CustomerStory:
    """A title and a few sentences in the customer's terms, and the next step if any."""

    tone: Tone
    title: str
    story: str
    next_step: str = ""
