"""The batch progress line: counts and failures in plain words while running and at the end."""

from __future__ import annotations

from app.core.batch_progress import BatchProgress, BatchState
from app.ui.widgets.batch_progress_box import progress_text


def _progress(state: BatchState) -> BatchProgress:
    return BatchProgress(
        batch_id="b",
        state=state,
        total=19,
        done=7,
        delivered=5,
        failed=(("UserNotFoundException", 2),),
        in_flight=1,
        retries=0,
        elapsed_s=2.0,
        rate_per_s=4.0,
        rate_limit_per_s=10.0,
        eta_s=3.0,
        failed_titles=(("User not found", 2),),
    )


def test_running_line_names_the_failures_in_words() -> None:
    text = progress_text(_progress(BatchState.RUNNING))
    assert text.startswith("Running · 7 / 19 done · 5 delivered · 2 failed: 2 user not found · ")
    assert "ETA 3.0 s" in text and "Exception" not in text


def test_finished_line_has_no_eta_or_in_flight() -> None:
    text = progress_text(_progress(BatchState.FINISHED))
    assert text == "Finished · 7 / 19 done · 5 delivered · 2 failed: 2 user not found · in 2.0 s"
