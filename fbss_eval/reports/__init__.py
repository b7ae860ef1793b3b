"""The visit report: what the visit PDFs (and any other export) print, as plain data.

Four modules, imported one way only (a module imports only those before it):

- ``model``: every report dataclass (frozen strings and numbers, no ORM object);
- ``format``: stored answers as text (option labels, units, lines, repeat-group tables), read
  from the checklist's field attributes;
- ``parts``: the pieces with a layout of their own (red-flag screen, neurology grid, blocks,
  instruments, differential, candidacy, trend changes) and the summary's choice of lines;
- ``build``: ``build_visit_report``, the only module of the package that reads the database.

This file imports none of them, so ``model`` can be imported without the app or the database.
"""
