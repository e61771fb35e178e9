"""The 1C connector driven over real HTTP as 1C:Enterprise drives a site's exchange."""
from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest

import commerceml_gen as gen
from conftest import LOGIN, PASSWORD, Server, own_fixture, public_sample


# ---- authentication ----------------------------------------------------------------

def test_checkauth_gives_a_cookie_and_everything_else_needs_it(server):
    onec = server.onec
    status, text = onec.text("catalog", "checkauth", auth=(LOGIN, "wrong"))
    assert status == 401 and text.startswith("failure")
    status, text = onec.text("catalog", "checkauth")
    assert status == 401 and text.startswith("failure")
    status, text = onec.text("catalog", "init")
    assert status == 401 and "checkauth" in text
    onec.cookie = "salescore_1c=forged"
    status, _ = onec.text("catalog", "init")
    assert status == 401

    answer = onec.checkauth()
    assert answer.split("\n")[1] == "salescore_1c"
    assert onec.init() == {"zip": "yes", "file_limit": str(4 * 1024 * 1024)}


def test_unknown_type_mode_and_unsafe_file_names_are_refused(server):
    onec = server.onec
    onec.checkauth()
    assert onec.text("stock", "init")[0] == 400
    assert onec.text("catalog", "dance")[0] == 400
    for name in ["../escape.xml", "/etc/passwd", "a/../../b.xml", "C:\\x.xml", ""]:
        status, text = onec.text("catalog", "file", body=b"<x/>", filename=name)
        assert status == 400 and text.startswith("failure"), name
    assert not (server.tmp / "escape.xml").exists()


# ---- catalog ------------------------------------------------------------------------

def test_public_catalog_fixtures_import_products_groups_properties_prices_and_stock(server):
    answers = server.onec.exchange_catalog({"import.xml": public_sample("umi-cms_import.xml"),
                                           "offers.xml": public_sample("umi-cms_offers.xml")})
    assert all(a.startswith("success") for a in answers), answers
    assert "3 products" in answers[0] and "14 offers" in answers[1]

    rows = server.sql("SELECT sku, name, unit, product_group, properties, active FROM products "
                      "WHERE external_id = 'bd72d927-55bc-11d9-848a-00112f43529a'")
    sku, name, unit, group, props, active = rows[0]
    assert (sku, name, unit, group, active) == ("КВ- 900", "Комбайн кухонный BINATONE FP 67", "шт",
                                               "Кухонные электроприборы", 1)
    assert '"Производитель (дополнительно)":"ЗАО \\"Сартан\\""' in props
    assert '"image":"import_files/bd/' in props
    prices = dict(server.sql("SELECT pp.price_type, pp.amount_minor FROM product_prices pp JOIN products p "
                             "ON p.id = pp.product_id WHERE p.sku = 'КВ- 900'"))
    assert prices and all(v > 0 for v in prices.values())
    # The 3 catalog goods are among the 14 offers; the other 11 become products named by their offer.
    assert server.sql("SELECT COUNT(*) FROM products WHERE source = 'onec'")[0][0] == 14


def test_generated_catalog_round_trip_is_exact(server):
    ids = range(1, 201)
    answers = server.onec.exchange_catalog({
        "import.xml": gen.to_bytes(gen.write_import, ids),
        "offers.xml": gen.to_bytes(gen.write_offers, ids)})
    assert all(a.startswith("success") for a in answers), answers
    rows = server.sql("SELECT sku, product_group, stock_milli, properties FROM products ORDER BY sku")
    assert len(rows) == 200
    sku, group, stock, props = rows[6]
    assert sku == "ART-000007" and group == "Инструмент / Серия 7" and stock == gen.stock_of(7) * 1000
    assert '"Производитель":"' in props and ("Зубр" in props or "Makita" in props)
    price = server.sql("SELECT amount_minor, currency FROM product_prices pp JOIN products p ON p.id = pp.product_id "
                       "WHERE p.sku = 'ART-000007' AND price_type = 'Оптовая'")
    assert price == [(int(Decimal(gen.price_of(7, 1)) * 100), "RUB")]

    # The same exchange again changes nothing: no new events.
    events = server.sql("SELECT COUNT(*) FROM events")[0][0]
    server.onec.exchange_catalog({"import.xml": gen.to_bytes(gen.write_import, ids),
                                  "offers.xml": gen.to_bytes(gen.write_offers, ids)})
    assert server.sql("SELECT COUNT(*) FROM events")[0][0] == events


