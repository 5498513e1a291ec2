"""The cycle collector is paused during bulk work and always turned back on."""

import gc
import threading

import pytest

from partyorg.collector import cycle_collection_paused


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


def test_blocks_in_two_threads_that_end_in_either_order_leave_the_collector_on():
    first_in, second_in, first_may_end = threading.Event(), threading.Event(), threading.Event()

    def first():
        with cycle_collection_paused():
            first_in.set()
            first_may_end.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with cycle_collection_paused():  # finds the collector off: the first block's
        second_in.set()
        first_may_end.set()
        thread.join(5)
        assert gc.isenabled()  # the first block ended and turned it back on
    assert gc.isenabled()
