from django.db.models import QuerySet

from branches.queries import organizations_for
from papers.models import Document


def documents_for(user) -> QuerySet[Document]:
    """The documents issued (or drafted) by the bodies of the user's subtree."""
    return Document.objects.filter(node__in=organizations_for(user))
