"""Querysets compiled once per process and run again with other values.

Building and compiling a queryset costs the ORM far more than running it when the
query is wide and nested: a story's links (its topics, its Charter provisions and the
candidates for "More on this topic": five subqueries, each with the visibility rule,
and five page types joined) took 20 ms of CPU to build and compile for 2 ms in
PostgreSQL. Its shape never changes, only the story's id does. :class:`Prepared`
builds such a queryset once, with stand-in values, keeps its SQL and how its rows become
objects (what Django's ``ModelIterable`` reads from the compiler), and afterwards only
puts the values in their places and turns rows into objects: the same rows, the same
objects (``select_related`` and annotations included): a story's links fell from 25
ms of CPU to 5 ms, the statement's own time and its rows included.

A stand-in is a value the query has nowhere else. After compiling, each must be found
as a parameter of its own, unchanged; a query that turns a value into something else
(a string, a ``LIKE`` pattern) or that leaves one out cannot be prepared, and saying
so at the first call is better than running the wrong SQL. Any other value the build
reads for itself (a content type's id) is compiled in as it was: only what does not
change while the process runs belongs there. The compiled form is kept per language
(wagtail-modeltranslation rewrites the names of translated fields for the active
language) and runs on the database the routers choose for reading its model.

:class:`Compiled` is the first half alone, for a queryset that is a part of a larger
statement written around it (search's, ``apps/search/views.py``): its SQL, and its
parameters for other values.

A prepared statement is planned once for every value: after five runs PostgreSQL keeps
a generic plan, made without the values, from its statistics alone. Where a few ids
read by a subquery pick the rows, :func:`one_of` has them read first and the rows then
looked up by those ids, a plan that does not hang on the planner's guess of how many
they are or where they lie.
"""

import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, connections, router
from django.db.models import F, Q, QuerySet
from django.db.models.lookups import Lookup
from django.db.models.query import get_related_populators
from django.utils import translation

# Values that stand for those of the query while it is compiled (it never runs with
# them), such as no query has of its own: integers at the top of PostgreSQL's range
# (Django refuses a value outside a field's range, such as a negative depth), strings
# of characters of Unicode's private use area, and the last days of year 9999 (dates
# reach PostgreSQL's driver as they are; SQLite's backend makes them text, refused).
STAND_INS = {
    int: tuple(2_147_483_547 - number for number in range(8)),
    str: tuple(f"\ue000{number}\ue000" for number in range(8)),
    datetime.date: tuple(datetime.date(9999, 12, 31 - number) for number in range(8)),
}


def stand_ins_for(kinds):
    """A stand-in of each kind of ``kinds``, in order, none twice."""
    counts = {kind: kinds.count(kind) for kind in kinds}
    if set(counts) - set(STAND_INS) or any(n > len(STAND_INS[k]) for k, n in counts.items()):
        raise ValueError(f"a prepared query takes up to eight values of each kind: {kinds}")
    numbers = {kind: iter(range(len(STAND_INS[kind]))) for kind in STAND_INS}
    return tuple(STAND_INS[kind][next(numbers[kind])] for kind in kinds)


def places_of(params, stand_ins, name):
    """``(place, number)`` for each parameter of ``params`` that is stand-in
    ``number``; refused when a stand-in is changed on its way or left out."""
    marks = [str(value) for value in stand_ins]
    transformed = [
        value
        for value in params
        if isinstance(value, str) and value not in stand_ins and any(m in value for m in marks)
    ]
    if transformed:
        changed = transformed[0]
        raise ValueError(f"{name}: a value is changed before it reaches the SQL: {changed!r}")
    places = []
    for number, stand_in in enumerate(stand_ins):
        found = [i for i, value in enumerate(params) if value == stand_in]
        if not found:
            raise ValueError(f"{name}: value number {number + 1} is not a parameter of its SQL")
        places += [(place, number) for place in found]
    return places


def with_values(params, places, values):
    """``params`` with ``values`` put in their ``places`` (from :func:`places_of`)."""
    params = list(params)
    for place, number in places:
        params[place] = values[number]
    return params


