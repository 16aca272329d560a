"""A batch's entries in Wagtail's search index on PostgreSQL, written as the database
backend writes them, with its SQL compiled once per shape rather than once per object.

The backend (``modelsearch``'s ``PostgresIndex.add_items``) builds, for each object, a
``SearchVector`` expression per column (title, autocomplete, body) out of the object's
search fields, and has the ORM resolve and compile each into SQL: at about a millisecond
of CPU a page, more than any other part of indexing a new page. The SQL of a vector
depends only on its shape (how many texts, their weights, the text configuration), not
on the texts, so :func:`add_bulk` compiles each shape once, through the same
expressions, with stand-ins where the texts go, and puts each object's texts in their
places. The rows are those the backend writes (``tests/importer/test_bulk_pages.py``
compares them); other backends (SQLite's, an external index) are called as they are.
"""

from __future__ import annotations

from django.db import connection
from django.db.models.sql import InsertQuery

from modelsearch.backends.database.postgres.postgres import (
    EMPTY_VECTOR,
    IndexEntry,
    ObjectIndexer,
    PostgresIndex,
)
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.utils import get_content_type_pk


def add_bulk(backend, model, objects):
    """``backend.add_bulk(model, objects)``: on PostgreSQL's database backend, the same
    rows in the same statement, its vectors' SQL compiled once per shape."""
    index = backend.get_index_for_model(model)
    if type(index) is not PostgresIndex or connection.vendor != "postgresql":
        backend.add_bulk(model, objects)
        return
    if not model.get_search_fields() or not objects:
        return
    content_type = get_content_type_pk(model)
    vectors = Vectors(backend)
    values, params = [], []
    for obj in objects:
        title, autocomplete, body, title_text, body_text = texts_of(ObjectIndexer(obj, backend))
        sql = []
        params += [content_type, str(obj.pk)]
        for texts, config in ((title, backend.config), (autocomplete, backend.autocomplete_config),
                              (body, backend.config)):  # fmt: skip
            vector_sql, vector_params = vectors.sql(texts, config)
            sql.append(vector_sql)
            params += vector_params
        params += [title_text, body_text]
        values.append(f"(%s, %s, {sql[0]}, {sql[1]}, {sql[2]}, 1.0, %s, %s)")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {IndexEntry._meta.db_table} (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
            (VALUES {", ".join(values)})
            ON CONFLICT (content_type_id, object_id)
            DO UPDATE SET title = EXCLUDED.title,
                          title_norm = 1.0,
                          autocomplete = EXCLUDED.autocomplete,
                          body = EXCLUDED.body,
                          title_text = EXCLUDED.title_text,
                          body_text = EXCLUDED.body_text
            """,  # noqa: E501, S608 - the backend's own statement
            params,
        )
    index._refresh_title_norms()


def texts_of(indexer):
    """The texts of the title, autocomplete and body vectors ((text, weight) pairs) and
    the plain title and body texts, as ``ObjectIndexer``'s five properties find them,
    from one pass over the object's search fields instead of five."""
    title, autocomplete, body, title_text, body_text = [], [], [], [], []
    for search_field in indexer.search_fields:
        for field, boost, value in indexer.prepare_field(indexer.obj, search_field):
            if isinstance(field, SearchField):
                is_title = field.field_name == "title"
                (title if is_title else body).append((value, boost))
                if value.strip():
                    (title_text if is_title else body_text).append(value.strip())
            elif isinstance(field, AutocompleteField):
                autocomplete.append((value, boost))
    return title, autocomplete, body, " ".join(title_text), " ".join(body_text)


class Vectors:
    """The SQL of ``ObjectIndexer.as_vector(texts)`` and its parameters, compiled once per
    shape (the weights of the texts that are not blank, and the configuration)."""

    def __init__(self, backend):
        self.backend = backend
        self.compiler = InsertQuery(IndexEntry).get_compiler(connection=connection)
        self.shapes = {}

    def sql(self, texts, config):
        texts = [(text.strip(), weight) for text, weight in texts]
        texts = [(text, weight) for text, weight in texts if text]
        shape = (config, tuple(weight for _text, weight in texts))
        if shape not in self.shapes:
            self.shapes[shape] = self._compile(shape)
        sql, params, places = self.shapes[shape]
        params = list(params)
        for place, (text, _weight) in zip(places, texts, strict=True):
            params[place] = text
        return sql, params

    def _compile(self, shape):
        """The SQL of a vector of this shape, its parameters with stand-ins for the texts,
        and where the texts go in them."""
        config, weights = shape
        stand_ins = [f"\x00text {n}\x00" for n in range(len(weights))]
        indexer = ObjectIndexer.__new__(ObjectIndexer)
        indexer.config = indexer.autocomplete_config = config
        vector = (
            indexer.as_vector(list(zip(stand_ins, weights, strict=True)))
            if weights
            else EMPTY_VECTOR
        )
        field = IndexEntry._meta.get_field("title")
        sql, params = self.compiler.prepare_value(field, vector).as_sql(self.compiler, connection)
        places = [params.index(stand_in) for stand_in in stand_ins]
        return sql, params, places
