"""The pages that compute figures over the whole subtree of their officer (the home page,
the tree, an organization's page, the meetings overview, the officers, the organizations'
evaluations, the admission board, the removal list, the report dashboard, the report to
file, the members behind a report's figure), timed as the officer of the root (the
province on province data), or as the officer `--officer` names (a commune's): single
requests in one process with the production settings, alternated with a signed-in floor
page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_scale \
        python bench/pages.py [--runs 5] [--officer xa.canbo]
"""

import argparse
import datetime

from django.test import Client
from meeting_form import FLOOR, measure

from branches.models import OrganizationNode, UserRole


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--officer", help="the officer signed in (default: the province's)")
    args = parser.parse_args()
    if args.officer:
        role = UserRole.objects.select_related("node", "user").get(user__username=args.officer)
        root, officer = role.node, role.user
    else:
        root = OrganizationNode.objects.get_first_root_node()
        officer = UserRole.objects.filter(node=root, role="officer").first().user
    district = OrganizationNode.objects.get_children(root).order_by("path").first()
    client = Client()
    client.force_login(officer)
    year = datetime.date.today().year
    pages = {
        FLOOR: "/account/password/",
        "home page": "/",
        "member list, first page": "/members/",
        "tree": "/organizations/",
        f"node detail ({root.code})": f"/organizations/{root.code}/",
        f"node detail ({district.code})": f"/organizations/{district.code}/",
        f"meetings overview ({root.code})": f"/organizations/{root.code}/meetings/?year={year}",
        f"report dashboard ({root.code})": f"/reports/{root.code}/{year}/",
        "officers page": f"/members/positions/{root.code}/",
        "organization evaluations": f"/members/evaluations/{root.code}/{year - 1}/organizations/",
        "admission board": "/admission/",
        "removal list": "/members/lifecycle/removal/",
        "report to file": f"/documents/{root.code}/reports/{year - 1}/",
        "members behind a figure (left)": f"/reports/{root.code}/{year - 1}/members/left/",
        "members behind a figure (exempted)": f"/reports/{root.code}/{year}/members/exempted/",
    }
    measure(client, pages, args.runs)


if __name__ == "__main__":
    main()
