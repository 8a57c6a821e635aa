from django.db import migrations, models
from django.utils.text import slugify


def fill_type_keys(apps, schema_editor):
    Publication = apps.get_model("hub", "Publication")
    kinds = Publication.objects.exclude(paper_type={}).values_list("paper_type", flat=True)
    for kind in kinds.order_by().distinct():  # without order_by(), DISTINCT would include the ordering
        name = kind.get("en") or next((value for value in kind.values() if value), "")
        Publication.objects.filter(paper_type=kind).update(type_key=slugify(name)[:60])


class Migration(migrations.Migration):

    dependencies = [
        ("hub", "0003_usage"),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="type_key",
            field=models.SlugField(blank=True, editable=False, max_length=60),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(fields=["type_key"], name="hub_publication_type"),
        ),
        migrations.RunPython(fill_type_keys, migrations.RunPython.noop),
        # Related papers weigh the newest papers on each goal: this index hands them over already in order.
        migrations.RunSQL(
            "CREATE INDEX hub_publication_topics_newest ON hub_publication_topics (topic_id, publication_id DESC)",
            "DROP INDEX hub_publication_topics_newest",
        ),
    ]
