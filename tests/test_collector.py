"""The cycle collector is paused during bulk work (imports, PDFs) and always turned back
on."""

import gc
import threading

import pytest
from weasyprint import HTML

from partyorg.collector import cycle_collection_paused
from partyorg.documents import write_pdf


@pytest.fixture(autouse=True)
def _collector_on():
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_on_after_even_when_the_block_fails():
    with pytest.raises(RuntimeError), cycle_collection_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()


def test_an_inner_block_leaves_the_collector_off_for_the_outer_one():
    with cycle_collection_paused():
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_block_ending_in_another_thread_turns_the_collector_on_and_none_leaves_it_off():
    first_in, first_may_end = threading.Event(), threading.Event()

    def first():
        with cycle_collection_paused():
            first_in.set()
            first_may_end.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with cycle_collection_paused():  # finds the collector off: the first block's
        first_may_end.set()
        thread.join(5)
        assert gc.isenabled()  # the first block ended and turned it back on
    assert gc.isenabled()


def test_a_pdf_is_rendered_with_the_collector_paused_and_it_is_on_after(monkeypatch):
    seen = []
    real = HTML.write_pdf

    def spy(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", spy)
    pdf = write_pdf("<p>Biên bản</p>", template_name="test")
    assert pdf.startswith(b"%PDF") and seen == [False]
    assert gc.isenabled()
