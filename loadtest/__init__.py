"""`make loadtest`: a deadline day of the season with Locust (the scenario in locustfile.py, the run in run.py)."""
