"""Issue 16's load scenario: citizens filing and paying, officers receiving, over plain HTTP like browsers.

Run by bench/load.py, which prepares the database, the servers and the environment variables read here:

    LOAD_CITIZENS, LOAD_OFFICERS       how many of each (their accounts are seeded by bench/load.py)
    LOAD_PASSWORD                      the password of every load account
    LOAD_TOTP_SECRET                   base32 secret of every load officer's authenticator app (RFC 6238)
    LOAD_PROCEDURE                     the procedure code citizens file for (full-process, with a fee)
    LOAD_ATTACHMENT                    path of the PDF each citizen attaches
    LOAD_THINK                         "min,max" seconds a person spends on a page before the next one

A citizen browses the catalogue, signs in with a password, then over and over: files a dossier through the
four steps (applicant, e-form, papers with an upload, review and submit), looks it up on the public tracking
page, and opens its dossiers still in progress; one that an officer has put in "awaiting payment" is paid
at the sandbox bank (the portal's pay page redirects there, the bank page posts the payer's confirmation,
the bank delivers the IPN to the portal server to server, then sends the browser back to the return page).

An officer signs in with password and authenticator code, then over and over: opens the "new" queue,
opens one dossier at random, receives it, and requests the fee the page proposes (the full-process
procedure takes payment before processing).

Every request is named by its URL pattern, so the statistics give one line per page. A 409 from
receiving a dossier a colleague received a moment earlier is the workflow's answer to a race, not an
error: it is counted under "receive: already taken" instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import os
import random
import re
import struct
import time
from urllib.parse import urljoin, urlsplit

import lxml.html
from locust import HttpUser, events, task
from locust.exception import RescheduleTask, StopUser

CITIZENS = int(os.environ.get("LOAD_CITIZENS", "200"))
OFFICERS = int(os.environ.get("LOAD_OFFICERS", "20"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
TOTP_SECRET = os.environ.get("LOAD_TOTP_SECRET", "")
PROCEDURE = os.environ.get("LOAD_PROCEDURE", "1.004873")
ATTACHMENT = os.environ.get("LOAD_ATTACHMENT", "")
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "5,15").split(","))
SEARCHES = ("khai sinh", "kết hôn", "xác nhận tình trạng hôn nhân", "chứng thực", "khai tử", "hộ tịch")

_citizen_numbers = itertools.count(1)
_officer_numbers = itertools.count(1)
_attachment_bytes: bytes = b""


def totp_now(secret_base32: str, step: int = 30, digits: int = 6, at: float | None = None) -> tuple[int, str]:
    """(time step, code) an authenticator app shows (RFC 6238 over RFC 4226 HOTP, SHA-1)."""
    key = base64.b32decode(secret_base32)
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return counter, str(value).zfill(digits)


def parse(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.text, base_url=response.url)


def find_form(document: lxml.html.HtmlElement, *, field: str | None = None, action: str | None = None,
              own: bool = False):
    """The first form with that field and/or an action containing that text; `own`: one posting to the page itself."""
    for form in document.forms:
        if own and (form.get("action") or (form.get("method") or "get").lower() != "post"):
            continue
        if field is not None and not form.xpath(f".//*[@name='{field}']"):
            continue
        if action is not None and action not in (form.get("action") or ""):
            continue
        return form
    return None


def target(form) -> str:
    """Where the browser posts a form: its action, or the page's own URL (query included) without one."""
    return urljoin(form.base_url, form.get("action") or "")


def main_form(document: lxml.html.HtmlElement):
    """The page's own form: the one with the most fields (the header's language and sign-out forms have one or two)."""
    return max(document.forms, key=lambda form: len(form.inputs))


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def fill_required(form, values: dict[str, str]) -> None:
    """Give every required field left empty a plausible answer, as the person filling the page would."""
    seen_radios: set[str] = set()
    for element in form.inputs:
        name = element.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        tag = element.tag
        kind = (element.get("type") or "text").lower() if tag == "input" else tag
        if kind == "radio":
            if name in seen_radios:
                continue
            seen_radios.add(name)
            group = form.xpath(f".//input[@type='radio'][@name='{name}']")
            if not any(radio.get("checked") is not None for radio in group) and group:
                values[name] = group[0].get("value")
            continue
        if element.get("required") is None or (values.get(name) or "").strip() or element.get("disabled") is not None:
            continue
        if kind == "select":
            options = [o.get("value") for o in element.xpath(".//option") if o.get("value")]
            if options:
                values[name] = options[0]
        elif kind == "checkbox":
            values[name] = element.get("value") or "on"
        elif kind == "date" or "date" in name:
            values[name] = "1990-05-17"
        elif kind == "number":
            values[name] = element.get("min") or "1"
        elif kind == "email" or "email" in name:
            values[name] = "nguoi.nop@example.vn"
        elif kind == "tel" or "phone" in name:
            values[name] = "0912345678"
        elif "id_number" in name:
            values[name] = "001090000001"
        elif kind in ("text", "textarea", "search"):
            values[name] = "Để đăng ký kết hôn" if kind == "textarea" else "Nguyễn Văn Thử"


