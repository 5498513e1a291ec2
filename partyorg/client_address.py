"""Where the client's address is read from, for the login lockout (django-axes through
django-ipware): the connection's own address, or a header set by trusted proxies."""

from django.core.exceptions import ImproperlyConfigured


def client_address_lookup(proxy_count: int, header: str) -> tuple[tuple[str, ...], int | None]:
    """(AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT) for a client reached
    through `proxy_count` reverse proxies, the one nearest the app naming its client in
    `header`.

    The header lists the client and then every proxy but the last, whose address is the
    connection's: proxies - 1 entries after the client. A longer list carries entries the
    client made up, so it is not trusted and the connection's address counts instead.
    """
    if proxy_count < 0:
        raise ImproperlyConfigured(f"REVERSE_PROXY_COUNT={proxy_count} is below 0.")
    if proxy_count == 0:
        return ("REMOTE_ADDR",), None
    if not header.strip():
        raise ImproperlyConfigured("CLIENT_IP_HEADER is empty.")
    meta_key = "HTTP_" + header.strip().upper().replace("-", "_")
    return (meta_key, "REMOTE_ADDR"), proxy_count - 1
