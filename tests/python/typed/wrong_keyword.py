"""A deliberate mistake for mypy to flag (tests/python/test_typing.py): a misspelt
keyword and a wrong type, each of which the untyped `**fields: Any` let through."""

import salescore


def mistakes(engine: salescore.Engine) -> None:
    engine.clients.add(nmae="ООО Ромашка")
    engine.deals.update(1, expected_close=20300131)