def form_values(form) -> dict[str, str]:
    return dict(form.form_values())


@events.init.add_listener
def _load_attachment(environment, **_kwargs) -> None:
    global _attachment_bytes
    if ATTACHMENT:
        with open(ATTACHMENT, "rb") as handle:
            _attachment_bytes = handle.read()


class Browser(HttpUser):
    """A person with a browser behind the proxy: one client address each (the proxy's X-Forwarded-For)."""

    abstract = True

    def on_start(self) -> None:
        number = random.randrange(1, 2**24)
        self.client.headers["X-Forwarded-For"] = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
        self.client.headers["Accept-Language"] = "vi"

    def get(self, url: str, name: str, expect: int = 200, **kwargs):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True, **kwargs) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} instead of {expect}")
                raise RescheduleTask()
            response.success()
        return response

    def post(self, url: str, name: str, data, expect: int = 302, files=None, ok: tuple[int, ...] = ()):
        # Django's CSRF check on plain HTTP needs only the token; browsers send the Referer anyway.
        with self.client.post(url, name=name, data=data, files=files, allow_redirects=False, catch_response=True,
                              headers={"Referer": url}) as response:
            if response.status_code in ok:
                response.success()
                return response
            if response.status_code != expect:
                response.failure(f"{response.status_code} instead of {expect}")
                raise RescheduleTask()
            response.success()
        return response

    def location(self, response) -> str:
        return response.headers["Location"]

    def sign_in(self, email: str) -> str:
        page = self.get("/accounts/login/", "GET /accounts/login/")
        form = find_form(parse(page), field="password")
        values = form_values(form)
        values.update({"username": email, "password": PASSWORD})
        response = self.post(target(form), "POST /accounts/login/", values)
        return self.location(response)


class Citizen(Browser):
    fixed_count = CITIZENS
    wait_time = staticmethod(lambda: random.uniform(*THINK))

    def on_start(self) -> None:
        super().on_start()
        # A user that stopped is replaced by a new one: the accounts are taken again in turn.
        self.number = (next(_citizen_numbers) - 1) % CITIZENS + 1
        self.in_progress: list[str] = []
        self.browse()
        landing = self.sign_in(f"load-citizen-{self.number}@bench.vn")
        if "/accounts/login/" in landing:
            raise StopUser()
        self.get(landing, "GET / (signed in)" if path_of(landing) == "/" else "GET landing")

    def browse(self) -> None:
        self.get("/", "GET /")
        self.wait()
        self.get("/procedures/", "GET /procedures/?q=", params={"q": random.choice(SEARCHES)})
        self.wait()
        self.get(f"/procedures/{PROCEDURE}/", "GET /procedures/[code]/")

    @task
    def journey(self) -> None:
        self.browse()
        self.wait()
        code = self.file()
        self.in_progress.append(code)
        self.wait()
        self.track(code)
        self.wait()
        self.follow_up()

    def file(self) -> str:
        page = self.get(f"/procedures/{PROCEDURE}/apply/", "GET /procedures/[code]/apply/")
        form = find_form(parse(page), field="applicant_name")
        values = form_values(form)
        agencies = [o.get("value") for o in form.xpath(".//select[@name='agency']//option") if o.get("value")]
        if agencies:
            values["agency"] = random.choice(agencies)
        fill_required(form, values)
        self.wait()
        response = self.post(target(form), "POST /procedures/[code]/apply/", values)
        step = self.location(response)  # /dossiers/draft/<pk>/form/

        page = self.get(step, "GET /dossiers/draft/[pk]/form/")
        form = main_form(parse(page))
        values = form_values(form)
        fill_required(form, values)
        self.wait()
        response = self.post(target(form), "POST /dossiers/draft/[pk]/form/", values)

        page = self.get(self.location(response), "GET /dossiers/draft/[pk]/attachments/")
        form = find_form(parse(page), field="other-files")
        values = form_values(form)
        slots = [i.get("name") for i in form.xpath(".//input[@type='file']")]
        # A paper of the procedure (not the e-form's own component, which the e-form already filled).
        slot = next((name for name in slots if name != "other-files" and not self._by_eform(form, name)), slots[-1])
        self.wait()
        response = self.post(target(form), "POST /dossiers/draft/[pk]/attachments/", values,
                             files={slot: ("giay-to.pdf", _attachment_bytes, "application/pdf")})

        page = self.get(self.location(response).split("#")[0], "GET /dossiers/draft/[pk]/review/")
        form = find_form(parse(page), field="submit_token")
        values = form_values(form)
        self.wait()
        response = self.post(target(form), "POST /dossiers/draft/[pk]/review/", values)
        done = self.location(response)  # /dossiers/<code>/submitted/
        match = re.search(r"/dossiers/([^/]+)/submitted/", done)
        if match is None:
            raise RescheduleTask()
        self.get(done, "GET /dossiers/[code]/submitted/")
        return match.group(1)

    @staticmethod
    def _by_eform(form, name: str) -> bool:
        """The slot of a component the e-form fills carries the badge "Đã khai bằng tờ khai điện tử"."""
        field = form.xpath(f".//input[@name='{name}']")[0]
        row = field.xpath("ancestor::*[starts-with(@id, 'component-')][1]")
        return bool(row) and "tờ khai điện tử" in row[0].text_content()

    def track(self, code: str) -> None:
        page = self.get("/track/", "GET /track/")
        form = find_form(parse(page), field="code")
        values = form_values(form)
        values["code"] = code
        self.wait()
        self.post(target(form), "POST /track/", values, expect=200)

    def follow_up(self) -> None:
        """Open the dossiers still in progress (the "my dossiers" list, then each page); pay what is due."""
        self.get("/dossiers/", "GET /dossiers/")
        for code in list(self.in_progress[:3]):
            self.wait()
            page = self.get(f"/dossiers/{code}/", "GET /dossiers/[code]/")
            if f"/payments/dossier/{code}/pay/" in page.text:
                self.wait()
                self.pay(code)
                self.in_progress.remove(code)

    def pay(self, code: str) -> None:
        page = self.get(f"/payments/dossier/{code}/pay/", "GET /payments/dossier/[code]/pay/")
        form = find_form(parse(page), own=True)
        if form is None:
            return  # paid meanwhile (another tab) or no longer payable
        response = self.post(target(form), "POST /payments/dossier/[code]/pay/", form_values(form))
        bank_url = self.location(response)
        page = self.get(bank_url, "GET sandbox bank page")
        form = next(f for f in parse(page).forms if f.xpath(".//input[@name='choice'][@value='success']"))
        self.wait()
        # The bank records the payment, delivers the signed IPN to the portal, then redirects back.
        response = self.post(target(form), "POST sandbox bank (pays, sends the IPN)", form_values(form))
        back = self.location(response)
        self.get(back, "GET /payments/return/[provider]/")


