"""A value in a page's address that the page does not keep (a year it does not show, a
day that is not an award day): refused, never answered with another value in its place.

Views raise AddressRefused with a message saying what the page keeps;
partyorg.middleware.ErrorPageMiddleware answers it with a 400 page that says so, before
anything is written.
"""


class AddressRefused(ValueError):
    """The message says which values the page keeps."""
