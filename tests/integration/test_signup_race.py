"""Two sign-ups with the same address at the same moment (a double click, two tabs) on PostgreSQL."""

import threading

from django.test import Client

from accounts.models import User
from tests.factories import PASSWORD

ATTEMPTS = 6


def test_simultaneous_sign_ups_with_one_address_make_one_account_and_no_error(real_services, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    barrier = threading.Barrier(ATTEMPTS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def sign_up():
        client = Client(raise_request_exception=False)
        client.get("/accounts/signup/")
        barrier.wait(timeout=30)
        try:
            response = client.post(
                "/accounts/signup/",
                {
                    "name": "Double Click",
                    "email": "double@example.org",
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                },
            )
            statuses.append(response.status_code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=sign_up) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(statuses) == [302] * ATTEMPTS, statuses
    assert User.objects.filter(email="double@example.org").count() == 1