def test_chunked_zip_upload_is_unpacked_and_imported(server):
    ids = range(1, 301)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("import.xml", gen.to_bytes(gen.write_import, ids))
        z.writestr("offers.xml", gen.to_bytes(gen.write_offers, ids))
        z.writestr("import_files/ab/picture.jpg", b"\xff\xd8\xff")
    onec = server.onec
    onec.checkauth()
    onec.init()
    data = archive.getvalue()
    onec.upload("exchange.zip", data, chunk=len(data) // 3 + 1)
    assert onec.import_file("import.xml").startswith("success")
    assert onec.import_file("offers.xml").startswith("success")
    assert server.sql("SELECT COUNT(*), SUM(stock_milli) FROM products")[0] == (
        300, sum(gen.stock_of(i) for i in ids) * 1000)
    assert (server.tmp / "exchange" / "catalog" / "import_files" / "ab" / "picture.jpg").exists()


def test_pictures_stay_from_one_exchange_to_the_next_and_a_picture_sent_again_replaces_the_old(server):
    onec = server.onec
    onec.checkauth()
    onec.init()
    onec.upload("import_files/ab/picture.jpg", b"\xff\xd8\xff old")
    onec.upload("import.xml", gen.to_bytes(gen.write_import, range(1, 3)))
    assert onec.import_file("import.xml").startswith("success")
    catalog = server.tmp / "exchange" / "catalog"
    onec.init()  # the next exchange, of changes only: the picture is not sent again
    assert (catalog / "import_files" / "ab" / "picture.jpg").read_bytes() == b"\xff\xd8\xff old"
    assert not (catalog / "import.xml").exists()
    onec.upload("import_files/ab/picture.jpg", b"\xff\xd8\xff new", chunk=4)  # in pieces
    assert (catalog / "import_files" / "ab" / "picture.jpg").read_bytes() == b"\xff\xd8\xff new"


def test_windows_1251_and_version_3_1_with_rests(server):
    ids = range(1, 51)
    answers = server.onec.exchange_catalog({
        "import___1.xml": gen.to_bytes(gen.write_import, ids, version="3.1", encoding="windows-1251"),
        "prices___1.xml": gen.to_bytes(gen.write_offers, ids, version="3.1", stock=False),
        "rests___1.xml": gen.to_bytes(gen.write_offers, ids, version="3.1", prices=False,
                                      encoding="windows-1251")})
    assert all(a.startswith("success") for a in answers), answers
    name, group, stock = server.sql("SELECT name, product_group, stock_milli FROM products WHERE sku = 'ART-000009'")[0]
    assert name == "Дрель ударная модель 9" and group == "Инструмент / Серия 9"
    assert stock == gen.stock_of(9) * 1000  # summed over the two warehouses
    assert server.sql("SELECT COUNT(*) FROM product_prices")[0][0] == 100


def test_a_full_catalog_deactivates_what_it_leaves_out_and_a_delta_does_not(server):
    onec = server.onec
    assert onec.exchange_catalog({"import.xml": gen.to_bytes(gen.write_import, range(1, 11))})[0].startswith("success")
    # A delta with products 1-3: the others stay active.
    onec.exchange_catalog({"import.xml": gen.to_bytes(gen.write_import, range(1, 4), full=False)})
    assert server.sql("SELECT COUNT(*) FROM products WHERE active = 1")[0][0] == 10
    # A full file with products 1-5: 6-10 are no longer sold.
    answer = onec.exchange_catalog({"import.xml": gen.to_bytes(gen.write_import, range(1, 6))})[0]
    assert "full catalog" in answer
    active = [r[0] for r in server.sql("SELECT sku FROM products WHERE active = 1 ORDER BY sku")]
    assert active == [f"ART-{i:06d}" for i in range(1, 6)]


def test_a_characteristic_stays_on_sale_while_the_full_catalog_lists_its_product(server):
    onec = server.onec
    variant = gen.product_id(1) + "#size-42"
    offers = gen.to_bytes(gen.write_offers, [1]).replace(gen.product_id(1).encode(), variant.encode())
    answers = onec.exchange_catalog({"import.xml": gen.to_bytes(gen.write_import, range(1, 4)), "offers.xml": offers})
    assert all(a.startswith("success") for a in answers), answers
    is_active = "SELECT active FROM products WHERE external_id = ?"
    assert server.sql(is_active, variant) == [(1,)]
    # The next full catalog lists product 1 (never its characteristics): they stay.
    onec.exchange_catalog({"import.xml": gen.to_bytes(gen.write_import, range(1, 4))})
    assert server.sql(is_active, variant) == [(1,)]
    # One without product 1: it goes, and so do its characteristics.
    onec.exchange_catalog({"import.xml": gen.to_bytes(gen.write_import, range(2, 4))})
    assert server.sql(is_active, variant) == [(0,)]
    assert server.sql(is_active, gen.product_id(1)) == [(0,)]


def test_a_3_1_catalog_in_portions_is_deactivated_by_mode_deactivate_not_by_a_portion(server):
    onec = server.onec

    def exchange(portions, full=True) -> list[str]:
        onec.checkauth()
        onec.init()
        names = [f"import0_{n}.xml" for n in range(1, len(portions) + 1)]
        for name, ids in zip(names, portions):
            onec.upload(name, gen.to_bytes(gen.write_import, ids, version="3.1", full=full))  # each says "false"
        return [onec.import_file(name) for name in names]

    def active() -> list[str]:
        return [r[0] for r in server.sql("SELECT sku FROM products WHERE active = 1 ORDER BY sku")]

    assert all(a.startswith("success") for a in exchange([range(1, 4), range(4, 7)]))
    assert len(active()) == 6
    # The next full exchange leaves product 6 out; neither portion takes the other's off sale.
    assert all(a.startswith("success") for a in exchange([range(1, 4), range(4, 6)]))
    assert len(active()) == 6
    assert onec.text("catalog", "deactivate", timestamp="1764979200") == (200, "success\n")
    assert active() == [f"ART-{i:06d}" for i in range(1, 6)]
    assert onec.text("catalog", "complete") == (200, "success\n")
    # After an exchange that imported no catalog, a deactivate keeps everything.
    onec.checkauth()
    onec.init()
    status, text = onec.text("catalog", "deactivate")
    assert status == 200 and "nothing deactivated" in text, text
    assert len(active()) == 5
    # Nor after an exchange of changes only: its portions are not the whole catalog.
    assert all(a.startswith("success") for a in exchange([range(1, 3)], full=False))
    status, text = onec.text("catalog", "deactivate")
    assert "changes only or failed; nothing deactivated" in text, text
    assert len(active()) == 5
    # Nor when one portion of a full exchange failed.
    onec.checkauth()
    onec.init()
    onec.upload("import0_1.xml", gen.to_bytes(gen.write_import, range(1, 3), version="3.1"))
    onec.upload("import0_2.xml", gen.to_bytes(gen.write_import, range(3, 6), version="3.1")[:-40])  # cut short
    assert onec.import_file("import0_1.xml").startswith("success")
    assert onec.import_file("import0_2.xml").startswith("failure")
    status, text = onec.text("catalog", "deactivate")
    assert "nothing deactivated" in text, text
    assert len(active()) == 5


@pytest.mark.parametrize("damage", ["truncated", "garbage", "bad stock"])
def test_a_broken_file_answers_failure_with_the_line_and_applies_nothing(server, damage):
    good = gen.to_bytes(gen.write_offers, range(1, 101))
    server.onec.exchange_catalog({"import.xml": gen.to_bytes(gen.write_import, range(1, 101))})
    before = server.sql("SELECT COUNT(*) FROM product_prices")[0][0]
    if damage == "truncated":
        bad = good[: len(good) * 2 // 3]
    elif damage == "garbage":
        bad = good.replace(b"</\xd0\xa6\xd0\xb5\xd0\xbd\xd1\x8b>", b"</Oops>", 1)  # </Цены> -> </Oops>
    else:
        bad = good.replace(b"<\xd0\x9a\xd0\xbe\xd0\xbb\xd0\xb8\xd1\x87\xd0\xb5\xd1\x81\xd1\x82\xd0\xb2\xd0\xbe>17<",
                           b"<\xd0\x9a\xd0\xbe\xd0\xbb\xd0\xb8\xd1\x87\xd0\xb5\xd1\x81\xd1\x82\xd0\xb2\xd0\xbe>17 pcs<", 1)
    answer = server.onec.exchange_catalog({"offers.xml": bad})[0]
    assert answer.startswith("failure\n"), answer
    if damage == "bad stock":  # well-formed XML, a value salescore refuses: named with its product
        assert "product onec/" + gen.product_id(17) in answer and "stock: '17 pcs'" in answer, answer
    else:
        assert re.search(r"offers\.xml: line \d+: ", answer), answer
    assert "nothing of this file was applied" in answer
    assert server.sql("SELECT COUNT(*) FROM product_prices")[0][0] == before == 0
    assert server.sql("SELECT COUNT(*) FROM products WHERE stock_milli <> 0")[0][0] == 0


def test_import_of_a_file_never_uploaded_fails(server):
    server.onec.checkauth()
    server.onec.init()
    assert server.onec.import_file("nothing.xml").startswith("failure\nnothing.xml was not uploaded")


# ---- orders (type=sale) ---------------------------------------------------------------

def orders_document(doc_id: str, requisites: dict[str, str], counterparty: str = "", goods: str = "") -> bytes:
    reqs = "".join(f"<ЗначениеРеквизита><Наименование>{k}</Наименование><Значение>{v}</Значение>"
                   "</ЗначениеРеквизита>" for k, v in requisites.items())
    return ('<?xml version="1.0" encoding="UTF-8"?><КоммерческаяИнформация ВерсияСхемы="2.08">'
            f"<Документ><Ид>{doc_id}</Ид><Номер>{doc_id}</Номер><Дата>2026-11-20</Дата><Время>12:30:00</Время>"
            f"<ХозОперация>Заказ товара</ХозОперация><Роль>Продавец</Роль><Валюта>руб</Валюта><Сумма>100</Сумма>"
            f"{counterparty}{goods}<ЗначенияРеквизитов>{reqs}</ЗначенияРеквизитов></Документ>"
            "</КоммерческаяИнформация>").encode()


# A buyer 1C's own orders name (an order needs its client).
BUYER = ("<Контрагенты><Контрагент><Ид>cp-1</Ид><Наименование>ООО Ромашка</Наименование>"
         "<ИНН>7707083893</ИНН><Роль>Покупатель</Роль></Контрагент></Контрагенты>")


@pytest.fixture
def crm(server):
    salescore = pytest.importorskip("salescore")
    engine = salescore.open(server.db)
    yield engine
    engine.close() if hasattr(engine, "close") else None


def test_our_orders_go_to_1c_once_and_come_back_with_status(server, crm):
    client = crm.clients.add(name="ООО Ромашка", inn="7707083893", kpp="773601001", phones=["+7 495 123-45-67"])
    crm.products.add(sku="TEA-1", name="Чай", prices={"retail": Decimal("250.00")})
    order = crm.orders.add(number="A-1", client_id=client.id,
                           lines=[{"sku": "TEA-1", "quantity": 2, "price": Decimal("250.00")}])
    onec = server.onec
    onec.checkauth("sale")
    onec.init("sale")
    status, body, headers = onec.call("sale", "query")
    assert status == 200 and "xml" in headers["Content-Type"]
    xml = body.decode("utf-8")
    assert f"<Ид>SC-{order.id}</Ид>" in xml and "<ИНН>7707083893</ИНН>" in xml
    assert "<Артикул>TEA-1</Артикул>" in xml and "<Сумма>500.00</Сумма>" in xml
    assert onec.text("sale", "success") == (200, "success\n")
    # Exported: the next query has no documents.
    assert "<Документ>" not in onec.call("sale", "query")[1].decode()
    onec.text("sale", "success")

    answer = onec.upload("orders.xml", orders_document(f"SC-{order.id}", {
        "Номер по 1С": "УТ-000123", "Проведен": "true", "Дата отгрузки по 1С": "2026-11-21",
        "Заказ оплачен": "true", "Доставка разрешена": "true"}), type_="sale")
    assert answer.startswith("success"), answer
    back = crm.orders.get(order.id)
    assert back.status == "shipped"
    assert back.custom["1c.number"] == "УТ-000123" and back.custom["1c.posted"] == "true"
    assert back.custom["1c.paid"] == "true" and back.custom["1c.delivery_allowed"] == "true"
    assert back.source == ""  # still salescore's order, not 1C's
    # 1C's own change is not sent back to it.
    assert "<Документ>" not in onec.call("sale", "query")[1].decode()
    # A manager's later change is.
    crm.orders.update(order.id, number="A-1b")
    assert f"<Ид>SC-{order.id}</Ид>" in onec.call("sale", "query")[1].decode()


def test_1c_orders_match_clients_by_inn_and_unknown_reports_fail_whole(server, crm):
    manual = crm.clients.add(name="Ромашка (менеджер)", inn="7707083893", phones=["+7 495 000-00-01"])
    buyer = ("<Контрагенты><Контрагент><Ид>cp-1</Ид><Наименование>ООО Ромашка</Наименование>"
             "<ИНН>7707083893</ИНН><Роль>Покупатель</Роль><Контакты><Контакт><Тип>Телефон рабочий</Тип>"
             "<Значение>+7 495 000-00-02</Значение></Контакт></Контакты></Контрагент></Контрагенты>")
    goods = ("<Товары><Товар><Ид>g-1</Ид><Артикул>TEA-1</Артикул><Наименование>Чай</Наименование>"
             "<ЦенаЗаЕдиницу>50</ЦенаЗаЕдиницу><Количество>2</Количество><Сумма>100</Сумма></Товар></Товары>")
    onec = server.onec
    onec.checkauth("sale")
    onec.init("sale")
    answer = onec.upload("orders.xml", orders_document("1c-777", {"Проведен": "true"}, buyer, goods), type_="sale")
    assert answer.startswith("success"), answer
    assert server.sql("SELECT COUNT(*) FROM clients")[0][0] == 1  # matched, not duplicated
    row = server.sql("SELECT client_id, status, total_minor, source FROM orders WHERE external_id = '1c-777'")
    assert row == [(manual.id, "confirmed", 10000, "onec")]
    phones = crm.clients.get(manual.id).phones
    assert len(phones) == 2  # 1C's phone added, the manager's kept
    # A manager's change to 1C's order goes back under 1C's own Ид, so 1C updates it.
    order_id = server.sql("SELECT id FROM orders WHERE external_id = '1c-777'")[0][0]
    onec.call("sale", "query")
    onec.text("sale", "success")
    crm.orders.update(order_id, custom={"manager.note": "звонили, ждут к пятнице"})
    sent = onec.call("sale", "query")[1].decode()
    assert "<Ид>1c-777</Ид>" in sent and f"<Ид>SC-{order_id}</Ид>" not in sent, sent
    onec.text("sale", "success")


ORDER_ROWS = ("SELECT id, number, status, client_id, total_minor, source, external_id, updated_at, custom "
              "FROM orders WHERE id IN (92, 93) ORDER BY id")


def test_public_orders_sample_on_the_demo_company_leaves_its_own_orders_92_and_93_alone(tmp_path):
    sample = public_sample("off-doc-1c_orders.xml")
    server = Server(tmp_path, demo=True)
    try:
        before = server.sql(ORDER_ROWS)
        assert [row[0] for row in before] == [92, 93], "the demo company has orders 92 and 93"
        onec = server.onec
        onec.checkauth("sale")
        onec.init("sale")
        answer = onec.upload("orders-1.xml", sample, type_="sale")
        # Document 36 is 1C's own order; 92 and 93 carry a bare number and only
        # requisites: not ids salescore sent to this 1C, nor orders 1C sent before.
        assert answer.startswith("success\n"), answer
        assert "2 dead letters" in answer, answer
        assert server.sql(ORDER_ROWS) == before
        assert server.sql("SELECT source, number FROM orders WHERE external_id = '36'") == [("onec", "36")]
        letters = server.sql("SELECT kind, external_id, reason FROM dead_letters WHERE connector = 'onec' "
                             "ORDER BY external_id")
        assert [(kind, external_id) for kind, external_id, _ in letters] == [("order", "92"), ("order", "93")]
        assert all(f"'{external_id}' names no order" in reason for _, external_id, reason in letters), letters
    finally:
        server.stop()


def test_a_document_changes_our_order_only_under_the_id_salescore_sent_to_1c(server, crm):
    client = crm.clients.add(name="ООО Ромашка", inn="7707083893")
    line = [{"sku": "TEA-1", "quantity": 1, "price": Decimal("10.00")}]
    first = crm.orders.add(number="A-7", client_id=client.id, lines=line)
    second = crm.orders.add(number="A-8", client_id=client.id, lines=line)
    onec = server.onec
    onec.checkauth("sale")
    onec.init("sale")
    xml = onec.call("sale", "query")[1].decode()
    assert f"<Ид>SC-{first.id}</Ид>" in xml and f"<Ид>SC-{second.id}</Ид>" in xml
    onec.text("sale", "success")
    second_before = server.sql("SELECT status, updated_at, custom FROM orders WHERE id = ?", second.id)
    # Under the id it was sent as, a report changes the order.
    answer = onec.upload("orders.xml", orders_document(f"SC-{first.id}", {"Проведен": "true"}), type_="sale")
    assert answer.startswith("success\n"), answer
    assert crm.orders.get(first.id).status == "confirmed"
    # Under its bare number (an id salescore never gave 1C) it is a dead letter naming the
    # document, and the order stays as it was.
    answer = onec.upload("orders-2.xml", orders_document(str(second.id), {"Финальный статус": "true"}), type_="sale")
    assert answer.startswith("success\n") and "1 dead letter" in answer, answer
    assert server.sql("SELECT status, updated_at, custom FROM orders WHERE id = ?", second.id) == second_before
    reason = server.sql("SELECT reason FROM dead_letters WHERE external_id = ?", str(second.id))
    assert reason and f"'{second.id}' names no order" in reason[0][0], reason


def test_a_site_modules_3_1_documents_file_with_private_buyers_is_applied_and_the_unusable_buyer_dead_lettered(
        server, crm):
    # A buyer the company knows by phone is matched, not duplicated.
    known = crm.clients.add(name="Мария (звонила в офис)", phones=["+7 916 123-45-67"])
    onec = server.onec
    onec.checkauth("sale")
    onec.init("sale")
    answer = onec.upload("documents/1/documents.xml", own_fixture("site-3.1_documents.xml"), type_="sale")
    assert answer.startswith("success\n"), answer
    # The fourth buyer has no name, phone or e-mail: its client and its order are dead
    # letters, and 1C hears success so it moves on.
    assert "2 dead letters" in answer, answer
    orders = dict(server.sql("SELECT external_id, client_id FROM orders WHERE source = 'onec'"))
    assert sorted(orders) == ["site-order-1001", "site-order-1002", "site-order-1003"]
    assert orders["site-order-1001"] == known.id
    names = {cid: name for cid, name in server.sql("SELECT id, name FROM clients")}
    # Matched by a phone, the manager's client keeps the name the manager gave it.
    assert names[known.id] == "Мария (звонила в офис)"
    assert names[orders["site-order-1002"]] == "Петров Пётр Ильич"
    assert names[orders["site-order-1003"]] == "guest-1003@example.ru"
    assert len(names) == 3
    letters = server.sql("SELECT kind, external_id, reason FROM dead_letters WHERE connector = 'onec' ORDER BY kind")
    assert [(kind, external_id) for kind, external_id, _ in letters] == [("client", "20##"),
                                                                       ("order", "site-order-1004")], letters
    assert "name" in letters[0][2], letters
    # 1C sends the file again at the next exchange: nothing doubles.
    onec.checkauth("sale")
    onec.init("sale")
    again = onec.upload("documents/1/documents.xml", own_fixture("site-3.1_documents.xml"), type_="sale")
    assert again.startswith("success\n"), again
    assert server.sql("SELECT COUNT(*) FROM orders")[0][0] == 3
    assert server.sql("SELECT COUNT(*) FROM clients")[0][0] == 3


def test_the_name_of_a_private_buyer_comes_from_what_the_file_gives(server):
    def buyer(cid: str, inner: str) -> str:
        return (f"<Контрагенты><Контрагент><Ид>{cid}</Ид><Наименование></Наименование><Роль>Покупатель</Роль>"
                f"<ПолноеНаименование></ПолноеНаименование>{inner}</Контрагент></Контрагенты>")
    goods = ("<Товары><Товар><Ид>g-1</Ид><Артикул>TEA-1</Артикул><Наименование>Чай</Наименование>"
             "<ЦенаЗаЕдиницу>50</ЦенаЗаЕдиницу><Количество>1</Количество><Сумма>50</Сумма></Товар></Товары>")
    phone = "<Контакты><Контакт><Тип>Телефон мобильный</Тип><Значение>+7 903 555-01-02</Значение></Контакт></Контакты>"
    onec = server.onec
    onec.checkauth("sale")
    onec.init("sale")
    cases = {"7#ivanov#Иванов Иван": ("", "Иванов Иван"), "8#anon#": (phone, "+7 903 555-01-02")}
    for n, (cid, (inner, _)) in enumerate(cases.items()):
        answer = onec.upload(f"orders-{n}.xml", orders_document(f"1c-{n}", {"Проведен": "true"}, buyer(cid, inner),
                                                                goods), type_="sale")
        assert answer.startswith("success\n") and "dead letter" not in answer, answer
    names = dict(server.sql("SELECT external_id, name FROM clients"))
    assert names == {cid: name for cid, (_, name) in cases.items()}


def test_a_zipped_orders_file_sent_in_pieces_is_applied_once_its_last_piece_is_in(tmp_path):
    from conftest import Server
    server = Server(tmp_path, extra_config="file_limit = 1024\n")
    try:
        zipped_orders_in_pieces(server)
    finally:
        server.stop()


def zipped_orders_in_pieces(server):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:  # stored: several pieces of 1 KiB
        z.writestr("orders-2.xml", orders_document("1c-901", {"Проведен": "true", "Комментарий": "д" * 700}, BUYER))
        z.writestr("orders-1.xml", orders_document("1c-900", {"Проведен": "false"}, BUYER))
    data = archive.getvalue()
    onec = server.onec
    onec.checkauth("sale")
    onec.init("sale")
    pieces = [data[at:at + 1024] for at in range(0, len(data), 1024)]
    assert len(pieces) >= 3 and len(pieces[-1]) < 1024
    for piece in pieces[:-1]:  # full pieces of file_limit bytes: more to come
        assert onec.text("sale", "file", body=piece, filename="orders.zip") == (200, "success\n")
        assert server.sql("SELECT COUNT(*) FROM orders")[0][0] == 0, "nothing before the archive is whole"
    status, answer = onec.text("sale", "file", body=pieces[-1], filename="orders.zip")
    assert status == 200 and answer.startswith("success\n"), answer
    assert "orders-1.xml" in answer and "orders-2.xml" in answer
    assert sorted(server.sql("SELECT external_id FROM orders")) == [("1c-900",), ("1c-901",)]

    # An archive holding no orders file is said to, not taken silently.
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("readme.txt", "nothing here")
    status, answer = onec.text("sale", "file", body=empty.getvalue(), filename="other.zip")
    assert answer.startswith("failure\n") and "no .xml" in answer, answer
    # A last piece (shorter than file_limit) after which the archive is still not whole.
    status, answer = onec.text("sale", "file", body=data[-300:], filename="cut.zip")
    assert answer.startswith("failure\n") and "not a complete zip archive" in answer, answer


def test_an_orders_file_bigger_than_file_limit_is_applied_after_its_last_piece(tmp_path):
    from conftest import Server
    server = Server(tmp_path, extra_config="file_limit = 1024\n")
    try:
        onec = server.onec
        onec.checkauth("sale")
        assert onec.init("sale")["file_limit"] == "1024"
        data = orders_document("1c-950", {"Проведен": "true", "Комментарий": "д" * 1500}, BUYER)
        assert len(data) > 2048
        answers = [onec.text("sale", "file", body=data[at:at + 1024], filename="orders.xml")
                   for at in range(0, len(data), 1024)]
        assert all(a == (200, "success\n") for a in answers[:-1]), answers
        assert answers[-1][1].startswith("success\norders.xml: "), answers[-1]
        assert server.sql("SELECT external_id FROM orders") == [("1c-950",)]
    finally:
        server.stop()


def test_a_second_session_starting_while_an_import_runs_gets_answers_not_a_crash(server):
    ids = range(1, 20001)
    files = {"import.xml": gen.to_bytes(gen.write_import, ids)}
    first = server.onec
    first.checkauth()
    first.init()
    first.upload("import.xml", files["import.xml"], chunk=4 << 20)
    answer = first.import_file("import.xml")
    assert answer.startswith("success"), answer

    # The scheduled exchange and a manual one: the second inits while the first imports.
    import threading
    from conftest import OneC
    second = OneC(server.onec.url)
    answers = []
    first.init()
    first.upload("import.xml", files["import.xml"], chunk=4 << 20)
    worker = threading.Thread(target=lambda: answers.append(first.import_file("import.xml")))
    worker.start()
    second.checkauth()
    assert "file_limit" in second.init()
    worker.join(timeout=120)
    assert not worker.is_alive()
    assert answers and (answers[0].startswith("success") or answers[0].startswith("failure")), answers
    assert server.proc.poll() is None, server.stop()
    # The server goes on serving both.
    second.upload("import.xml", files["import.xml"], chunk=4 << 20)
    assert second.import_file("import.xml").startswith("success")
    assert server.sql("SELECT COUNT(*) FROM products")[0][0] == 20000


# ---- operations ----------------------------------------------------------------------

def test_an_installed_salescore_finds_its_connectors_without_configuration(tmp_path):
    import pathlib
    import subprocess
    from conftest import BIN
    build = pathlib.Path(BIN).resolve().parents[1]
    prefix = tmp_path / "opt"
    done = subprocess.run(["cmake", "--install", str(build), "--prefix", str(prefix)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    installed = prefix / "bin" / "salescore"
    assert installed.exists() and any(prefix.glob("lib*/**/salescore/connectors/*onec*"))
    # Nothing configured, and not in the build tree: found beside the install prefix's bin/.
    described = subprocess.run([installed, "plugins", "describe", "onec"], capture_output=True, text=True)
    assert described.returncode == 0 and "password" in described.stdout, described.stderr


def test_plugins_and_deadletters_commands(server):
    import subprocess
    import time
    from conftest import BIN

    def listing_shows(state: str) -> str:
        # The running server writes its connectors' state at its next step (a second at most).
        for _ in range(50):
            listing = subprocess.run([BIN, "plugins", "list", "--db", server.db, "--config", str(server.config)],
                                     capture_output=True, text=True, check=True).stdout
            if re.search(rf"^onec\s+1\.0\.0\s+1\.\d+\s+{state}\b", listing, re.M):
                return listing
            time.sleep(0.1)
        raise AssertionError(f"onec never listed as {state}:\n{listing}")

    assert "as `salescore serve` said at" in listing_shows("running")
    asked = subprocess.run([BIN, "plugins", "pause", "onec", "--db", server.db], capture_output=True, text=True)
    assert asked.returncode == 0 and "Asked onec to pause" in asked.stdout, asked.stderr
    assert "paused by an operator" in listing_shows("paused")
    subprocess.run([BIN, "plugins", "resume", "onec", "--db", server.db], check=True, capture_output=True)
    listing_shows("running")
    unknown = subprocess.run([BIN, "plugins", "pause", "nope", "--db", server.db], capture_output=True, text=True)
    assert unknown.returncode == 1 and "no connector named 'nope'" in unknown.stderr
    no_db = subprocess.run([BIN, "plugins", "resume", "onec"], capture_output=True, text=True)
    assert no_db.returncode == 2 and "--db" in no_db.stderr
    described = subprocess.run([BIN, "plugins", "describe", "onec"], capture_output=True, text=True, check=True).stdout
    assert "password" in described and "secret" in described and PASSWORD not in described
    missing = subprocess.run([BIN, "plugins", "describe", "nope"], capture_output=True, text=True)
    assert missing.returncode == 1 and "installed: " in missing.stderr and "onec" in missing.stderr
    letters = subprocess.run([BIN, "deadletters", "list", "--db", server.db], capture_output=True, text=True, check=True)
    assert "No dead letters" in letters.stdout
    bad = subprocess.run([BIN, "deadletters", "replay", "x1", "--db", server.db], capture_output=True, text=True)
    assert bad.returncode == 2 and "not a dead letter id" in bad.stderr
    gone = subprocess.run([BIN, "deadletters", "replay", "999", "--db", server.db], capture_output=True, text=True)
    assert gone.returncode == 1 and "999" in gone.stderr
    log = server.stop()
    assert PASSWORD not in log
    listing_shows("stopped")  # the server said so as it shut down