class Officer(Browser):
    fixed_count = OFFICERS
    wait_time = staticmethod(lambda: random.uniform(*THINK))

    def on_start(self) -> None:
        super().on_start()
        self.number = (next(_officer_numbers) - 1) % OFFICERS + 1
        url = self.sign_in(f"load-officer-{self.number}@bench.vn")
        # The password alone opens nothing: the back office sends the officer on to the code page.
        for _hop in range(3):
            with self.client.get(url, name=f"GET {urlsplit(url).path}", allow_redirects=False,
                                 catch_response=True) as page:
                if page.status_code not in (200, 302):
                    page.failure(f"{page.status_code} on the way to the code page")
                    raise StopUser()
                page.success()
                if page.status_code == 200:
                    break
                url = urljoin(url, page.headers["Location"])
        form = find_form(parse(page), field="otp_token")
        if form is None:
            raise StopUser()
        values = form_values(form)
        values["otp_token"] = totp_now(TOTP_SECRET)[1]
        response = self.post(target(form), "POST /accounts/two-factor/verify/", values)
        if "/two-factor/" in self.location(response):
            raise StopUser()

    @task
    def work(self) -> None:
        page = self.get("/officer/", "GET /officer/")
        codes = sorted(set(re.findall(r'href="/officer/dossiers/([^/"]+)/"', page.text)))
        if not codes:
            return
        code = random.choice(codes)
        self.wait()
        page = self.get(f"/officer/dossiers/{code}/", "GET /officer/dossiers/[code]/")
        form = find_form(parse(page), action="/actions/receive/")
        if form is None:
            return  # taken by a colleague since the queue was shown
        self.wait()
        response = self.post(target(form), "POST /officer/dossiers/[code]/actions/receive/", form_values(form),
                             ok=(409,))
        if response.status_code == 409:
            events.request.fire(request_type="INFO", name="receive: already taken by a colleague", response_time=0,
                                response_length=0, exception=None, context={})
            return
        page = self.get(self.location(response), "GET /officer/dossiers/[code]/ (received)")
        form = find_form(parse(page), action="/actions/request_payment/")
        if form is None or not form_values(form).get("request_payment-amount"):
            return  # no fee is due (an exempt case): the page proposes no amount and none is asked
        self.wait()
        self.post(target(form), "POST /officer/dossiers/[code]/actions/request_payment/", form_values(form))
