"""Suggest a category and department for every demand of a JSON-lines file."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from intelligence import actions, classifier
from intelligence.jsonl import read_items, write_items


class Command(BaseCommand):
    help = "Classify demands: each input line {id, text} gains category, department and confidence."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True)
        parser.add_argument("--output", required=True)

    def handle(self, *args, input, output, **options):
        items = read_items(input)
        model = actions.ensure_model()
        for item in items:
            suggestion = classifier.suggest(item["text"])
            item.update(category=suggestion.category, department=suggestion.department,
                        confidence=suggestion.confidence)
        write_items(output, items)
        self.stdout.write(_("Classified %(count)d demands with model v%(version)d.")
                          % {"count": len(items), "version": model.version})
