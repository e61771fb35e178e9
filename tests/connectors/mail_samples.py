"""Letters as mailers in Russia, China, Bulgaria and elsewhere write them, byte for byte."""
from __future__ import annotations

import base64


def b_word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def letter(sender: str, to: str, subject: str, body: bytes, message_id: str, *, headers: str = "",
           content_type: str = "text/plain; charset=utf-8", encoding: str = "8bit",
           date: str = "Mon, 07 Dec 2026 09:00:00 +0300") -> bytes:
    head = (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{message_id}>\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: {encoding}\r\n{headers}\r\n")
    return head.encode("utf-8") + body  # raw 8-bit UTF-8 display names, as many mailers send


def russian_koi8() -> bytes:
    """KOI8-R subject in two B-words splitting the text, windows-1251 body in quoted-printable."""
    import quopri
    subject = b_word("Заказ на поставку", "koi8-r") + "\r\n " + b_word(" кирпича М150", "koi8-r")
    body = quopri.encodestring("Добрый день! Просим выставить счёт на 20 поддонов.\n".encode("cp1251"))
    return letter("Иван Петров <ivan@romashka.ru>", "anna@example.com", subject, body, "ru-1@romashka.ru",
                  content_type="text/plain; charset=windows-1251", encoding="quoted-printable")


def chinese_gb2312() -> bytes:
    """A GB2312-labelled subject holding a GBK-only character (游采樺), GBK body in base64,
    an attachment with an RFC 2231 name."""
    subject = "=?gb2312?B?086yyZjl?= " + b_word("询价单", "gb2312")
    body_text = base64.b64encode("您好，请报价。".encode("gbk")).decode()
    pdf = base64.b64encode(b"%PDF-1.4 price list").decode()
    name = "%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf"  # 报价单.pdf in UTF-8, percent-encoded
    body = (f"--b1\r\nContent-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: base64\r\n\r\n{body_text}\r\n"
            f"--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-Disposition: attachment; filename*=utf-8''{name}\r\n\r\n{pdf}\r\n--b1--\r\n").encode()
    return letter("li@bjtrade.cn", "anna@example.com", subject, body, "zh-1@bjtrade.cn",
                  content_type='multipart/mixed; boundary="b1"', encoding="7bit")


def bulgarian_split() -> bytes:
    """UTF-8 Bulgarian subject whose 'ъ' is cut between two B-words (bytes split)."""
    raw = "Оферта за пъстър мрамор".encode()
    cut = raw.index("ъ".encode()) + 1  # in the middle of the two-byte 'ъ'
    subject = (f"=?utf-8?B?{base64.b64encode(raw[:cut]).decode()}?= "
               f"=?utf-8?B?{base64.b64encode(raw[cut:]).decode()}?=")
    return letter("Петър Иванов <petar@balkan.bg>", "anna@example.com", subject,
                  "Здравейте, изпращам офертата.\n".encode(), "bg-1@balkan.bg")


def english_html_only() -> bytes:
    return letter("John Smith <john@acme.example>", "anna@example.com", "Re: Quote for 40 pallets",
                  b"<html><body><p>Hello Anna,</p><p>We accept the quote &amp; terms.</p>"
                  b"<script>x()</script></body></html>", "en-1@acme.example",
                  content_type="text/html; charset=us-ascii", encoding="7bit",
                  headers="In-Reply-To: <sc.quote@example.com>\r\nReferences: <sc.quote@example.com>\r\n")


def auto_reply() -> bytes:
    return letter("robot@supplier.example", "anna@example.com", "Automatic reply: out of office",
                  b"I am away until Monday.\n", "auto-1@supplier.example", headers="Auto-Submitted: auto-replied\r\n")


def bounce() -> bytes:
    body = (b"--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--r\r\n"
            b"Content-Type: message/delivery-status\r\n\r\nAction: failed\r\nStatus: 5.1.1\r\n--r--\r\n")
    return letter("MAILER-DAEMON@mx.example", "anna@example.com", "Undelivered Mail Returned to Sender", body,
                  "dsn-1@mx.example", content_type='multipart/report; report-type=delivery-status; boundary="r"',
                  encoding="7bit")


def sent_by_anna() -> bytes:
    return letter("Anna <anna@example.com>", "ivan@romashka.ru", "Счёт 42", "Счёт во вложении.\n".encode(),
                  "out-1@example.com")


def not_a_message() -> bytes:
    return b"this line is no header and nothing here is a message\r\n\x00\x01 junk\r\n"


def small(n: int, sender: str = "ivan@romashka.ru") -> bytes:
    return letter(sender, "anna@example.com", f"Letter {n}", f"Body {n}\n".encode(), f"bulk-{n}@romashka.ru")
