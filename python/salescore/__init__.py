"""salescore: the sales-department engine (clients, deals, orders) from Python.

    import salescore
    with salescore.open("sqlite:crm.db") as engine:
        client = engine.clients.add(name="Ромашка", phones=["8 (495) 123-45-67"])
        for order in engine.orders.find(client_id=client.id):
            print(order.number, order.total)

Values at the surface: aware UTC ``datetime`` for instants (aware datetimes in any zone
and ISO 8601 strings are accepted), ``decimal.Decimal`` for amounts and quantities
(Decimal, int and str accepted; a float only when its shortest repr has at most 2
decimals, 3 for quantities, so money is never rounded behind your back), lower-case
strings for enumerations ("vip", "new", "call"), None for an absent reference.
"""

from ._core import ManualClock
from ._engine import (
    Clients,
    Contacts,
    Deals,
    Engine,
    Events,
    Interactions,
    Orders,
    Products,
    Tasks,
    Users,
    open,
)
from ._errors import (
    AccessDenied,
    AlreadyExists,
    ApprovalRequired,
    Conflict,
    Error,
    NotFound,
    StageGateError,
    Unavailable,
    ValidationError,
)
from ._records import (
    Client,
    Contact,
    Deal,
    Event,
    Interaction,
    Money,
    Order,
    Product,
    Record,
    Task,
    User,
)

__version__ = "0.1.0"

__all__ = [
    "AccessDenied",
    "AlreadyExists",
    "ApprovalRequired",
    "Client",
    "Clients",
    "Conflict",
    "Contact",
    "Contacts",
    "Deal",
    "Deals",
    "Engine",
    "Error",
    "Event",
    "Events",
    "Interaction",
    "Interactions",
    "ManualClock",
    "Money",
    "NotFound",
    "Order",
    "Orders",
    "Product",
    "Products",
    "Record",
    "StageGateError",
    "Task",
    "Tasks",
    "Unavailable",
    "User",
    "Users",
    "ValidationError",
    "__version__",
    "open",
]
