"""Notify the head when a VIP client's deal is lost: a Telegram-style message through
an outbound webhook (the "webhook" connector posts the payload to the configured URL).
"""

import salescore

# Where the messages go: a Telegram bot's sendMessage URL, a Slack/Mattermost hook, ...
WEBHOOK_URL = "https://hooks.example.com/sales-heads"


@salescore.on("deal.lost")
def tell_the_head(event, engine):
    deal = engine.deals.get(event.entity_id)
    client = engine.clients.get(deal.client_id)
    if client.tier != "vip":
        return
    owner = engine.users.get(deal.owner_id) if deal.owner_id else None
    head = engine.users.get(owner.head_id) if owner and owner.head_id else None
    engine.outbox.enqueue(
        "webhook",
        "webhook.post",
        {
            "url": WEBHOOK_URL,
            "chat": head.login if head else "sales-heads",
            "text": f"VIP-сделка проиграна: «{deal.title}» ({client.name}), "
                    f"{deal.expected_amount} {deal.currency}; причина: {deal.lost_reason or '—'}; "
                    f"менеджер: {owner.name if owner else '—'}.",
        },
        key=f"deal-lost-{deal.id}-{event.seq}",
    )
