"""The scenario's request types, as Locust names them in its statistics (method, name)."""
LOGIN = "/sso/login"
ENTRY = "/workload/ (entry)"
STATUS = "/workload/[y]/districts/[d]/ (status)"
ASPECT = "/workload/[y]/districts/[d]/aspects/[n]"
CONTACT = "/workload/[y]/districts/[d]/contact"
HISTORY = "/workload/[y]/districts/[d]/history"
PROVINCE = "/workload/[y]/provinces/[p]/"
CONFIRM = "/workload/[y]/districts/[d]/confirm"
NATIONAL = "/workload/[y]/provinces/ (national view)"
EVIDENCE = "/workload/[y]/evidence/nation"
HOME = "/ (home)"
NEWS = "/news/"
REGISTRY = "/directory/"
REGISTRY_PROVINCE = "/directory/provinces/[p]/"

# Every one of them must have been exercised by a run (the smoke test too).
EXPECTED = [("GET", LOGIN), ("POST", LOGIN), ("GET", ENTRY), ("GET", STATUS), ("GET", ASPECT), ("POST", ASPECT),
            ("GET", CONTACT), ("POST", CONTACT), ("GET", HISTORY), ("GET", PROVINCE), ("POST", CONFIRM),
            ("GET", NATIONAL), ("GET", EVIDENCE), ("GET", HOME), ("GET", NEWS), ("GET", REGISTRY),
            ("GET", REGISTRY_PROVINCE)]
# Signing in checks an argon2 hash: neither a page nor a save, so reported but outside the p95 target.
SIGN_IN = ("POST", LOGIN)
