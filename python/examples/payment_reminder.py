"""Payment reminder e-mail: when the engine reminds a manager of an installment coming
due (run_due writes "installment.reminder"), also e-mail the client, through the outbox
so the e-mail connector delivers it with its own retries.

    python -m salescore.automate python/examples --db sqlite:crm.db
"""

import salescore


@salescore.on("installment.reminder")
def email_the_client(event, engine):
    p = event.payload
    client = engine.clients.get(p["client_id"])
    if not client.emails:
        return  # nothing to send to; the manager's task still reminds them
    # Queued for the e-mail connector (docs/connectors/email.md), which sends it with its own
    # retries and logs it on the client's timeline; core checks the address is the client's.
    engine.emails.send(
        client,
        subject=f"Напоминание об оплате по заказу {p['order_number']}",
        text=f"Здравствуйте! {p['due_at'][:10]} наступает срок оплаты {p['amount']} по заказу "
             f"{p['order_number']} (платёж {p['number']}).",
        automated=True,  # marked Auto-Submitted, so out-of-office replies do not answer it
        # One e-mail per installment and reminder kind, however often this runs.
        key=f"installment-{event.entity_id}-{p['kind']}",
    )
