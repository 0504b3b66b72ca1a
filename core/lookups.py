"""A raw LIKE lookup, for patterns the built-in lookups would escape."""

from django.db.models import CharField, Lookup


@CharField.register_lookup
class Like(Lookup):
    """``field__like="%c%x%"``: the caller builds the pattern from escaped input."""

    lookup_name = "like"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]
