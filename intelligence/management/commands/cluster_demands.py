"""Group the demands of a JSON-lines file that are about the same concrete problem."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from intelligence import actions, similarity
from intelligence.jsonl import read_items, write_items


class Command(BaseCommand):
    help = "Cluster demands: each input line {id, text} gains cluster (null when alone)."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True)
        parser.add_argument("--output", required=True)
        parser.add_argument("--threshold", type=float, default=similarity.CLUSTER_THRESHOLD)

    def handle(self, *args, input, output, threshold, **options):
        items = read_items(input)
        actions.ensure_model()
        clusters = similarity.cluster_texts([(str(i["id"]), i["text"]) for i in items], threshold)
        for item in items:
            item["cluster"] = clusters[str(item["id"])]
        write_items(output, items)
        grouped = len({c for c in clusters.values() if c})
        self.stdout.write(_("Found %(clusters)d clusters among %(count)d demands.")
                          % {"clusters": grouped, "count": len(items)})
