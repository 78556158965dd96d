"""Pure-Python core of complaint_center.

Nothing in this package imports Odoo or its parent package: the repository's
``tests/`` load it by file path and run on any machine. Modules here only use
relative imports among themselves.
"""
