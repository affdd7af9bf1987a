"""`make bench`: the platform's benchmark suite (issue 18), not timed tests.

It builds a dataset through the models, serves it with the production profile (gunicorn, `gunicorn.conf.py`,
`shenbao.settings.production`) and, in the same run and on the same database, a bare Django project
(`bench/baseline/`) with the same server settings, then measures both side by side:

- every key page per role (p50, p95, requests per second at 1, 10 and 50 concurrent clients) and its query count;
- log-in (password only, the applicant's) and a generated document (申报书 PDF);
- the bare Django page, so the results read as ratios (product / baseline) that survive a shared, noisy machine;
- the deadline rush (`rush`, data from `rush_data`): N complete applications submitted by C concurrent clients, then
  their county approvals, each checked to have happened exactly once, and the audit chain verified; how busy the
  cores were and which processes used them (`cpu`: the product's web workers, PostgreSQL, the bench's client).

Results go to `var/bench/<timestamp>.json` and `.md` (and `latest.*`); the ratios are printed at the end.

Modules: `scales` (dataset sizes), `dataset` (builds the database and the bench users' second factor), `pages`
(what is measured, per role), `http` (a small cookie-keeping HTTP client over http.client), `load` (concurrent
clients), `server` (gunicorn processes), `queries` (query counts in-process), `rush` and `rush_data` (the deadline
rush), `cpu` (the cores' and processes' CPU time from /proc), `report`, `run` (the command line).
"""
