"""The operation log lives in django-auditlog's LogEntry; the login log in accounts.LoginLog."""
