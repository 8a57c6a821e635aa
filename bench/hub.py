"""How fast the hub answers with 100,000 publications on PostgreSQL: search pages (with their facets)
and landing pages, requested over HTTP from a local gunicorn in production mode.

Run: `make bench-hub` (or `python -m bench.hub`). Needs PostgreSQL: DATABASE_URL defaults to
postgres://postgres@127.0.0.1:5432/convene_bench, created when missing; the generated papers are kept
between runs (`--fresh` makes them again). REDIS_URL (default redis://127.0.0.1:6379/5) is the cache, as
in production: search answers are cached until the hub changes, so each query is measured once cold
(the first request after a change) and then as it is asked again.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

PUBLICATIONS = 100_000
TARGETS_MS = {"search": 150, "landing": 50}  # p95
SEARCH_REQUESTS = 40  # per query, after warming up
LANDING_REQUESTS = 400
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"
ROOT = Path(__file__).resolve().parents[1]

# Words the generated papers are made of, per language. "cooperative" is in about a third of them.
WORDS = {
    "en": {
        "subjects": ["Cooperative banks", "Social enterprises", "Community land trusts",
                     "Mutual health insurers", "Fair trade networks", "Worker cooperatives",
                     "Solidarity finance", "Care cooperatives",
                     "Women's savings groups", "Platform cooperatives", "Social housing", "Microfinance"],
        "verbs": ["and", "for", "beyond", "against", "after"],
        "objects": ["local development", "decent work", "food security", "the energy transition",
                    "financial inclusion", "informal workers", "rural livelihoods", "urban regeneration",
                    "climate adaptation", "gender equality", "public procurement",
                    "universal health coverage"],
        "places": ["in Kenya", "in Quebec", "in Brazil", "in the Philippines", "in Senegal", "in Italy",
                   "in India", "in Colombia", "in South Korea", "in Spain", "across Europe",
                   "in West Africa"],
        "filler": ["organisations", "members", "policy", "evidence", "survey", "municipal", "governance",
                   "income", "employment", "networks", "democratic", "ownership", "surplus", "capital",
                   "households", "markets", "support", "regional", "impact", "measurement", "resilience"],
        "marker": "cooperative",
    },
    "fr": {
        "subjects": ["Les coopératives d'habitants", "Les mutuelles de santé", "L'économie sociale",
                     "Les entreprises d'insertion", "Les banques solidaires", "Les monnaies locales"],
        "verbs": ["et", "pour", "face à"],
        "objects": ["le logement abordable", "la transition écologique", "l'emploi des jeunes",
                    "la couverture sanitaire", "le développement territorial", "les circuits courts"],
        "places": ["à Genève", "au Sénégal", "en Belgique", "au Québec", "au Maroc", "en France"],
        "filler": ["politiques", "territoires", "membres", "gouvernance", "sociétaires", "financement",
                   "emplois", "collectivités", "réseaux", "utilité", "solidarité", "évaluation"],
        "marker": "coopérative",
    },
    "es": {
        "subjects": ["Las cooperativas de trabajo", "La economía solidaria", "Las empresas recuperadas",
                     "Las cajas de ahorro comunitarias", "El comercio justo", "Las redes de cuidado"],
        "verbs": ["y", "para", "frente a"],
        "objects": ["el desarrollo local", "la soberanía alimentaria", "el trabajo decente",
                    "la inclusión financiera", "la vivienda popular", "la transición energética"],
        "places": ["en Colombia", "en Argentina", "en México", "en Ecuador", "en España", "en Chile"],
        "filler": ["políticas", "territorios", "socios", "gobernanza", "financiamiento", "empleo",
                   "municipios", "redes", "cuidado", "evaluación", "comunidades", "mercados"],
        "marker": "cooperativa",
    },
}  # fmt: skip
NAMES = [
    "Ana Núñez", "Kofi Boateng", "Marie Dubois", "Li Wei", "Aïssatou Ba", "João Silva", "Priya Nair",
    "Olivia Mensah", "Jonas Berg", "Carmen López", "Samuel Otieno", "Hyun-woo Park", "Fatima Zahra",
    "Lucía Gómez", "Pierre Martin", "Giulia Rossi", "Nomvula Dlamini", "Diego Herrera", "ILO",
]  # fmt: skip
COUNTRIES = ["CO", "GH", "FR", "CN", "SN", "BR", "IN", "KE", "SE", "ES", "KR", "MA", "IT", "ZA", "CH", "CA"]
QUERIES = [
    ("empty query", {}),
    ("'cooperative' (a third of the hub)", {"q": "cooperative"}),
    ("two words", {"q": "microfinance women"}),
    ("French stems", {"q": "monnaies locales"}),
    ("words with SDG and year", {"q": "decent work", "sdg": "8", "year": "2025"}),
]


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/convene_bench")
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres") or not url.endswith("bench"):
        sys.exit("Point DATABASE_URL at a PostgreSQL database whose name ends in 'bench'.")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()


def create_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def generate(count: int) -> None:
    """Publications of five calls in three languages, 1 to 6 authors and 1 to 3 SDGs each."""
    from django.db import connection
    from django.utils.text import slugify

    from conference.models import Edition, Series, Topic
    from hub.models import Publication, PublicationAuthor

    with connection.cursor() as cursor:  # TRUNCATE, not DELETE: no dead rows left to slow the bench
        cursor.execute("TRUNCATE hub_publication RESTART IDENTITY CASCADE")
    rng = random.Random(2028)
    series, _ = Series.objects.get_or_create(slug="bench", defaults={"name": {"en": "Bench calls"}})
    editions = []
    for year in (2016, 2019, 2022, 2025, 2028):
        day = datetime.datetime(year - 1, 9, 1, tzinfo=datetime.UTC)
        edition, _ = Edition.objects.get_or_create(
            series=series, year=year,
            defaults={"title": {"en": f"SSE and the SDGs {year}"}, "languages": ["en", "fr", "es"],
                      "cfp_opens_at": day, "submission_deadline": day + datetime.timedelta(days=60),
                      "review_deadline": day + datetime.timedelta(days=120),
                      "notification_date": day + datetime.timedelta(days=150),
                      "camera_ready_deadline": day + datetime.timedelta(days=200)},
        )  # fmt: skip
        editions.append(edition)
    goals = list(Topic.objects.sdgs())
    batch = 5000
    for start in range(1, count + 1, batch):
        publications, authors, topics = [], [], []
        for number in range(start, min(start + batch, count + 1)):
            language = rng.choices(["en", "fr", "es"], weights=[70, 15, 15])[0]
            words = WORDS[language]
            title = f"{rng.choice(words['subjects'])} {rng.choice(words['verbs'])} {rng.choice(words['objects'])} {rng.choice(words['places'])}"  # noqa: E501
            body = [rng.choice(words["filler"]) for _ in range(rng.randint(80, 180))]
            if rng.random() < 0.5:
                body.insert(rng.randrange(len(body)), words["marker"])
            if language == "en" and rng.random() < 0.02:
                body[rng.randrange(len(body))] = "women"
            names = rng.sample(NAMES, rng.randint(1, 6))
            kind = rng.choice(["Full paper", "Policy brief", "Case study"])
            edition = rng.choice(editions)
            publication = Publication(
                number=number, slug=slugify(title)[:100], title=title,
                abstract=" ".join(body).capitalize() + ".", language=language,
                keywords=rng.sample(words["filler"], 3),
                key_messages=[" ".join(rng.sample(words["filler"], 8)).capitalize() + "."],
                paper_type={"en": kind}, type_key=slugify(kind), venue=edition.title,
                edition=edition, licence="CC-BY-4.0",
                published_on=datetime.date(edition.year, 1, 1) + datetime.timedelta(days=rng.randrange(365)),
                authors_text=" ".join(names),
            )  # fmt: skip
            publication.messages_text = " ".join(publication.key_messages)
            publications.append(publication)
            authors.append([(name, rng.choice(COUNTRIES)) for name in names])
            topics.append(rng.sample(goals, rng.randint(1, 3)))
        Publication.objects.bulk_create(publications)
        PublicationAuthor.objects.bulk_create(
            PublicationAuthor(publication=publication, position=position, name=name, country=country,
                              affiliation="Université de Genève" if position == 0 else "")
            for publication, names in zip(publications, authors, strict=True)
            for position, (name, country) in enumerate(names)
        )  # fmt: skip
        Publication.topics.through.objects.bulk_create(
            Publication.topics.through(publication_id=publication.pk, topic_id=goal.pk)
            for publication, goals_of in zip(publications, topics, strict=True)
            for goal in goals_of
        )
        print(f"  {publications[-1].number:,} publications", end="\r", flush=True)
    # The same vector hub.search.index builds, for every row in one statement.
    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE hub_publication SET search_vector =
                setweight(to_tsvector(cfg, title), 'A')
                || setweight(to_tsvector(cfg, authors_text), 'B')
                || setweight(to_tsvector(cfg, array_to_string(ARRAY(
                       SELECT jsonb_array_elements_text(keywords)), ' ')), 'B')
                || setweight(to_tsvector(cfg, abstract || ' ' || messages_text), 'C')
            FROM (SELECT id AS pk, (CASE language WHEN 'en' THEN 'english' WHEN 'fr' THEN 'french'
                                    WHEN 'es' THEN 'spanish' ELSE 'simple' END)::regconfig AS cfg
                  FROM hub_publication) AS configs
            WHERE id = configs.pk
        """)
    with connection.cursor() as cursor:  # compact the rows the UPDATE left behind, as at rest
        cursor.execute("VACUUM FULL hub_publication")
        cursor.execute("VACUUM ANALYZE")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(static_root: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = dict(os.environ, DEBUG="false", SECRET_KEY="bench-" + "x" * 60, ALLOWED_HOSTS="127.0.0.1",
               SITE_URL="https://hub.bench.example",
               SECURE_SSL_REDIRECT="false", STATIC_ROOT=static_root, CONN_MAX_AGE="600",
               LOG_LEVEL="WARNING")  # fmt: skip
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True)  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    sys.exit("gunicorn did not start")


