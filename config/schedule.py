"""Scheduled jobs: cron expressions (Asia/Shanghai) and the task each enqueues.

``manage.py run_scheduler`` reads this list.  The scheduler only *enqueues*; the
django-tasks worker (``manage.py db_worker``) runs the jobs, so a slow job never
delays the next tick and several workers share the load.  Run exactly one scheduler.
"""

SCHEDULE = [
    # name, crontab (minute hour day month weekday), dotted path of a django-tasks task
    ("prune-task-results", "30 2 * * *", "core.tasks.prune_task_results"),
    ("deliver-notifications", "* * * * *", "notifications.tasks.deliver_due_notifications"),
    ("remind-due-soon", "0 9 * * *", "demands.tasks.remind_due_soon"),
    ("escalate-overdue", "15 9 * * *", "demands.tasks.escalate_overdue"),
    ("close-unrated", "30 9 * * *", "demands.tasks.close_unrated"),
    # The dashboard's prepared monthly figures: changed months every minute, all of them nightly.
    ("refresh-demand-figures", "* * * * *", "demands.tasks.refresh_demand_figures"),
    ("rebuild-demand-figures", "50 2 * * *", "demands.tasks.rebuild_demand_figures"),
    ("purge-old-import-files", "45 2 * * *", "enterprises.tasks.purge_old_import_files"),
    ("refresh-policy-matches", "0 3 * * *", "policies.tasks.refresh_policy_matches"),
    # A weekday name, not a number: APScheduler counts 0 as Monday, crontab as Sunday.
    ("send-weekly-policy-push", "0 16 * * fri", "policies.tasks.send_weekly_policy_push"),
    # Weekly: closed demands and staff corrections become training data.
    ("retrain-classifier", "0 4 * * sun", "intelligence.tasks.retrain_classifier"),
    # Nightly: the open demands' vectors for the similar-demand search at intake, afresh.
    ("rebuild-open-index", "20 2 * * *", "intelligence.tasks.rebuild_open_index"),
    ("remind-unconfirmed-evaluation", "40 9 * * mon", "evaluation.tasks.remind_unconfirmed"),
    ("report-ended-notices", "50 9 * * *", "evaluation.tasks.report_ended_notices"),
    ("remind-unvisited-enterprises", "30 8 * * mon", "liaisons.tasks.remind_unvisited"),
    ("expire-market-listings", "5 0 * * *", "markets.tasks.expire_listings"),
    ("rematch-markets", "30 3 * * *", "markets.tasks.rematch_all_markets"),
    # The 企情快报 of the Monday–Sunday week just ended; the 企服简报 of the month just ended.
    ("make-weekly-briefing", "0 8 * * mon", "briefings.tasks.make_weekly_briefing"),
    ("make-monthly-briefing", "30 8 1 * *", "briefings.tasks.make_monthly_briefing"),
]
