"""The 1C orders exchange under kill -9 (issue 23, docs/reliability.md), both ways:
- 1C's orders file (type=sale) killed while it is applied: after the restart its orders
  are all there or none, and the file sent again leaves each once;
- salescore's orders read by 1C (mode=query) with the kill before 1C confirms them
  (mode=success): after the restart they are sent again, none lost; once confirmed,
  none is sent again.
Sizes: SALESCORE_CRASH_CYCLES kills (default 3), SALESCORE_CRASH_ORDERS orders (300)."""
from __future__ import annotations

import os
import random
import threading
import time

from conftest import OneC
from test_crash import CYCLES, SEED, Serve, fresh_database

ORDERS = int(os.environ.get("SALESCORE_CRASH_ORDERS", "300"))
BUYER = ("<Контрагенты><Контрагент><Ид>cp-1</Ид><Наименование>ООО Ромашка</Наименование>"
         "<ИНН>7707083893</ИНН><Роль>Покупатель</Роль></Контрагент></Контрагенты>")
GOODS = ("<Товары><Товар><Ид>g-1</Ид><Артикул>TEA-1</Артикул><Наименование>Чай</Наименование>"
         "<ЦенаЗаЕдиницу>50</ЦенаЗаЕдиницу><Количество>2</Количество><Сумма>100</Сумма></Товар></Товары>")


def orders_file(count: int) -> bytes:
    documents = "".join(
        f"<Документ><Ид>1c-{i}</Ид><Номер>УТ-{i}</Номер><Дата>2026-11-20</Дата><Время>12:30:00</Время>"
        "<ХозОперация>Заказ товара</ХозОперация><Роль>Продавец</Роль><Валюта>руб</Валюта><Сумма>100</Сумма>"
        f"{BUYER}{GOODS}<ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>Проведен</Наименование>"
        "<Значение>true</Значение></ЗначениеРеквизита></ЗначенияРеквизитов></Документ>\n" for i in range(count))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация ВерсияСхемы="2.08">\n'
            f"{documents}</КоммерческаяИнформация>\n").encode()


def sale_session(serve: Serve) -> OneC:
    onec = OneC(f"http://{serve.base}/exchange/1c")
    onec.checkauth("sale")
    onec.init("sale")
    return onec


def onec_orders(serve: Serve) -> tuple[int, int]:
    """(orders of 1C's file, distinct 1C ids among them)."""
    return serve.sql("SELECT COUNT(*), COUNT(DISTINCT external_id) FROM orders WHERE source = 'onec'")[0]


def with_tea(serve: Serve):
    import salescore
    with salescore.open(serve.db) as crm:
        crm.products.add(sku="TEA-1", name="Чай", prices={"retail": "50.00"})


def test_a_1c_orders_file_killed_mid_apply_is_applied_whole_or_not_at_all(tmp_path):
    serve = Serve(tmp_path)
    rng = random.Random(SEED)
    data = orders_file(ORDERS)
    outcomes = []
    try:
        fresh_database(serve)
        with_tea(serve)
        serve.start()
        began = time.monotonic()
        assert sale_session(serve).upload("orders.xml", data, type_="sale").startswith("success")
        took = time.monotonic() - began
        assert onec_orders(serve) == (ORDERS, ORDERS)
        serve.stop()
        for _ in range(CYCLES):
            fresh_database(serve)
            with_tea(serve)
            serve.start()
            onec = sale_session(serve)

            def upload_until_killed():
                try:
                    onec.upload("orders.xml", data, type_="sale")
                except (OSError, AssertionError):  # the kill
                    pass
            uploader = threading.Thread(target=upload_until_killed, daemon=True)
            uploader.start()
            time.sleep(rng.uniform(0.0, took))
            serve.kill()
            uploader.join(timeout=60)
            serve.check_integrity()
            count, _ = onec_orders(serve)
            assert count in (0, ORDERS), f"seed {SEED}: {count} of {ORDERS} orders after a kill"
            outcomes.append(count)
            # 1C sends the file again at its next exchange: each order once.
            serve.start()
            assert sale_session(serve).upload("orders.xml", data, type_="sale").startswith("success")
            assert onec_orders(serve) == (ORDERS, ORDERS), f"seed {SEED}"
            serve.stop()
            serve.check_integrity()
        print(f"1C orders file kills (seed {SEED}, apply {took:.2f} s): orders after each: {outcomes}")
    finally:
        serve.stop()


def test_orders_1c_read_but_did_not_confirm_before_a_kill_are_sent_again_and_once_confirmed_never(tmp_path):
    serve = Serve(tmp_path)
    fresh_database(serve)
    import salescore
    with salescore.open(serve.db) as crm:
        client = crm.clients.add(name="ООО Ромашка", inn="7707083893")
        crm.products.add(sku="TEA-1", name="Чай", prices={"retail": "50.00"})
        ids = [crm.orders.add(number=f"A-{i}", client_id=client.id,
                              lines=[{"sku": "TEA-1", "quantity": 1, "price": "50.00"}]).id for i in range(50)]
    try:
        for _ in range(CYCLES):
            serve.start()
            sent = sale_session(serve).call("sale", "query")[1].decode()
            assert all(f"<Ид>SC-{i}</Ид>" in sent for i in ids), f"seed {SEED}: an order not sent"
            serve.kill()  # before 1C's mode=success
            serve.check_integrity()
        serve.start()
        onec = sale_session(serve)
        sent = onec.call("sale", "query")[1].decode()
        assert all(f"<Ид>SC-{i}</Ид>" in sent for i in ids), "unconfirmed orders are sent again"
        assert onec.text("sale", "success") == (200, "success\n")
        serve.kill()  # after the confirmation: it was committed
        serve.start()
        assert "<Документ>" not in sale_session(serve).call("sale", "query")[1].decode(), "sent again once confirmed"
        serve.stop()
    finally:
        serve.stop()
