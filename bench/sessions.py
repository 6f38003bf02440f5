"""Open a real SSO session for every district user without 878 argon2 logins (benchmark set-up only).

Run with the stack's environment: python -m bench.sessions OUT COUNT — writes "district<TAB>token"
lines for the first COUNT districts by code.
"""
import sys

from sqlalchemy import select

from sso import create_app
from sso.models import User, db
from sso.services import start_session

if __name__ == "__main__":
    app = create_app()
    with app.app_context(), open(sys.argv[1], "w") as out:
        users = db.session.scalars(select(User).where(User.district_code.is_not(None))
                                   .order_by(User.district_code).limit(int(sys.argv[2])))
        for user in users:
            out.write(f"{user.district_code}\t{start_session(user, 'bearer').token}\n")
