"""A bare Django project: the yardstick of `make bench`. Django's own project template (its middleware, sessions,
CSRF, auth, messages), the product's database, one page that runs one indexed query and renders a small template.
Served by the same gunicorn configuration as the product, so the ratio product / baseline is the platform's own
cost."""
