from django.db import migrations


def create_rule(apps, schema_editor):
    """Deputies' proposals are answered within three months of assignment (about 60 working days)."""
    Channel = apps.get_model("reference", "Channel")
    DeadlineRule = apps.get_model("demands", "DeadlineRule")
    channel = Channel.objects.filter(code="proposal").first()
    if channel is None:
        return  # reference data not seeded yet; seed_reference creates the rule then
    DeadlineRule.objects.get_or_create(channel=channel, category=None, priority="", appeal_type="",
                                       defaults={"accept_days": 5, "answer_days": 60})


class Migration(migrations.Migration):
    dependencies = [("demands", "0003_deadline_rule_channel"), ("reference", "0001_initial")]
    operations = [migrations.RunPython(create_rule, migrations.RunPython.noop)]
