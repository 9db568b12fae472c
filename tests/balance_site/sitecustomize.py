"""Put on PYTHONPATH of the `kb serve --processes 2` that tests/api/test_balance.py starts: every
process of that server (its spawned workers too) imports this at start-up.

A worker over its share leaves a waiting connection to its sibling for `MAX_DEFER` seconds
(50 ms), then takes it anyway. On a loaded machine the sibling can go 50 ms without a turn
on a core, and the test then sees 5 and 3 connections: the fallback, not the balance it
means to check. Here the wait is long enough that only a hung sibling would run it out.
"""

import api.balance

api.balance.MAX_DEFER = 30.0
