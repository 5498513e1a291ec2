"""The `any` lookup: `field__any=values` means `field__in=values`, written on PostgreSQL as
`field = ANY(%s)` with the values as one array parameter.

An import looks up its file's 10,000 member numbers at once. Written as 10,000
placeholders, Django spent longer preparing the query and psycopg splitting and
converting it than PostgreSQL spent running it.
"""

from django.db.models import Field, ForeignKey
from django.db.models.lookups import In


@Field.register_lookup
@ForeignKey.register_lookup  # with primary keys, not instances
class AnyOf(In):
    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        field = self.lhs.output_field
        values = [
            field.get_db_prep_value(value, connection, prepared=True)
            for value in self.rhs
            if value is not None
        ]
        if not values:
            return super().as_sql(compiler, connection)  # matches nothing, as `in` does
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, values)
