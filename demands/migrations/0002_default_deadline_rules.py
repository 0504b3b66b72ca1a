from django.db import migrations

# accept within 1 working day; answer a consultation within 3, a complaint within 13,
# anything else within 5 (administrators change these in the admin).
DEFAULTS = [("", 1, 5), ("consultation", 1, 3), ("complaint", 1, 13)]


def create_rules(apps, schema_editor):
    DeadlineRule = apps.get_model("demands", "DeadlineRule")
    for appeal_type, accept_days, answer_days in DEFAULTS:
        DeadlineRule.objects.get_or_create(
            category=None, priority="", appeal_type=appeal_type,
            defaults={"accept_days": accept_days, "answer_days": answer_days},
        )


class Migration(migrations.Migration):
    dependencies = [("demands", "0001_initial")]
    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
