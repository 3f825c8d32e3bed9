"""`nianbao web`: the supervisor's desk in a browser (app.py, templates/, static/)."""
