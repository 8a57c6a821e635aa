"""The 17 Sustainable Development Goals, with the UN's short names in English, French and Spanish."""

from django.db import migrations

SDGS = [
    (1, "No poverty", "Pas de pauvreté", "Fin de la pobreza"),
    (2, "Zero hunger", "Faim « zéro »", "Hambre cero"),
    (3, "Good health and well-being", "Bonne santé et bien-être", "Salud y bienestar"),
    (4, "Quality education", "Éducation de qualité", "Educación de calidad"),
    (5, "Gender equality", "Égalité entre les sexes", "Igualdad de género"),
    (6, "Clean water and sanitation", "Eau propre et assainissement", "Agua limpia y saneamiento"),
    (7, "Affordable and clean energy", "Énergie propre et d'un coût abordable", "Energía asequible y no contaminante"),
    (8, "Decent work and economic growth", "Travail décent et croissance économique",
     "Trabajo decente y crecimiento económico"),
    (9, "Industry, innovation and infrastructure", "Industrie, innovation et infrastructure",
     "Industria, innovación e infraestructura"),
    (10, "Reduced inequalities", "Inégalités réduites", "Reducción de las desigualdades"),
    (11, "Sustainable cities and communities", "Villes et communautés durables", "Ciudades y comunidades sostenibles"),
    (12, "Responsible consumption and production", "Consommation et production responsables",
     "Producción y consumo responsables"),
    (13, "Climate action", "Mesures relatives à la lutte contre les changements climatiques", "Acción por el clima"),
    (14, "Life below water", "Vie aquatique", "Vida submarina"),
    (15, "Life on land", "Vie terrestre", "Vida de ecosistemas terrestres"),
    (16, "Peace, justice and strong institutions", "Paix, justice et institutions efficaces",
     "Paz, justicia e instituciones sólidas"),
    (17, "Partnerships for the goals", "Partenariats pour la réalisation des objectifs",
     "Alianzas para lograr los objetivos"),
]


def add_sdgs(apps, schema_editor):
    Topic = apps.get_model("conference", "Topic")
    for number, en, fr, es in SDGS:
        Topic.objects.update_or_create(
            sdg_number=number, edition=None, defaults={"name": {"en": en, "fr": fr, "es": es}}
        )


def remove_sdgs(apps, schema_editor):
    apps.get_model("conference", "Topic").objects.filter(edition=None, sdg_number__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("conference", "0001_initial")]

    operations = [migrations.RunPython(add_sdgs, remove_sdgs)]
