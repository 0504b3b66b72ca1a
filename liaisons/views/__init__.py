"""Liaison pages: visits (phone first), the not-visited list, condition items, assignments, coverage.

Every list starts from a ``visible_*`` function of liaisons/access.py and every change goes
through one action in liaisons/actions.py.
"""
