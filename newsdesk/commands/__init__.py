"""Click commands of the ``newsdesk`` CLI, one module per group of users' tasks."""
