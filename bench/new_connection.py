"""What a new database connection adds to a page: each page timed on the connection the
previous request left open (the floor) and on a new one, alternately, in one process with
the production settings. A new connection also means a new PostgreSQL backend, whose
first queries read the catalogue again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_scale \
        python bench/new_connection.py [--runs 7]

Signed in as an officer of the root's first open child (a commune-level committee on
seeded data) and as one of the root.
"""

import argparse
import os
import statistics
import time

from django.db import connection
from django.test import Client
from meeting_form import request

from branches.enums import RoleKind
from branches.models import OrganizationNode, UserRole

PAGES = ("/", "/members/", "/organizations/", "/admission/")


def officer_of(node: OrganizationNode):
    return UserRole.objects.filter(node=node, role=RoleKind.OFFICER).first().user


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    root = OrganizationNode.objects.get_first_root_node()
    commune = OrganizationNode.objects.get_children(root).filter(dissolved_on=None).first()
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    for node in (commune, root):
        client = Client()
        client.force_login(officer_of(node))
        for path in PAGES:
            assert request(client, path).status_code == 200, path
            kept, new = [], []
            for _ in range(args.runs):
                began = time.perf_counter()
                request(client, path)
                kept.append(time.perf_counter() - began)
                connection.close()
                began = time.perf_counter()
                request(client, path)
                new.append(time.perf_counter() - began)
            floor, fresh = statistics.median(kept) * 1000, statistics.median(new) * 1000
            print(
                f"{node.code:<8} {path:<16} kept connection {floor:6.1f} ms, new connection "
                f"{fresh:6.1f} ms: +{fresh - floor:5.1f} ms = {fresh / floor:.2f}×"
            )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
