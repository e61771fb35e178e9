"""CommerceML files as 1C writes them, generated: catalogs of any size for the tests and
`bench/run onec`. Streams to a file so a 100,000-product catalog costs no memory."""
from __future__ import annotations

import io
import uuid
from typing import Iterable, TextIO

NS3 = ' xmlns="urn:1C.ru:commerceml_3"'
PRICE_TYPES = [("pt-retail", "Розничная"), ("pt-wholesale", "Оптовая")]


def product_id(i: int) -> str:
    return str(uuid.UUID(int=0x5C0E0000_0000_0000_0000_000000000000 + i))


def _head(out: TextIO, version: str, encoding: str) -> None:
    ns = NS3 if version.startswith("3") else ""
    out.write(f'<?xml version="1.0" encoding="{encoding}"?>\n')
    out.write(f'<КоммерческаяИнформация{ns} ВерсияСхемы="{version}" ДатаФормирования="2026-11-20T10:00:00">\n')


def write_import(out: TextIO, ids: Iterable[int], *, version: str = "2.08", full: bool = True,
                 encoding: str = "UTF-8", groups: int = 20) -> None:
    """Классификатор (groups, one property) and Каталог with the given products."""
    _head(out, version, encoding)
    out.write("<Классификатор><Ид>cls</Ид><Наименование>Классификатор</Наименование><Группы>\n")
    out.write("<Группа><Ид>g-root</Ид><Наименование>Инструмент</Наименование><Группы>\n")
    for g in range(groups):
        out.write(f"<Группа><Ид>g-{g}</Ид><Наименование>Серия {g}</Наименование></Группа>\n")
    out.write("</Группы></Группа></Группы>\n")
    out.write("<Свойства><Свойство><Ид>p-brand</Ид><Наименование>Производитель</Наименование>"
              "<ТипЗначений>Справочник</ТипЗначений><ВариантыЗначений>"
              "<Справочник><ИдЗначения>v-1</ИдЗначения><Значение>Зубр</Значение></Справочник>"
              "<Справочник><ИдЗначения>v-2</ИдЗначения><Значение>Makita</Значение></Справочник>"
              "</ВариантыЗначений></Свойство></Свойства></Классификатор>\n")
    flag = "false" if full else "true"
    out.write(f'<Каталог СодержитТолькоИзменения="{flag}"><Ид>cat</Ид><ИдКлассификатора>cls</ИдКлассификатора>'
              "<Наименование>Основной каталог</Наименование><Товары>\n")
    for i in ids:
        out.write(f"<Товар><Ид>{product_id(i)}</Ид><Артикул>ART-{i:06d}</Артикул>"
                  f"<Наименование>Дрель ударная модель {i}</Наименование>"
                  '<БазоваяЕдиница Код="796" НаименованиеПолное="Штука">шт</БазоваяЕдиница>'
                  f"<Группы><Ид>g-{i % groups}</Ид></Группы>"
                  f"<ЗначенияСвойств><ЗначенияСвойства><Ид>p-brand</Ид><Значение>v-{1 + i % 2}</Значение>"
                  "</ЗначенияСвойства></ЗначенияСвойств>"
                  "<ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>ВидНоменклатуры</Наименование>"
                  "<Значение>Товар</Значение></ЗначениеРеквизита></ЗначенияРеквизитов></Товар>\n")
    out.write("</Товары></Каталог></КоммерческаяИнформация>\n")


def price_of(i: int, type_index: int) -> str:
    return f"{1000 + i % 9000 - type_index * 100}.{i % 100:02d}"


def stock_of(i: int) -> int:
    return i % 50


def write_offers(out: TextIO, ids: Iterable[int], *, version: str = "2.08", encoding: str = "UTF-8",
                 prices: bool = True, stock: bool = True) -> None:
    """ПакетПредложений: prices per price type and stock (3.1 rests style when version 3.x)."""
    _head(out, version, encoding)
    out.write('<ПакетПредложений СодержитТолькоИзменения="false"><Ид>cat#</Ид><Наименование>Пакет</Наименование>'
              "<ИдКаталога>cat</ИдКаталога><ИдКлассификатора>cls</ИдКлассификатора><ТипыЦен>\n")
    for pid, name in PRICE_TYPES:
        out.write(f"<ТипЦены><Ид>{pid}</Ид><Наименование>{name}</Наименование><Валюта>руб</Валюта></ТипЦены>\n")
    out.write("</ТипыЦен><Предложения>\n")
    v3 = version.startswith("3")
    for i in ids:
        out.write(f"<Предложение><Ид>{product_id(i)}</Ид><Наименование>Дрель ударная модель {i}</Наименование>")
        if prices:
            out.write("<Цены>")
            for t, (pid, _) in enumerate(PRICE_TYPES):
                out.write(f"<Цена><Представление>{price_of(i, t)} руб. за шт</Представление><ИдТипаЦены>{pid}"
                          f"</ИдТипаЦены><ЦенаЗаЕдиницу>{price_of(i, t)}</ЦенаЗаЕдиницу><Валюта>RUB</Валюта>"
                          "<Единица>шт</Единица><Коэффициент>1</Коэффициент></Цена>")
            out.write("</Цены>")
        if stock:
            if v3:
                half = stock_of(i) // 2
                out.write(f"<Остатки><Остаток><Склад><Ид>w1</Ид><Количество>{half}</Количество></Склад></Остаток>"
                          f"<Остаток><Склад><Ид>w2</Ид><Количество>{stock_of(i) - half}</Количество></Склад>"
                          "</Остаток></Остатки>")
            else:
                out.write(f"<Количество>{stock_of(i)}</Количество>")
        out.write("</Предложение>\n")
    out.write("</Предложения></ПакетПредложений></КоммерческаяИнформация>\n")


def to_bytes(writer, *args, encoding: str = "UTF-8", **kwargs) -> bytes:
    buf = io.StringIO()
    writer(buf, *args, encoding=encoding, **kwargs)
    return buf.getvalue().encode("cp1251" if encoding.lower() == "windows-1251" else "utf-8")
