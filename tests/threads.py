"""Writes run at the same moment from threads with their own database connections, as two
users' requests would."""

import threading

from django.db import connections


def together(*actions) -> list[Exception]:
    """Run each action in its own thread, all released at once; the errors they raised."""
    barrier = threading.Barrier(len(actions))
    errors = []

    def run(action):
        try:
            barrier.wait()
            action()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
