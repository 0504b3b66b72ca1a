"""Market pages: financing (finance.py), factory space and parks (space.py), talent and capital
(talent.py).  Every list starts from a ``visible_*`` function of markets/access.py and every
change goes through one action of markets/actions.py."""