def timed_get(connection: http.client.HTTPConnection, path: str) -> float:
    started = time.perf_counter()
    connection.request("GET", path, headers={"User-Agent": BROWSER, "Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        sys.exit(f"{path} answered {response.status}")
    return elapsed * 1000


def percentiles(timings: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return cuts[49], cuts[94]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="generate the publications again")
    parser.add_argument("--publications", type=int, default=PUBLICATIONS)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    from hub.models import Publication
    from hub.search import Search, changed

    call_command("migrate", verbosity=0)
    if args.fresh or Publication.objects.count() != args.publications:
        started = time.perf_counter()
        print(f"Generating {args.publications:,} publications on PostgreSQL…")
        generate(args.publications)
        print(f"  generated and indexed in {time.perf_counter() - started:.0f} s")
    total = Publication.objects.count()

    rows = []
    with tempfile.TemporaryDirectory() as static_root:
        server, port = start_gunicorn(static_root)
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for _ in range(20):  # every worker imports, connects and compiles its templates first
                timed_get(connection, "/hub/statistics/")
            for name, params in QUERIES:
                matches = Search.from_query(params).filtered().count()
                path = "/hub/search/?" + urlencode(params)
                changed()  # as if the hub had just changed: the first answer is computed afresh
                cold = timed_get(connection, path)
                timings = [timed_get(connection, path) for _ in range(SEARCH_REQUESTS)]
                share = f"{matches:,} matches ({100 * matches / total:.0f} %)"
                rows.append(("search", f"{name}: {share}", timings, cold))
            rng = random.Random(7)
            numbers = [rng.randint(1, total) for _ in range(LANDING_REQUESTS)]
            slugs = dict(Publication.objects.filter(number__in=numbers).values_list("number", "slug"))
            for number in numbers[:10]:
                timed_get(connection, f"/hub/papers/{number}/{slugs[number]}/")
            timings = [timed_get(connection, f"/hub/papers/{n}/{slugs[n]}/") for n in numbers]
            name = f"{LANDING_REQUESTS} random landing pages (each counts a view)"
            rows.append(("landing", name, timings, max(timings)))
        finally:
            server.terminate()
            server.wait(timeout=10)

    print(f"\nThe hub with {total:,} publications on PostgreSQL, through gunicorn (2 workers, DEBUG off)")
    print(f"  {'what':<62} {'p50':>8} {'p95':>8} {'cold/max':>9}   target p95")
    missed = False
    for kind, name, timings, cold in rows:
        p50, p95 = percentiles(timings)
        ok = p95 <= TARGETS_MS[kind]
        missed |= not ok
        verdict = f"< {TARGETS_MS[kind]} ms {'ok' if ok else 'MISSED'}"
        print(f"  {name:<62} {p50:6.1f}ms {p95:6.1f}ms {cold:7.0f}ms   {verdict}")
    print("  cold: a search's first answer after the hub changed; for landing pages, the slowest one")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
