"""Wake-up tasks for sleeping clients: when a client falls asleep (no order for the
configured time), give its manager a call task for tomorrow with what it used to buy.
"""

from datetime import timedelta

import salescore


@salescore.on("client.segment_changed")
def wake_up_call(event, engine):
    if event.payload.get("to") != "sleeping":
        return
    client = engine.clients.get(event.entity_id)
    if client.owner_id is None:
        return
    last = next(iter(sorted(engine.orders.find(client_id=client.id), key=lambda o: o.ordered_at, reverse=True)), None)
    what = ", ".join(line["name"] or line["sku"] for line in last.lines[:3]) if last else "—"
    engine.tasks.add(
        title=f"Разбудить клиента: {client.name}",
        assignee_id=client.owner_id,
        client_id=client.id,
        due_at=event.at + timedelta(days=1),
        notes=f"Клиент уснул. Последний заказ: {last.number if last else '—'} ({what}).",
    )
