"""Querysets compiled once per process and run again with other ids.

Building and compiling a queryset costs the ORM far more than running it when the
query is wide and nested: a story's links (its topics, its Charter provisions and the
candidates for "More on this topic": five subqueries, each with the visibility rule,
and five page types joined) took 20 ms of CPU to build and compile for 2 ms in
PostgreSQL. Its shape never changes, only the story's id does. :class:`Prepared`
builds such a queryset once, with stand-in ids, keeps its SQL and how its rows become
objects (what Django's ``ModelIterable`` reads from the compiler), and afterwards only
puts the ids in their places and turns rows into objects: the same rows, the same
objects (``select_related`` and annotations included), for a few hundred microseconds.

A stand-in id is an integer no row has. After compiling, each must be found as a
parameter of its own, unchanged; a query that turns an id into something else (a
string, a pattern) or that leaves one out cannot be prepared, and saying so at the
first call is better than running the wrong SQL. The compiled form is kept per
language (wagtail-modeltranslation rewrites the names of translated fields for the
active language) and runs on the database the routers choose for reading its model.
"""

from django.db import connections, router
from django.db.models.query import get_related_populators
from django.utils import translation

# Ids no row has (database ids are positive), one a value of the query.
STAND_INS = tuple(-2_000_000_011 - number for number in range(8))


class Prepared:
    """``Prepared(build)``, where ``build(*ids)`` returns a queryset of model instances
    whose shape does not depend on the ids; calling it with ids returns the list of
    objects that ``list(build(*ids))`` would, without building the queryset again."""

    def __init__(self, build, arity=1):
        if not 0 < arity <= len(STAND_INS):
            raise ValueError(f"a prepared query takes 1 to {len(STAND_INS)} ids, not {arity}")
        self.build, self.arity = build, arity
        self.plans = {}

    def __call__(self, *ids):
        if len(ids) != self.arity:
            raise TypeError(f"{self.build.__qualname__} takes {self.arity} id(s), got {len(ids)}")
        language = translation.get_language()
        plan = self.plans.get(language)
        if plan is None:
            queryset = self.build(*STAND_INS[: self.arity])
            plan = self.plans[language] = Plan(queryset, self.arity, self.build.__qualname__)
        return plan.run(router.db_for_read(plan.model), ids)


class Plan:
    """The SQL of one queryset with the places of its ids, and how its rows become
    objects (as ``django.db.models.query.ModelIterable`` makes them)."""

    def __init__(self, queryset, arity, name):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        digits = [str(-stand_in) for stand_in in STAND_INS]
        transformed = [
            value
            for value in self.params
            if isinstance(value, str) and any(number in value for number in digits)
        ]
        if transformed:
            raise ValueError(
                f"{name}: an id is changed before it reaches the SQL: {transformed[0]!r}"
            )
        self.places = []
        for number, stand_in in enumerate(STAND_INS[:arity]):
            places = [i for i, value in enumerate(self.params) if value == stand_in]
            if not places:
                raise ValueError(f"{name}: id number {number + 1} is not a parameter of its SQL")
            self.places += [(place, number) for place in places]
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

    def run(self, alias, ids):
        params = list(self.params)
        for place, number in self.places:
            params[place] = ids[number]
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        objects = []
        for values in rows:
            row = list(values)
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