class Compiled:
    """The SQL of the queryset ``build(*stand_ins)`` and where each value goes:
    ``params(values)`` are its parameters for ``values`` (of the ``kinds`` given)."""

    def __init__(self, build, kinds):
        stand_ins = stand_ins_for(tuple(kinds))
        queryset = build(*stand_ins)
        self.sql, params = queryset.query.sql_with_params()
        self.base = list(params)
        self.places = places_of(self.base, stand_ins, build.__qualname__)

    def params(self, values):
        return with_values(self.base, self.places, values)


class Prepared:
    """``Prepared(build, kinds)``, where ``build(*values)`` returns a queryset of model
    instances whose shape does not depend on its values, of the types ``kinds`` (ids,
    ``int``, by default one; or strings, ``str``, used as they are: an equality, not a
    pattern); calling it with values returns the list of objects that
    ``list(build(*values))`` would, without building the queryset again."""

    def __init__(self, build, kinds=(int,)):
        self.build, self.kinds = build, tuple(kinds)
        self.stand_ins = stand_ins_for(self.kinds)
        self.plans = {}

    def __call__(self, *values):
        if len(values) != len(self.kinds):
            name = self.build.__qualname__
            raise TypeError(f"{name} takes {len(self.kinds)} value(s), got {len(values)}")
        language = translation.get_language()
        plan = self.plans.get(language)
        if plan is None:
            queryset = self.build(*self.stand_ins)
            plan = self.plans[language] = Plan(queryset, self.stand_ins, self.build.__qualname__)
        return plan.run(router.db_for_read(plan.model), values)


class Plan:
    """The SQL of one queryset with the places of its values, and how its rows become
    objects (as ``django.db.models.query.ModelIterable`` makes them)."""

    def __init__(self, queryset, stand_ins, name):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.places = places_of(self.params, stand_ins, name)
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, queryset.db)
        self.annotations = list(compiler.annotation_col_map.items())
        self.converters = list(
            compiler.get_converters([column[0] for column in select[: compiler.col_count]]).items()
        )

    def run(self, alias, values):
        params = with_values(self.params, self.places, values)
        connection = connections[alias]
        with connection.cursor() as cursor:
            bind_on_server(connection, cursor)
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        objects = []
        for fetched in rows:
            row = list(fetched)
            for position, (converters, expression) in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            instance = self.model.from_db(alias, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, instance)
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            objects.append(instance)
        return objects


def bind_on_server(connection, cursor):
    """On PostgreSQL with psycopg 3, make Django's ``cursor`` send its statement with
    the values apart (server-side binding), so that the server plans it once per
    connection and then reuses the plan: psycopg prepares a statement it has run five
    times on a connection, and the site's connections last (``DB_CONN_MAX_AGE``).
    Planning is what these statements cost the server most (a story's links: 4 ms to
    plan, 0.3 ms to run). Django's own cursors bind values on the client, which never
    prepares; only the cursor inside Django's wrapper is replaced, so the wrapper's
    logging and ``execute_wrapper`` still see the statement."""
    if connection.vendor != "postgresql":
        return
    import psycopg

    if not isinstance(connection.connection, psycopg.Connection):
        return
    client_side, cursor.cursor = cursor.cursor, psycopg.Cursor(connection.connection)
    client_side.close()


def one_of(field, ids):
    """A filter: ``field`` is one of ``ids``, a subquery of one column that reads a
    few rows (or a list of values).

    On PostgreSQL the subquery is read first, on its own, and its values are then
    looked up in ``field``'s index (``field = ANY(ARRAY(subquery))``). As ``IN``, the
    planner may join the subquery to the whole table instead, and a generic plan keeps
    that choice for every value: at 50,000 stories a report's "More on this topic"
    found its topic, and the four reports listed there, by walking every page in the
    order of their ids, once in each branch (120 ms, planned for the report or not;
    read first, under 1 ms). Elsewhere (SQLite), ``IN``."""
    if not isinstance(ids, QuerySet) or connection.vendor != "postgresql":
        return Q(**{f"{field}__in": ids})
    if not ids.query.is_sliced:
        ids = ids.order_by()  # an array's order is kept; here it is not needed
    return EqualsAny(F(field), ArraySubquery(ids))


class EqualsAny(Lookup):
    """SQL: the left-hand side equals an element of the array on the right."""

    lookup_name = "equals_any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY{rhs}", (*lhs_params, *rhs_params)
